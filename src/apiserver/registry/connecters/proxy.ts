/**
 * `pods/{id}/proxy[/path]`, `nodes/{id}/proxy[/path]` and `services/{id}/proxy[/path]`
 * (upstream pkg/registry/core/{pod,node,service} ProxyREST and ResourceLocation), where
 * `{id}` is `name`, `name:port` or `scheme:name:port`. Each resolves its target
 * (the pod's IP, the node's kubelet, a ready endpoint of the service) and hands the
 * request to {@link proxyHttp}, this module's counterpart of apimachinery's
 * UpgradeAwareHandler: plain requests are forwarded with their method, query, body and
 * end-to-end headers (hop-by-hop ones and the client's Authorization dropped,
 * X-Forwarded-For/-Uri added), the answer streamed back with hop-by-hop and CORS headers
 * dropped and same-host redirects rewritten to go through the proxy path again; Upgrade
 * requests (WebSocket) are forwarded byte for byte; link attributes of text/html pages
 * are rewritten like redirects.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { posix } from 'node:path';
import zlib from 'node:zlib';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import type { KubeObject } from '../../../api/object.js';
import { badRequest, internalError, serviceUnavailable, StatusError } from '../../../machinery/errors.js';
import { pipeUpgraded, rejectUpgrade } from '../../../machinery/http-upgrade.js';
import type { ConnectRequest, RequestContext, RestStorage } from '../rest.js';
import type { KubeletClientConfig } from './pod-log.js';

/** Upstream's proxy verbs (PodProxyOptions, NodeProxyOptions, ServiceProxyOptions). */
export const PROXY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export interface ProxyOptions {
  /**
   * Let pods/nodes proxy reach loopback addresses. Upstream refuses them (400 `address not
   * allowed`); k8ts' single-node default registers its node with InternalIP 127.0.0.1,
   * and tests play pods on 127.0.0.1.
   */
  allowLoopback?: boolean;
}

/** Where one proxied request goes. */
export interface ProxyLocation {
  scheme: 'http' | 'https';
  host: string;
  /** '' → the scheme's default port. */
  port: string;
  /** Target path, percent-encoded; '' when the request named none. */
  path: string;
  /** TLS of https targets (default: no verification, as upstream's proxy transport). */
  tls?: tls.ConnectionOptions;
}

/** Upstream utilnet.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port` with scheme http, https or ''. */
export function splitSchemeNamePort(id: string): { scheme: '' | 'http' | 'https'; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '', name = '', port = '';
  if (parts.length === 1) [name] = parts;
  else if (parts.length === 2) [name, port] = parts;
  else if (parts.length === 3) [scheme, name, port] = parts;
  else return undefined;
  if (!name || !['', 'http', 'https'].includes(scheme)) return undefined;
  return { scheme: scheme as '' | 'http' | 'https', name, port };
}

/** Go's %q for the ASCII names these messages carry. */
const q = (s: string): string => JSON.stringify(s);

/** The target path: the URL's subpath, else the `path` option, cleaned as Go's path.Join keeping a trailing slash. */
function targetPath(cr: ConnectRequest): string {
  const p = cr.subpath || (cr.query.get('path') ?? '');
  if (!p) return '';
  const withSlash = p.startsWith('/') ? p : `/${p}`;
  const clean = posix.normalize(withSlash);
  return clean.endsWith('/') || !withSlash.endsWith('/') ? clean : `${clean}/`;
}

function ipv4(ip: string): number[] | undefined {
  return net.isIPv4(ip) ? ip.split('.').map(Number) : undefined;
}

