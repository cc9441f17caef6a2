/**
 * The apiserver's audit entry point (upstream `--audit-policy-file` + a log backend,
 * endpoints/filters/audit.go): given a request's user and attributes, asks the policy
 * for a level and opens a {@link RequestAudit} that writes the request's stages to the
 * sink. Level None opens nothing.
 */
import type { IncomingMessage } from 'node:http';
import type { Attributes } from '../authz/authorizer.js';
import type { UserInfo } from '../registry/rest.js';
import { RequestAudit } from './event.js';
import type { AuditSink } from './log-backend.js';
import { evaluateAuditPolicy, type AuditPolicy } from './policy.js';

/** The client's addresses: `X-Forwarded-For` entries, `X-Real-Ip`, then the connection's peer (upstream utilnet.SourceIPs). */
export function sourceIPs(req: IncomingMessage): string[] {
  const ips: string[] = [];
  const xff = req.headers['x-forwarded-for'];
  for (const part of (Array.isArray(xff) ? xff.join(',') : xff ?? '').split(',')) if (part.trim()) ips.push(part.trim());
  const real = req.headers['x-real-ip'];
  if (typeof real === 'string' && real.trim() && !ips.includes(real.trim())) ips.push(real.trim());
  const peer = (req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (peer && !ips.includes(peer)) ips.push(peer);
  return ips;
}

export class Auditor {
  constructor(readonly policy: AuditPolicy, readonly sink: AuditSink) {}

  /**
   * Opens the record of a request (undefined at level None) and writes its
   * RequestReceived stage. `requestor` is the authenticated user, `attrs.user` the one
   * acted as (they differ under impersonation); `receivedAt` is ms since the epoch.
   */
  begin(req: IncomingMessage, requestor: UserInfo, attrs: Attributes, auditID: string, receivedAt: number): RequestAudit | undefined {
    // As upstream's filter chain orders it, the policy sees the authenticated user, not the impersonated one.
    const decision = evaluateAuditPolicy(this.policy, { ...attrs, user: requestor });
    if (decision.level === 'None') return undefined;
    const ua = req.headers['user-agent'];
    const audit = new RequestAudit(this.sink, decision, { auditID, requestURI: req.url ?? '/', receivedAt, sourceIPs: sourceIPs(req), userAgent: typeof ua === 'string' ? ua : undefined }, attrs, requestor);
    audit.stage('RequestReceived');
    return audit;
  }
}
