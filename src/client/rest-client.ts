/**
 * REST client over HTTPS (client-go's rest + dynamic clients): paths exactly as
 * upstream, JSON bodies, a keep-alive agent shared by every request, Status errors
 * thrown as StatusError, and watches parsed line by line from a chunked stream.
 */
import https from 'node:https';
import tls from 'node:tls';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { KubeList, KubeObject } from '../api/object.js';
import { StatusError, type Status } from '../machinery/errors.js';
import type { Client, DeleteOptions, ListOptions, PatchType, ResourceClient, ResourceRef, WatchEvent, WatchOptions } from './interface.js';

export interface ClientConfig {
  server: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  token?: string;
  /** A bearer token read before each request (a token that is refreshed); wins over `token`. */
  tokenSource?: () => string;
  insecureSkipTLSVerify?: boolean;
  userAgent?: string;
  /** Per-request timeout for non-watch requests (default 30 s). */
  timeoutMs?: number;
}

/** Reads a kubeconfig (current or named context), with embedded data or file paths. */
export function loadKubeconfig(path: string, context?: string): ClientConfig {
  const doc = YAML.parse(readFileSync(path, 'utf8')) as {
    'current-context'?: string;
    contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
    clusters?: Array<{ name: string; cluster: Record<string, string | boolean> }>;
    users?: Array<{ name: string; user: Record<string, string> }>;
  };
  const ctxName = context ?? doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`kubeconfig ${path}: context ${ctxName} not found`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster ?? {};
  const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const data = (b64: unknown, file: unknown): string | undefined =>
    typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8') : typeof file === 'string' ? readFileSync(file, 'utf8') : undefined;
  return {
    server: String(cluster.server),
    caPem: data(cluster['certificate-authority-data'], cluster['certificate-authority']),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    certPem: data(user['client-certificate-data'], user['client-certificate']),
    keyPem: data(user['client-key-data'], user['client-key']),
    token: user.token,
  };
}

