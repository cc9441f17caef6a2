/**
 * The kubelet's ServiceAccount token manager (upstream pkg/kubelet/token/token_manager.go):
 * requests pod-bound tokens through the TokenRequest API (`POST
 * serviceaccounts/<sa>/token`, `boundObjectRef` the pod) for projected
 * `serviceAccountToken` volume sources, caches them per pod, ServiceAccount, audience and
 * lifetime, and requests a new one once the cached one is older than 80 % of its
 * lifetime or 24 h (upstream requiresRefresh). A failed refresh keeps serving a token
 * that has not expired yet. `forgetPod` drops a pod's tokens when it is gone.
 */
import type { Pod } from '../api/core/v1/pod-types.js';
import type { KubeObject } from '../api/object.js';
import { resources, type Client } from '../client/interface.js';

const MAX_TTL_MS = 24 * 60 * 60 * 1000;

interface Cached { token: string; issuedMs: number; expiresMs: number }

/** What a projected source asks for: `audience` '' or absent → the API audiences; `expirationSeconds` default 3600. */
export interface TokenSpec { audience?: string; expirationSeconds?: number }

export class TokenManager {
  private readonly cache = new Map<string, Cached>();
  constructor(private readonly client: Client, private readonly now: () => number = Date.now) {}

  /** A token for `pod`'s ServiceAccount bound to `pod`. Throws the API's error when none can be had. */
  async podToken(pod: Pod, spec: TokenSpec): Promise<string> {
    const ns = pod.metadata.namespace ?? '';
    const sa = pod.spec?.serviceAccountName || 'default';
    const expirationSeconds = spec.expirationSeconds ?? 3600;
    const key = `${pod.metadata.uid}/${ns}/${sa}/${spec.audience ?? ''}/${expirationSeconds}`;
    const cached = this.cache.get(key);
    const now = this.now();
    if (cached && !this.requiresRefresh(cached, now)) return cached.token;
    try {
      const tr = await this.client.resource(resources.serviceaccounts).create<KubeObject & { status?: { token?: string; expirationTimestamp?: string } }>({
        apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {},
        spec: {
          ...(spec.audience ? { audiences: [spec.audience] } : {}),
          expirationSeconds,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
        },
      } as never, { namespace: ns, name: sa, subresource: 'token' });
      const token = tr.status?.token;
      if (!token) throw new Error(`TokenRequest for ${ns}/${sa} answered without a token`);
      const expiresMs = Date.parse(tr.status?.expirationTimestamp ?? '') || now + expirationSeconds * 1000;
      this.cache.set(key, { token, issuedMs: now, expiresMs });
      return token;
    } catch (err) {
      if (cached && now < cached.expiresMs) return cached.token;
      throw err;
    }
  }

  /** Drops the tokens of pod `uid`. */
  forgetPod(uid: string): void {
    for (const k of this.cache.keys()) if (k.startsWith(`${uid}/`)) this.cache.delete(k);
  }

  /** Keeps only the tokens of pods whose uid `keep` accepts. */
  retain(keep: (uid: string) => boolean): void {
    for (const k of this.cache.keys()) if (!keep(k.slice(0, k.indexOf('/')))) this.cache.delete(k);
  }

  private requiresRefresh(c: Cached, now: number): boolean {
    if (now >= c.expiresMs) return true;
    if (now - c.issuedMs > MAX_TTL_MS) return true;
    return now > c.expiresMs - (c.expiresMs - c.issuedMs) * 0.2;
  }
}
