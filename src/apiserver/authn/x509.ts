/**
 * x509 client-certificate authentication (upstream pkg/authentication/request/x509):
 * the TLS layer verified the chain against the cluster CA (requestCert with the CA as
 * trust root); the user is the subject CN, the groups its O values plus
 * `system:authenticated`.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../registry/rest.js';
import type { Authenticator } from './authenticator.js';

export class X509Authenticator implements Authenticator {
  /** The user of each connection: its client certificate cannot change (TLS 1.3 has no renegotiation), so it is read once. */
  private readonly users = new WeakMap<TLSSocket, UserInfo | null>();

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const sock = req.socket as TLSSocket;
    if (!sock.authorized) return undefined;
    let user = this.users.get(sock);
    if (user === undefined) { user = this.userOf(sock) ?? null; this.users.set(sock, user); }
    return user ?? undefined;
  }

  /** Client certificates are not bearer tokens. */
  authenticateToken(): undefined { return undefined; }

  private userOf(sock: TLSSocket): UserInfo | undefined {
    const cert = sock.getPeerCertificate?.();
    if (!cert || !cert.subject) return undefined;
    const cn = cert.subject.CN;
    if (!cn) return undefined;
    const o = cert.subject.O;
    const orgs = Array.isArray(o) ? o : o ? [o] : [];
    return { username: String(cn), groups: [...orgs.map(String), 'system:authenticated'] };
  }
}
