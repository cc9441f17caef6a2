/**
 * Request authentication (upstream k8s.io/apiserver/pkg/authentication): one
 * interface, one implementation per method. Today x509 client certificates; bearer
 * tokens (service account tokens, bootstrap tokens) come later and plug in through
 * `authenticateToken`, which TokenReview already calls.
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/rest.js';

/** A token's user and the audiences it is valid for (upstream authenticator.Response). */
export interface TokenAuthentication { user: UserInfo; audiences?: string[] }

export interface Authenticator {
  /** Returns the user, or undefined when this method does not apply to the request. */
  authenticate(req: IncomingMessage): UserInfo | undefined;
  /**
   * Authenticates a bearer token (upstream authenticator.Token) for `audiences` (empty:
   * the token's own): undefined when this method does not know the token; throws Error
   * when it recognises the token as invalid (the message is TokenReview's status.error).
   */
  authenticateToken(token: string, audiences: string[]): Promise<TokenAuthentication | undefined> | TokenAuthentication | undefined;
}

/**
 * The chain's answer for a token (upstream union authenticator): the first method that
 * knows it, else undefined with the errors of the methods that refused it joined.
 */
export async function authenticateToken(chain: Authenticator[], token: string, audiences: string[]): Promise<{ result?: TokenAuthentication; error?: string }> {
  const errors: string[] = [];
  for (const a of chain) {
    try {
      const r = await a.authenticateToken(token, audiences);
      if (r) return { result: r };
    } catch (err) { errors.push(err instanceof Error ? err.message : String(err)); }
  }
  return errors.length ? { error: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` } : {};
}

/** The anonymous user (system:anonymous / system:unauthenticated). */
export const anonymousUser: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
