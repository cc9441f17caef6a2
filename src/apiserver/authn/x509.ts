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
  authenticate(req: IncomingMessage): UserInfo | undefined {
    const sock = req.socket as TLSSocket;
    if (!sock.authorized) return undefined;
    const cert = sock.getPeerCertificate?.();
    if (!cert || !cert.subject) return undefined;
    const cn = cert.subject.CN;
    if (!cn) return undefined;
    const o = cert.subject.O;
    const orgs = Array.isArray(o) ? o : o ? [o] : [];
    return { username: String(cn), groups: [...orgs.map(String), 'system:authenticated'] };
  }
}
