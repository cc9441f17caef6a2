/**
 * The kubelet API's authentication and authorization, delegated to the apiserver as
 * upstream's kubelet does with `--authentication-token-webhook` and
 * `--authorization-mode=Webhook` (pkg/kubelet/server/auth.go, KEP "Kubelet
 * Authentication / Authorization"):
 * - authentication: a client certificate signed by the cluster CA (user = subject CN,
 *   groups = O values), else a `Authorization: Bearer` token checked by a TokenReview
 *   (answers cached 2 min, as upstream's webhook token cache); anonymous requests are
 *   refused with 401 (upstream `--anonymous-auth=false`);
 * - authorization: a SubjectAccessReview on `nodes/<subresource>` named after the node,
 *   verb from the HTTP method (POST create, GET/HEAD get, PUT update, PATCH patch,
 *   DELETE delete), subresource from the path (`/stats*` stats, `/metrics*` metrics,
 *   `/logs*` log, `/spec*` spec, `/checkpoint*` checkpoint, anything else proxy);
 *   allowed answers cached 5 min, denied ones 30 s (upstream's webhook authorizer TTLs).
 *   A refusal is 403 `Forbidden (user=U, verb=V, resource=nodes, subresource=S)`.
 */
import type { IncomingMessage } from 'node:http';
import type { Client } from '../../client/interface.js';
import type { KubeObject } from '../../api/object.js';
import type { UserInfo } from '../../apiserver/registry/rest.js';
import { X509Authenticator } from '../../apiserver/authn/x509.js';

/** What the kubelet's HTTP handlers need: who called, and may they do it. */
export interface KubeletAuth {
  /** The caller, or undefined when unauthenticated (answer 401). Never throws: a failed TokenReview is unauthenticated. */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
  /** Undefined when allowed, else the 403 message. Errors of the SubjectAccessReview count as denial. */
  authorize(user: UserInfo, method: string, path: string): Promise<string | undefined>;
}

export interface KubeletAuthOptions {
  /** The kubelet's own client (its node identity may create TokenReviews and SubjectAccessReviews). */
  client: Client;
  nodeName: string;
  /** Cache lifetimes in ms; defaults: tokens 120 000, allowed 300 000, denied 30 000. */
  ttl?: { token?: number; allowed?: number; denied?: number };
  now?: () => number;
}

/** The SubjectAccessReview verb of an HTTP method (upstream auth.go's method → verb table). */
export function kubeletVerb(method: string): string {
  switch (method.toUpperCase()) {
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return 'delete';
    default: return 'get';
  }
}

/** The `nodes` subresource a kubelet path is authorized as (proxy unless a finer one applies). */
export function kubeletSubresource(path: string): string {
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  if (under('/stats')) return 'stats';
  if (under('/metrics')) return 'metrics';
  if (under('/logs')) return 'log';
  if (under('/spec')) return 'spec';
  if (under('/checkpoint')) return 'checkpoint';
  return 'proxy';
}

const TOKEN_REVIEWS = { group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews' };
const SUBJECT_ACCESS_REVIEWS = { group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews' };

/** Delegated authn/authz through the apiserver (see the module comment). */
export function delegatedKubeletAuth(opts: KubeletAuthOptions): KubeletAuth {
  const now = opts.now ?? Date.now;
  const ttl = { token: 120_000, allowed: 300_000, denied: 30_000, ...opts.ttl };
  const x509 = new X509Authenticator();
  const tokens = new Map<string, { user: UserInfo | undefined; until: number }>();
  const decisions = new Map<string, { denied: string | undefined; until: number }>();
  const prune = <V extends { until: number }>(m: Map<string, V>): void => {
    if (m.size < 1000) return;
    const t = now();
    for (const [k, v] of m) if (v.until <= t) m.delete(k);
  };

  const reviewToken = async (token: string): Promise<UserInfo | undefined> => {
    const hit = tokens.get(token);
    if (hit && hit.until > now()) return hit.user;
    let user: UserInfo | undefined;
    try {
      const r = await opts.client.resource(TOKEN_REVIEWS).create<KubeObject & { status?: { authenticated?: boolean; user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } } }>(
        { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token } } as KubeObject);
      const u = r.status?.user;
      if (r.status?.authenticated && u?.username) user = { username: u.username, uid: u.uid, groups: u.groups ?? [], extra: u.extra };
    } catch {
      return undefined; // the apiserver unreachable: not cached, the next request asks again
    }
    prune(tokens);
    tokens.set(token, { user, until: now() + ttl.token });
    return user;
  };

  return {
    async authenticate(req) {
      const cert = x509.authenticate(req);
      if (cert) return cert;
      const h = req.headers.authorization;
      const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
      return m ? reviewToken(m[1]) : undefined;
    },
    async authorize(user, method, path) {
      const verb = kubeletVerb(method);
      const subresource = kubeletSubresource(path);
      const key = JSON.stringify([user.username, user.uid ?? '', [...user.groups].sort(), verb, subresource]);
      const hit = decisions.get(key);
      if (hit && hit.until > now()) return hit.denied;
      const message = `Forbidden (user=${user.username}, verb=${verb}, resource=nodes, subresource=${subresource})`;
      let allowed = false;
      try {
        const r = await opts.client.resource(SUBJECT_ACCESS_REVIEWS).create<KubeObject & { status?: { allowed?: boolean } }>({
          apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {},
          spec: {
            user: user.username, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}), ...(user.extra ? { extra: user.extra } : {}),
            resourceAttributes: { verb, resource: 'nodes', subresource, name: opts.nodeName, version: 'v1' },
          },
        } as KubeObject);
        allowed = r.status?.allowed === true;
      } catch {
        return message; // not cached: a later request asks again
      }
      const denied = allowed ? undefined : message;
      prune(decisions);
      decisions.set(key, { denied, until: now() + (allowed ? ttl.allowed : ttl.denied) });
      return denied;
    },
  };
}