/** Path of a resource collection or object: /api/v1/namespaces/ns/pods[/name[/sub]]. */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let p = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (namespace && ref.resource !== 'namespaces') p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${ref.resource}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/** Accept headers of a metadata-only list and watch (ListOptions.metadataOnly). */
const METADATA_LIST = { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' };
const METADATA = { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' };

function query(opts: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts)) if (v !== undefined && v !== '' && k !== 'namespace' && k !== 'signal' && k !== 'metadataOnly') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function statusFrom(code: number, body: string): StatusError {
  try {
    const s = JSON.parse(body) as Status;
    if (s && s.kind === 'Status') return new StatusError({ ...s, code: s.code || code });
  } catch { /* not JSON */ }
  const reason = code === 404 ? 'NotFound' : code === 409 ? 'Conflict' : code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : code >= 500 ? 'InternalError' : 'BadRequest';
  return new StatusError({ code, reason, message: body.trim() || `the server responded with code ${code}` });
}

/** Creates a client for `config`. */
export function createClient(config: ClientConfig): Client {
  const url = new URL(config.server);
  const isHttps = url.protocol === 'https:';
  // One TLS context for every connection of this client: built per connection, the
  // CA and key are parsed again each time a socket opens.
  const secureContext = isHttps ? tls.createSecureContext({ ca: config.caPem, cert: config.certPem, key: config.keyPem }) : undefined;
  const agentOpts = { keepAlive: true, maxSockets: 256, secureContext, rejectUnauthorized: !config.insecureSkipTLSVerify };
  const agent = isHttps ? new https.Agent(agentOpts) : new http.Agent({ keepAlive: true, maxSockets: 256 });
  const headers: Record<string, string> = { 'User-Agent': config.userAgent ?? 'k8ts', Accept: 'application/json' };
  if (config.token) headers.Authorization = `Bearer ${config.token}`;

  /** Request options and body of one call (shared by send and exchange). */
  function prepare(method: string, path: string, body: unknown, extraHeaders: Record<string, string>, signal?: AbortSignal): { options: https.RequestOptions; data?: string } {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const h: Record<string, string | number> = { ...headers, ...extraHeaders };
    if (config.tokenSource) h.Authorization = `Bearer ${config.tokenSource()}`;
    if (data !== undefined) { h['Content-Type'] ??= 'application/json'; h['Content-Length'] = Buffer.byteLength(data); }
    return { options: { host: url.hostname, port: url.port || (isHttps ? 443 : 80), path, method, headers: h, agent, signal }, data };
  }

  /** Sends a request; resolves with the response once its headers arrived (the body still to read). */
  function send(method: string, path: string, body: unknown, extraHeaders: Record<string, string> = {}, signal?: AbortSignal): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const { options, data } = prepare(method, path, body, extraHeaders, signal);
      const req = (isHttps ? https : http).request(options, resolve);
      req.on('error', reject);
      req.end(data);
    });
  }

  /**
   * One request and its whole body as text; after `timeoutMs` the request is destroyed and
   * the promise rejects with an AbortError. No AbortController or async iterator per call:
   * this is the path of every create, update and bind.
   */
  function exchange(method: string, path: string, body: unknown, extraHeaders: Record<string, string>, timeoutMs: number): Promise<{ res: http.IncomingMessage; text: string }> {
    return new Promise((resolve, reject) => {
      const { options, data } = prepare(method, path, body, extraHeaders);
      let timer: NodeJS.Timeout | undefined;
      const fail = (err: Error): void => { clearTimeout(timer); reject(err); };
      const req = (isHttps ? https : http).request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ res, text: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') });
        });
      });
      timer = setTimeout(() => req.destroy(new DOMException('The operation was aborted', 'AbortError')), timeoutMs);
      req.on('error', fail);
      req.end(data);
    });
  }

  async function request<R>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<R> {
    const { res, text } = await exchange(method, path, body, extraHeaders, config.timeoutMs ?? 30_000);
    if ((res.statusCode ?? 500) >= 400) throw statusFrom(res.statusCode ?? 500, text);
    if (!text) return undefined as R;
    // JSON for API objects; other media types (e.g. /metrics, /healthz) come back as text.
    return (/json/.test(String(res.headers['content-type'] ?? 'application/json')) ? JSON.parse(text) : text) as R;
  }

  async function* watch<T extends KubeObject>(path: string, signal?: AbortSignal, extraHeaders: Record<string, string> = {}): AsyncIterable<WatchEvent<T>> {
    const ac = new AbortController();
    const onAbort = (): void => ac.abort();
    if (signal?.aborted) ac.abort(); else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let res: http.IncomingMessage;
      try { res = await send('GET', path, undefined, extraHeaders, ac.signal); } catch (err) { if (ac.signal.aborted) return; throw err; }
      if ((res.statusCode ?? 500) >= 400) {
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        throw statusFrom(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8'));
      }
      let buf = '';
      try {
        for await (const chunk of res) {
          buf += (chunk as Buffer).toString('utf8');
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) yield JSON.parse(line) as WatchEvent<T>;
          }
        }
      } catch (err) { if (!ac.signal.aborted) throw err; }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      ac.abort();
    }
  }

  function resource<T extends KubeObject>(ref: ResourceRef): ResourceClient<T> {
    return {
      get: (name, o = {}) => request<T>('GET', resourcePath(ref, o.namespace, name, o.subresource)),
      list: (o: ListOptions = {}) => request<KubeList<T>>('GET', resourcePath(ref, o.namespace) + query({ ...o }), undefined, o.metadataOnly ? METADATA_LIST : undefined),
      watch: (o: WatchOptions = {}) => watch<T>(resourcePath(ref, o.namespace) + query({ ...o, watch: 1 }), o.signal, o.metadataOnly ? METADATA : undefined),
      create: <R extends KubeObject = T>(obj: KubeObject, o: { namespace?: string; name?: string; subresource?: string } = {}) =>
        request<R>('POST', resourcePath(ref, o.namespace ?? obj.metadata?.namespace, o.subresource ? o.name ?? obj.metadata?.name : undefined, o.subresource), obj),
      update: (obj, o = {}) => request<T>('PUT', resourcePath(ref, obj.metadata.namespace, obj.metadata.name, o.subresource), obj),
      patch: (name, patch, type: PatchType, o = {}) => request<T>('PATCH', resourcePath(ref, o.namespace, name, o.subresource), patch, { 'Content-Type': type }),
      delete: (name, o: DeleteOptions = {}) => {
        const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
        if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
        if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
        if (o.preconditions) body.preconditions = o.preconditions;
        return request<unknown>('DELETE', resourcePath(ref, o.namespace, name), body);
      },
    };
  }

  return { resource, request };
}
