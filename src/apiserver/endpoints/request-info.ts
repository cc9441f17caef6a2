/**
 * Parses an API path into its parts (upstream k8s.io/apiserver/pkg/endpoints/request
 * RequestInfoFactory): /api/v1/namespaces/{ns}/{resource}/{name}/{subresource},
 * /apis/{group}/{version}/..., and the legacy /api/v1/watch/... form.
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** 'api' or 'apis' prefix handling. */
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /**
   * The path after `{name}/{subresource}`, still percent-encoded, with a leading slash and
   * the request's trailing slash ('' when there is none): what connecters that take a
   * subpath (`pods/{name}/proxy/{path}`) get, as upstream's `{path:*}` connect option.
   */
  subpath: string;
  /** true for /watch/ paths. */
  legacyWatch: boolean;
  /** Path segments after the prefix (for discovery paths). */
  parts: string[];
}

/** Returns undefined for non-API paths. */
export function parseRequestInfo(path: string): RequestInfo | undefined {
  const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  const info: RequestInfo = { isResourceRequest: false, path, group: '', version: '', namespace: '', resource: '', name: '', subresource: '', subpath: '', legacyWatch: false, parts: segs };
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length < 2) return info;
    info.version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length < 3) return info;
    info.group = segs[1];
    info.version = segs[2];
    rest = segs.slice(3);
  } else return undefined;
  if (rest.length === 0) return info;
  if (rest[0] === 'watch') { info.legacyWatch = true; rest = rest.slice(1); }
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    info.namespace = rest[1];
    // /namespaces/{name}[/status|/finalize] addresses the Namespace itself.
    if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
  }
  info.isResourceRequest = true;
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest[2] ?? '';
  if (info.resource === 'namespaces') info.namespace = '';
  if (rest.length > 3 || (rest.length === 3 && path.endsWith('/'))) {
    // The raw segments after the subresource keep their encoding.
    const raw = path.split('/').filter(Boolean);
    const tail = raw.slice(raw.length - (rest.length - 3));
    info.subpath = (tail.length ? `/${tail.join('/')}` : '') + (path.endsWith('/') ? '/' : '');
  }
  return info;
}
