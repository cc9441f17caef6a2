/**
 * Bootstrap token authentication (upstream plugin/pkg/auth/authenticator/token/bootstrap;
 * kubeadm's node join): a bearer token `<id>.<secret>` (6 and 16 of [a-z0-9]) is the user
 * `system:bootstrap:<id>` when the Secret `kube-system/bootstrap-token-<id>` of type
 * `bootstrap.kubernetes.io/token` has `token-secret` equal to `<secret>`,
 * `usage-bootstrap-authentication: "true"`, no passed `expiration` (RFC 3339) and no
 * deletion underway. Groups: `system:bootstrappers` plus the Secret's
 * `auth-extra-groups` (each must start with `system:bootstrappers:`), then
 * `system:authenticated`. Every refusal is "not this method's token" (undefined), as
 * upstream's, which only logs why.
 */
import { timingSafeEqual } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';
import type { Authenticator, TokenAuthentication } from './authenticator.js';

const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const EXTRA_GROUP = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

/** `getSecret(name)`: the Secret `kube-system/<name>`, undefined when absent. */
export class BootstrapTokenAuthenticator implements Authenticator {
  constructor(private readonly getSecret: (name: string) => Promise<KubeObject | undefined>, private readonly clock: () => Date = () => new Date()) {}

  authenticate(): undefined { return undefined; }

  async authenticateToken(token: string): Promise<TokenAuthentication | undefined> {
    const m = TOKEN.exec(token);
    if (!m) return undefined;
    const [, id, secret] = m;
    const s = await this.getSecret(`bootstrap-token-${id}`) as (KubeObject & { type?: string; data?: Record<string, string> }) | undefined;
    if (!s || s.metadata.deletionTimestamp || s.type !== 'bootstrap.kubernetes.io/token') return undefined;
    const data = (k: string): string | undefined => (s.data?.[k] === undefined ? undefined : Buffer.from(s.data[k], 'base64').toString('utf8'));
    const stored = Buffer.from(data('token-secret') ?? '');
    const given = Buffer.from(secret);
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) return undefined;
    if (data('token-id') !== undefined && data('token-id') !== id) return undefined;
    const expiration = data('expiration');
    if (expiration !== undefined && !(Date.parse(expiration) > this.clock().getTime())) return undefined;
    if (data('usage-bootstrap-authentication') !== 'true') return undefined;
    const extra = (data('auth-extra-groups') ?? '').split(',').map((g) => g.trim()).filter(Boolean);
    if (extra.some((g) => !EXTRA_GROUP.test(g))) return undefined;
    return { user: { username: `system:bootstrap:${id}`, groups: ['system:bootstrappers', ...extra, 'system:authenticated'] } };
  }
}