/** Go's net.IP.IsGlobalUnicast (upstream's check of pod IPs), loopback allowed on request. */
function isGlobalUnicast(ip: string, allowLoopback: boolean): boolean {
  const v4 = ipv4(ip);
  if (v4) {
    if (v4[0] === 127) return allowLoopback;
    return !(v4.every((x) => x === 0) || v4.every((x) => x === 255) || v4[0] >= 224 || (v4[0] === 169 && v4[1] === 254));
  }
  if (!net.isIPv6(ip)) return false;
  const l = ip.toLowerCase();
  if (l === '::1') return allowLoopback;
  return !(l === '::' || l.startsWith('ff') || /^fe[89ab]/.test(l));
}

/** Upstream proxyutil.IsProxyableIP (nodes): no loopback, link-local or interface-local multicast. */
function isProxyableIP(ip: string, allowLoopback: boolean): boolean {
  const v4 = ipv4(ip);
  if (v4) return !((v4[0] === 127 && !allowLoopback) || (v4[0] === 169 && v4[1] === 254) || (v4[0] === 224 && v4[1] === 0 && v4[2] === 0));
  const l = ip.toLowerCase();
  return !((l === '::1' && !allowLoopback) || /^fe[89ab]/.test(l) || /^ff0[12]:/.test(l));
}

// ---------------------------------------------------------------------------------------
// The three connecters.

/** `pods/{id}/proxy`: HTTP(S) to the pod's IP on the named port, else its first declared container port. */
export function podProxyStorage(pods: RestStorage, opts: ProxyOptions = {}): RestStorage {
  return {
    info: pods.info, subresource: 'proxy', connectMethods: PROXY_METHODS, connectSubpath: true,
    async connect(ctx, id, cr) {
      const s = splitSchemeNamePort(id);
      if (!s) throw badRequest(`invalid pod request ${q(id)}`);
      const pod = (await pods.get!(ctx, s.name)) as Pod;
      let port = s.port;
      if (!port) {
        const c = (pod.spec?.containers ?? []).find((x) => (x.ports ?? []).length > 0);
        if (c) port = String(c.ports![0].containerPort);
      }
      const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '';
      if (!isGlobalUnicast(ip, !!opts.allowLoopback)) throw badRequest('address not allowed');
      await proxyHttp({ scheme: s.scheme || 'http', host: ip, port, path: targetPath(cr) }, cr);
    },
  };
}

/** `nodes/{id}/proxy`: the kubelet's HTTPS API with the kubelet-client certificate, or another port of the node. */
export function nodeProxyStorage(nodes: RestStorage, kc: KubeletClientConfig, opts: ProxyOptions = {}): RestStorage {
  return {
    info: nodes.info, subresource: 'proxy', connectMethods: PROXY_METHODS, connectSubpath: true,
    async connect(ctx, id, cr) {
      const s = splitSchemeNamePort(id);
      if (!s) throw badRequest(`invalid node request ${q(id)}`);
      const node = (await nodes.get!({ ...ctx, namespace: '' }, s.name)) as Node;
      const addresses = node.status?.addresses ?? [];
      const host = addresses.find((a) => a.type === 'InternalIP')?.address ?? addresses.find((a) => a.type === 'ExternalIP')?.address;
      if (!host) throw internalError(new Error(`no preferred addresses found; known addresses: [${addresses.map((a) => `{${a.type} ${a.address}}`).join(' ')}]`));
      if (!isProxyableIP(host, !!opts.allowLoopback)) throw badRequest('address not allowed');
      const kubeletPort = String(node.status?.daemonEndpoints?.kubeletEndpoint?.Port || 10250);
      const path = targetPath(cr);
      if (!s.port || s.port === kubeletPort) {
        await proxyHttp({ scheme: 'https', host, port: kubeletPort, path, tls: { cert: kc.certPem, key: kc.keyPem, ca: kc.caPem, servername: net.isIP(host) ? undefined : host, checkServerIdentity: () => undefined } }, cr);
      } else {
        await proxyHttp({ scheme: s.scheme || 'http', host, port: s.port, path }, cr);
      }
    },
  };
}

