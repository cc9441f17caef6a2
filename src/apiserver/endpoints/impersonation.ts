/**
 * User impersonation (upstream k8s.io/apiserver/pkg/endpoints/filters/impersonation.go):
 * `Impersonate-User`, `Impersonate-Group` (repeatable), `Impersonate-Uid` and
 * `Impersonate-Extra-<key>` headers make the request act as another user. Each
 * requested attribute is authorized as verb `impersonate` on users / serviceaccounts /
 * groups / uids.authentication.k8s.io / userextras.authentication.k8s.io; a refusal is
 * upstream's 403. With the default AlwaysAllow authorizer every impersonation is
 * allowed, as upstream's `--authorization-mode=AlwaysAllow`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest, forbidden, internalError } from '../../machinery/errors.js';
import type { Attributes, Authorizer } from '../authz/authorizer.js';
import type { UserInfo } from '../registry/rest.js';

const SA_PREFIX = 'system:serviceaccount:';
const values = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Whether the request carries any impersonation header. */
export const hasImpersonation = (headers: IncomingHttpHeaders): boolean => Object.keys(headers).some((h) => h.startsWith('impersonate-'));

/** The requested attribute as upstream's Forbidden message names it. */
function forbiddenMessage(requestor: UserInfo, a: Attributes, reason: string): string {
  const gr = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource ?? '';
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  let msg = `${gr} "${a.name}" is forbidden: User "${requestor.username}" cannot impersonate resource "${res}" in API group "${a.apiGroup ?? ''}" ${scope}`;
  if (reason) msg += `: ${reason}`;
  return msg;
}

/**
 * The user the request acts as: `requestor` when no impersonation header is present,
 * else the impersonated user once every requested attribute is authorized. Throws
 * StatusError (403 refused, 500 headers without Impersonate-User as upstream).
 */
export async function impersonate(headers: IncomingHttpHeaders, requestor: UserInfo, authorizer: Authorizer): Promise<UserInfo> {
  if (!hasImpersonation(headers)) return requestor;
  const users = values(headers['impersonate-user']);
  const groups = values(headers['impersonate-group']).flatMap((g) => g.split(',').map((x) => x.trim())).filter(Boolean);
  const uids = values(headers['impersonate-uid']);
  const extra: Record<string, string[]> = {};
  for (const [h, v] of Object.entries(headers)) {
    if (!h.startsWith('impersonate-extra-')) continue;
    let key = h.slice('impersonate-extra-'.length);
    try { key = decodeURIComponent(key); } catch { throw badRequest(`malformed impersonation extra key ${JSON.stringify(key)}`); }
    extra[key] = values(v).flatMap((x) => x.split(',').map((y) => y.trim())).filter(Boolean);
  }
  const username = users[0] ?? '';
  if (!username) {
    const requested = [...groups.map((g) => `group ${g}`), ...Object.keys(extra).map((k) => `extra ${k}`), ...uids.map((u) => `uid ${u}`)];
    throw internalError(new Error(`requested [${requested.join(' ')}] without impersonating a user`));
  }
  const checks: Attributes[] = [];
  let impersonatedGroups = [...groups];
  if (username.startsWith(SA_PREFIX) && username.slice(SA_PREFIX.length).split(':').length === 2) {
    const [namespace, name] = username.slice(SA_PREFIX.length).split(':');
    checks.push({ user: requestor, verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'serviceaccounts', namespace, name });
    if (!groups.length) impersonatedGroups = ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
  } else {
    checks.push({ user: requestor, verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'users', name: username });
  }
  for (const g of groups) checks.push({ user: requestor, verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'groups', name: g });
  for (const [k, vs] of Object.entries(extra)) {
    for (const v of vs) checks.push({ user: requestor, verb: 'impersonate', resourceRequest: true, apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: k, name: v });
  }
  for (const u of uids) checks.push({ user: requestor, verb: 'impersonate', resourceRequest: true, apiGroup: 'authentication.k8s.io', resource: 'uids', name: u });
  for (const a of checks) {
    const r = await authorizer.authorize(a);
    if (r.decision !== 'Allow') {
      const gr = { group: a.apiGroup ?? '', resource: a.resource ?? '', name: a.name ?? '' };
      throw forbidden(forbiddenMessage(requestor, a, r.reason), gr);
    }
  }
  if (username !== 'system:anonymous' && !impersonatedGroups.includes('system:authenticated')) impersonatedGroups.push('system:authenticated');
  return { username, groups: impersonatedGroups, ...(uids[0] ? { uid: uids[0] } : {}), ...(Object.keys(extra).length ? { extra } : {}) };
}
