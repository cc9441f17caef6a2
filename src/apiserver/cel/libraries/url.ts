/**
 * Kubernetes CEL URL library, the basics (upstream k8s.io/apiserver/pkg/cel/library/urls.go):
 * `url(s)`, `isURL(s)`, and on a URL `getScheme()`, `getHost()`, `getHostname()`,
 * `getPort()`, `getEscapedPath()`, `getQuery()` (a map of string lists). Parsing uses
 * WHATWG URL, which is stricter than Go's url.ParseRequestURI for relative references
 * (upstream also accepts an absolute path such as `/a/b`; so does this, against a dummy base).
 */
import { celFunc, celMethod, CelScalar, listType, mapType, type CelFunc } from '@bufbuild/cel';
import { opaque, opaqueValue } from './opaque.js';

const U = mapType(CelScalar.STRING, CelScalar.DYN);
const parse = (s: string): { url: URL; relative: boolean } | undefined => {
  try { return { url: new URL(s), relative: false }; } catch { /* maybe an absolute path */ }
  if (s.startsWith('/')) { try { return { url: new URL(s, 'http://relative.invalid'), relative: true }; } catch { /* invalid */ } }
  return undefined;
};
const urlOf = (v: unknown) => {
  const p = parse(opaqueValue('url', v as never));
  if (!p) throw new Error('URL parse error');
  return p;
};

/** The URL functions, for the environment's `funcs`. */
export const urlLibrary: CelFunc[] = [
  celFunc('url', [CelScalar.STRING], U, (s) => {
    if (!parse(s)) throw new Error(`URL parse error during conversion from string: parse "${s}": invalid URI for request`);
    return opaque('url', s);
  }),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s) => !!parse(s)),
  celMethod('getScheme', U, [], CelScalar.STRING, function () { const p = urlOf(this); return p.relative ? '' : p.url.protocol.replace(/:$/, ''); }),
  celMethod('getHost', U, [], CelScalar.STRING, function () { const p = urlOf(this); return p.relative ? '' : p.url.host; }),
  celMethod('getHostname', U, [], CelScalar.STRING, function () { const p = urlOf(this); return p.relative ? '' : p.url.hostname.replace(/^\[(.*)\]$/, '$1'); }),
  celMethod('getPort', U, [], CelScalar.STRING, function () { const p = urlOf(this); return p.relative ? '' : p.url.port; }),
  celMethod('getEscapedPath', U, [], CelScalar.STRING, function () { return urlOf(this).url.pathname; }),
  celMethod('getQuery', U, [], mapType(CelScalar.STRING, listType(CelScalar.STRING)), function () {
    const out = new Map<string, string[]>();
    for (const [k, v] of urlOf(this).url.searchParams) out.set(k, [...(out.get(k) ?? []), v]);
    return out;
  }),
];