interface EndpointAddress { ip: string; targetRef?: { kind?: string; namespace?: string; name?: string } }
interface EndpointsObject extends KubeObject { subsets?: Array<{ addresses?: EndpointAddress[]; ports?: Array<{ name?: string; port: number }> }> }
interface EndpointSliceObject extends KubeObject {
  endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean }; targetRef?: EndpointAddress['targetRef'] }>;
  ports?: Array<{ name?: string; port?: number }>;
}
interface ServiceObject extends KubeObject { spec?: { ports?: Array<{ name?: string; port: number }> } }

/** What services/proxy reads besides the services. */
export interface ServiceProxyDeps { pods: RestStorage; endpointSlices?: RestStorage; endpoints?: RestStorage }

/**
 * `services/{id}/proxy`: a random ready endpoint of the service's port (named, or the
 * service port's number) from its EndpointSlices (label kubernetes.io/service-name), or
 * its Endpoints when it has no slices; as upstream, an address counts only when its
 * targetRef is a pod of the namespace that has that IP.
 */
export function serviceProxyStorage(services: RestStorage, deps: ServiceProxyDeps): RestStorage {
  const isNotFound = (e: unknown): boolean => e instanceof StatusError && e.code === 404;
  const validAddress = async (ctx: RequestContext, ip: string, ref: EndpointAddress['targetRef']): Promise<boolean> => {
    if (!ref || (ref.kind && ref.kind !== 'Pod') || ref.namespace !== ctx.namespace || !ref.name) return false;
    try {
      const pod = (await deps.pods.get!(ctx, ref.name)) as Pod;
      return (pod.status?.podIPs ?? []).some((p) => p.ip === ip) || pod.status?.podIP === ip;
    } catch (e) { if (isNotFound(e)) return false; throw e; }
  };
  return {
    info: services.info, subresource: 'proxy', connectMethods: PROXY_METHODS, connectSubpath: true,
    async connect(ctx, id, cr) {
      const s = splitSchemeNamePort(id);
      if (!s) throw badRequest(`invalid service request ${q(id)}`);
      let portName = s.port;
      if (/^-?\d+$/.test(s.port)) {
        const svc = (await services.get!(ctx, s.name)) as ServiceObject;
        const sp = (svc.spec?.ports ?? []).find((p) => p.port === Number(s.port));
        if (!sp) throw serviceUnavailable(`no service port ${Number(s.port)} found for service ${q(s.name)}`);
        portName = sp.name ?? '';
      }
      // Candidate (ip, port, targetRef) of the port, from the slices, else the Endpoints.
      const candidates: Array<{ ip: string; port: number; ref: EndpointAddress['targetRef'] }> = [];
      let anySource = false;
      if (deps.endpointSlices) {
        const list = await deps.endpointSlices.list!(ctx, { labelSelector: `kubernetes.io/service-name=${s.name}` });
        for (const slice of list.items as EndpointSliceObject[]) {
          anySource = true;
          const port = (slice.ports ?? []).find((p) => (p.name ?? '') === portName)?.port;
          if (port === undefined) continue;
          for (const ep of slice.endpoints ?? []) {
            if (ep.conditions?.ready === false) continue;
            for (const ip of ep.addresses ?? []) candidates.push({ ip, port, ref: ep.targetRef });
          }
        }
      }
      if (!anySource && deps.endpoints) {
        try {
          const eps = (await deps.endpoints.get!(ctx, s.name)) as EndpointsObject;
          anySource = (eps.subsets ?? []).length > 0;
          for (const ss of eps.subsets ?? []) {
            const port = (ss.ports ?? []).find((p) => (p.name ?? '') === portName)?.port;
            if (port === undefined) continue;
            for (const a of ss.addresses ?? []) candidates.push({ ip: a.ip, port, ref: a.targetRef });
          }
        } catch (e) { if (!isNotFound(e)) throw e; }
      }
      if (!anySource) {
        // Neither slices nor Endpoints: a missing service is a 404, an existing one has no endpoints.
        await services.get!(ctx, s.name);
        throw serviceUnavailable(`no endpoints available for service ${q(s.name)}`);
      }
      const start = Math.floor(Math.random() * Math.max(candidates.length, 1));
      for (let i = 0; i < candidates.length; i++) {
        const c = candidates[(start + i) % candidates.length];
        if (!(await validAddress(ctx, c.ip, c.ref))) continue;
        await proxyHttp({ scheme: s.scheme || 'http', host: c.ip, port: String(c.port), path: targetPath(cr) }, cr);
        return;
      }
      throw serviceUnavailable(`no endpoints available for service ${q(id)}`);
    },
  };
}

