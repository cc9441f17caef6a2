/**
 * Request authentication (upstream k8s.io/apiserver/pkg/authentication): one
 * interface, one implementation per method. This issue has x509 client certificates;
 * tokens come later.
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/rest.js';

/** Returns the user, or undefined when this method does not apply to the request. */
export interface Authenticator {
  authenticate(req: IncomingMessage): UserInfo | undefined;
}

/** The anonymous user (system:anonymous / system:unauthenticated). */
export const anonymousUser: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
