/**
 * The authorization attributes of a request (upstream k8s.io/apiserver/pkg/endpoints/
 * request RequestInfoFactory verbs and filters.GetAuthorizerAttributes):
 * - resource requests: GET/HEAD → `get` with a name, `watch` with `watch=true|1` or the
 *   legacy `/watch/` path, else `list`; POST → `create`; PUT → `update`; PATCH → `patch`;
 *   DELETE → `delete` with a name, else `deletecollection`. A list or watch whose field
 *   selector is `metadata.name=<x>` is authorized for name `<x>`. A request on
 *   `namespaces/<x>` is in namespace `<x>`.
 * - other paths: the lower-cased HTTP method and the path.
 */
import type { UserInfo } from '../registry/rest.js';
import type { Attributes } from '../authz/authorizer.js';
import type { RequestInfo } from './request-info.js';

const RESOURCE_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

/** The attributes the authorizer is asked about for `method` on `info` (undefined: a non-API path) with `query`. */
export function requestAttributes(user: UserInfo, method: string, path: string, info: RequestInfo | undefined, query: URLSearchParams): Attributes {
  if (!info?.isResourceRequest) return { user, verb: method.toLowerCase(), resourceRequest: false, path };
  let verb: string;
  let name = info.name;
  if (method === 'GET' || method === 'HEAD') {
    const watch = info.legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1';
    verb = name ? (watch ? 'watch' : 'get') : watch ? 'watch' : 'list';
    if (!name) name = nameFromFieldSelector(query.get('fieldSelector'));
  } else if (method === 'DELETE') {
    verb = name ? 'delete' : 'deletecollection';
  } else {
    verb = RESOURCE_VERBS[method] ?? method.toLowerCase();
  }
  const namespace = info.resource === 'namespaces' && info.name ? info.name : info.namespace;
  const selectors = verb === 'list' || verb === 'watch' || verb === 'deletecollection'
    ? { ...(query.get('fieldSelector') ? { fieldSelector: query.get('fieldSelector')! } : {}), ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}) }
    : {};
  return {
    user, verb, resourceRequest: true, namespace, apiGroup: info.group, apiVersion: info.version,
    resource: info.resource, subresource: info.subresource, name, ...selectors,
  };
}

/** `metadata.name=<x>` (or `==`) as the only name term of a field selector; '' otherwise. */
function nameFromFieldSelector(selector: string | null): string {
  if (!selector) return '';
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (m) return m[1];
  }
  return '';
}