// ---------------------------------------------------------------------------------------
// The upgrade-aware proxy.

const HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const CORS = ['access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods', 'access-control-allow-origin'];

/** Headers of `raw` (rawHeaders form) without `drop` and without those the Connection header names. */
function endToEnd(raw: string[], drop: string[]): Array<[string, string]> {
  const named = new Set<string>(drop);
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() === 'connection') for (const t of raw[i + 1].split(',')) if (t.trim()) named.add(t.trim().toLowerCase());
  }
  const out: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) if (!named.has(raw[i].toLowerCase())) out.push([raw[i], raw[i + 1]]);
  return out;
}

/** Groups header pairs by name for node:http (repeated headers as arrays). */
function headerObject(pairs: Array<[string, string]>): Record<string, string | string[]> {
  const o: Record<string, string[]> = {};
  for (const [k, v] of pairs) (o[k.toLowerCase()] ??= []).push(v);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
}

/** Go's wording of a failed dial (as the apiserver relays it in `error trying to reach service: ...`). */
function dialError(err: NodeJS.ErrnoException, host: string, port: string): string {
  const addr = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  switch (err.code) {
    case 'ECONNREFUSED': return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH': return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH': return `dial tcp ${addr}: connect: network is unreachable`;
    case 'ETIMEDOUT': return `dial tcp ${addr}: i/o timeout`;
    case 'ECONNRESET': return `read tcp ${addr}: read: connection reset by peer`;
    case 'ENOTFOUND': return `dial tcp: lookup ${host}: no such host`;
    default: return err.message;
  }
}

const unreachable = (err: NodeJS.ErrnoException, loc: ProxyLocation): StatusError =>
  serviceUnavailable(`error trying to reach service: ${dialError(err, loc.host, loc.port || (loc.scheme === 'https' ? '443' : '80'))}`);

/** The client's address for X-Forwarded-For, appended to what earlier proxies sent. */
function forwardedFor(req: http.IncomingMessage, pairs: Array<[string, string]>): Array<[string, string]> {
  const client = req.socket.remoteAddress;
  if (!client) return pairs;
  const prior = pairs.filter(([k]) => k.toLowerCase() === 'x-forwarded-for').map(([, v]) => v);
  const rest = pairs.filter(([k]) => k.toLowerCase() !== 'x-forwarded-for');
  return [...rest, ['X-Forwarded-For', [...prior, client].join(', ')]];
}

/**
 * A redirect's Location (upstream proxy Transport.rewriteURL): absolute URLs to the
 * target host and absolute paths go through the proxy again (`prefix` + path); other
 * hosts and relative paths are left alone.
 */
function rewriteLocation(location: string, loc: ProxyLocation, requestHost: string | undefined, prefix: string): string {
  let u: URL;
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith('//');
  try { u = new URL(location, 'http://placeholder.invalid'); } catch { return location; }
  const target = `${net.isIPv6(loc.host) ? `[${loc.host}]` : loc.host}${loc.port ? `:${loc.port}` : ''}`;
  if (absolute && u.host !== target && u.host !== requestHost) return location;
  if (!absolute && !location.startsWith('/')) return location;
  const tail = `${u.search}${u.hash}`;
  if (u.pathname.startsWith(prefix)) return `${u.pathname}${tail}`;
  let p = posix.join(prefix, u.pathname);
  if (u.pathname.endsWith('/') && !p.endsWith('/')) p += '/';
  return `${p}${tail}`;
}

/** Link attributes per element that upstream's transport rewrites in HTML. */
const LINK_ATTRS: Record<string, string[]> = {
  a: ['href'], applet: ['codebase'], area: ['href'], audio: ['src'], base: ['href'], blockquote: ['cite'], body: ['background'],
  button: ['formaction'], command: ['icon'], del: ['cite'], embed: ['src'], form: ['action'], frame: ['longdesc', 'src'],
  head: ['profile'], html: ['manifest'], iframe: ['longdesc', 'src'], img: ['longdesc', 'src', 'usemap'],
  input: ['src', 'usemap', 'formaction'], ins: ['cite'], link: ['href'], object: ['classid', 'codebase', 'data', 'usemap'],
  q: ['cite'], script: ['src'], source: ['src'], video: ['poster', 'src'],
};
/** Elements whose content is raw text (no tags inside). */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

/** Rewrites the link attributes of an HTML document's start tags; comments and raw-text content are left alone. */
export function rewriteHtml(html: string, rewrite: (url: string) => string): string {
  const token = /<!--[\s\S]*?(?:-->|$)|<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let out = '';
  let last = 0;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    if (!m[1]) continue;
    const tag = m[1].toLowerCase();
    const attrs = LINK_ATTRS[tag];
    if (attrs && m[2]) {
      const rewritten = m[2].replace(/(\s)([^\s"'>\/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)/g, (whole, sp: string, name: string, eq: string, value: string) => {
        if (!attrs.includes(name.toLowerCase())) return whole;
        const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
        const v = quote ? value.slice(1, -1) : value;
        return `${sp}${name}${eq}${quote}${rewrite(v)}${quote}`;
      });
      out += html.slice(last, m.index + 1 + m[1].length) + rewritten + '>';
      last = m.index + m[0].length;
    }
    if (RAW_TEXT.has(tag)) {
      const close = html.toLowerCase().indexOf(`</${tag}`, token.lastIndex);
      token.lastIndex = close < 0 ? html.length : close;
    }
  }
  return out + html.slice(last);
}

/** Decodes a gzip/deflate (or plain) body, edits it as text, encodes it back; undecodable bodies pass unchanged. */
function recode(body: Buffer, encoding: string, edit: (text: string) => string): Buffer {
  try {
    if (encoding === 'gzip') return zlib.gzipSync(edit(zlib.gunzipSync(body).toString('utf8')));
    if (encoding === 'deflate') {
      try { return zlib.deflateSync(edit(zlib.inflateSync(body).toString('utf8'))); } catch { return zlib.deflateRawSync(edit(zlib.inflateRawSync(body).toString('utf8'))); }
    }
    return Buffer.from(edit(body.toString('utf8')));
  } catch { return body; }
}

/**
 * Proxies one connect request to `loc` (upstream UpgradeAwareHandler with its rewriting
 * transport). Throws StatusError before anything was answered: 503 `error trying to reach
 * service: ...` when the target cannot be reached.
 */
export async function proxyHttp(loc: ProxyLocation, cr: ConnectRequest): Promise<void> {
  const { req, res, upgrade } = cr;
  const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : '';
  const requestPath = cr.path ?? new URL(req.url ?? '/', 'http://x').pathname;
  let path = loc.path;
  if (!path.endsWith('/') && requestPath.endsWith('/')) path += '/';
  const port = loc.port ? Number(loc.port) : loc.scheme === 'https' ? 443 : 80;
  const tlsOpts: tls.ConnectionOptions = loc.tls ?? { rejectUnauthorized: false };

  if (upgrade) {
    const { socket, head } = upgrade;
    // The handshake keeps Connection and Upgrade: the target answers it.
    const all: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() !== 'authorization') all.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const pairs = forwardedFor(req, all);
    let connected = false;
    await new Promise<void>((resolve) => {
      const onConnect = (): void => {
        connected = true;
        const lines = [`${req.method ?? 'GET'} ${path || '/'}${rawQuery} HTTP/1.1`, ...pairs.map(([k, v]) => `${k}: ${v}`)];
        up.write(`${lines.join('\r\n')}\r\n\r\n`);
        pipeUpgraded(socket, head, up);
        resolve();
      };
      const up: net.Socket = loc.scheme === 'https'
        ? tls.connect({ host: loc.host, port, ...tlsOpts }, onConnect)
        : net.connect({ host: loc.host, port }, onConnect);
      up.on('error', (err: NodeJS.ErrnoException) => {
        if (!connected) { const se = unreachable(err, loc); rejectUpgrade(socket, se.code, se.status); }
        socket.destroy();
        resolve();
      });
    });
    return;
  }

  if (!res) throw internalError(new Error('proxy without a response'));
  // An empty target path redirects GET and HEAD to the proxy path with a slash (upstream's fix of issue 4958).
  if (!path && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(301, { Location: `${requestPath}/${rawQuery}` });
    res.end();
    return;
  }
  // The apiserver's path before the target path, for X-Forwarded-Uri and redirects.
  const prefix = requestPath.endsWith(path) ? requestPath.slice(0, requestPath.length - path.length) : requestPath;
  let forwardedUri = posix.join(prefix || '/', path || '/');
  if (path.endsWith('/') && !forwardedUri.endsWith('/')) forwardedUri += '/';
  const pairs = forwardedFor(req, endToEnd(req.rawHeaders, [...HOP_BY_HOP, 'authorization', 'x-forwarded-uri']));
  pairs.push(['X-Forwarded-Uri', forwardedUri]);
  const headers = headerObject(pairs);

  await new Promise<void>((resolve, reject) => {
    const options: https.RequestOptions = { host: loc.host, port, method: req.method, path: `${path || '/'}${rawQuery}`, headers, setHost: !('host' in headers), ...(loc.scheme === 'https' ? tlsOpts : {}) };
    const up = (loc.scheme === 'https' ? https : http).request(options, (ur) => {
      const out = endToEnd(ur.rawHeaders, [...HOP_BY_HOP, ...CORS]).map(([k, v]): [string, string] =>
        k.toLowerCase() === 'location' ? [k, rewriteLocation(v, loc, req.headers.host, prefix)] : [k, v]);
      ur.on('error', () => { res.destroy(); resolve(); });
      // HTML pages (without a redirect) get their links rewritten, as upstream's transport does.
      const mediaType = String(ur.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const encoding = String(ur.headers['content-encoding'] ?? '').trim().toLowerCase();
      if (mediaType === 'text/html' && !ur.headers.location && ['', 'gzip', 'deflate'].includes(encoding) && req.method !== 'HEAD') {
        const chunks: Buffer[] = [];
        ur.on('data', (c: Buffer) => chunks.push(c));
        ur.on('end', () => {
          const body = recode(Buffer.concat(chunks), encoding, (html) => rewriteHtml(html, (u) => rewriteLocation(u, loc, req.headers.host, prefix)));
          res.writeHead(ur.statusCode ?? 502, ur.statusMessage, { ...headerObject(out.filter(([k]) => k.toLowerCase() !== 'content-length')), 'content-length': String(body.length) });
          res.end(body);
          resolve();
        });
        return;
      }
      res.writeHead(ur.statusCode ?? 502, ur.statusMessage, headerObject(out));
      ur.pipe(res);
      ur.on('end', resolve);
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (!res.headersSent) reject(unreachable(err, loc));
      else { res.destroy(); resolve(); }
    });
    res.on('close', () => { if (!res.writableFinished) { up.destroy(); resolve(); } });
    req.pipe(up);
  });
}
