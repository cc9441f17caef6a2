/**
 * The apiserver's request handler (upstream k8s.io/apiserver/pkg/endpoints/handlers):
 * authenticate → route → decode → call the registry → encode (JSON or Table) → write.
 * Every failure is written as a Status with its HTTP code; nothing thrown escapes.
 */
import { runHealthChecks } from './health-checks.js';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeList, KubeObject } from '../../api/object.js';
import { badRequest, internalError, methodNotAllowed, notFoundPath, StatusError, unauthorized, unsupportedMediaType, type Status } from '../../machinery/errors.js';
import { authenticateToken, type Authenticator } from '../authn/authenticator.js';
import { serveOidcDiscovery } from './oidc-discovery.js';
import { requestAttributes } from './request-attributes.js';
import { forbiddenRequestError } from '../authz/forbidden-message.js';
import type { Attributes } from '../authz/authorizer.js';
import { hasImpersonation, impersonate } from './impersonation.js';
import type { DeleteOptions, ListOptions, PatchType, Registry, RequestContext, RestStorage, UserInfo } from '../registry/rest.js';
import type { Duplex } from 'node:stream';
import { rejectUpgrade } from '../../machinery/http-upgrade.js';
import { buildDiscovery, type DiscoveryDocs } from '../discovery.js';
import { serveAggregatedDiscovery } from '../aggregated-discovery.js';
import { buildOpenApi, type OpenApiDocs } from '../openapi.js';
import { decodeBody, readBody } from './body.js';
import { parseApiVersion } from '../../api/resource-table.js';
import { defaultProtobufMessage } from '../../api/define-resource.js';
import { checkFields, parseFieldValidation } from '../field-validation.js';
import { isProtobufContentType, type ProtobufMessageResolver } from '../../api/protobuf/codec.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { toTable } from './table.js';
import { acceptsOpenApiV2Protobuf, buildOpenApiV2, OPENAPI_V2_PROTOBUF } from '../openapi-v2.js';
import { negotiate, partialList, partialObject, writeEncoded, type MediaChoice } from './negotiate.js';
import { PROTOBUF_WATCH, protobufWatchFrame, responseMessageResolver, type ResponseMessageResolver } from './protobuf-response.js';
import { hasProtobufMessage } from '../../api/protobuf/encode.js';
import { serveWatch } from './watch.js';
import { createApiServerMetrics, type ApiServerMetrics } from '../metrics.js';
import { randomUUID } from 'node:crypto';
import type { Auditor } from '../audit/auditor.js';
import type { RequestAudit } from '../audit/event.js';
import { createFlowControlFilter, type FlowControlSettings } from '../flowcontrol/flow-control-filter.js';
import { TOO_MANY_REQUESTS_MESSAGE } from '../flowcontrol/too-many-requests.js';

export const VERSION_INFO = {
  major: '1', minor: '32', gitVersion: 'v1.32.4-k8ts', gitCommit: 'k8ts', gitTreeState: 'clean',
  buildDate: '2026-11-24T00:00:00Z', goVersion: `node${process.versions.node}`, compiler: 'tsx', platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

/** What the metrics of one request are labelled with, filled in while it is routed. */
interface RequestMetrics { info?: RequestInfo; verb?: string; scope?: string; media?: MediaChoice; audit?: RequestAudit; failure?: Status }

export interface HandlerOptions {
  registry: Registry;
  metrics?: ApiServerMetrics;
  authenticators: Authenticator[];
  serverAddress: string;
  log?: (msg: string) => void;
  /** Audit policy and log (audit/auditor.ts); absent: no auditing. */
  auditor?: Auditor;
  /**
   * API Priority and Fairness (flowcontrol/, between impersonation and authorization as
   * upstream): its seats and queue wait limit; default on with upstream's 400 + 200 seats;
   * `false` turns it off.
   */
  flowControl?: FlowControlSettings | false;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;
/** Handles an HTTP Upgrade (the server's 'upgrade' event). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** A `Warning: 299` header value (RFC 7234 §5.5); the text is quoted and kept to printable ASCII. */
export const warningHeader = (text: string): string =>
  `299 - ${JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`;

/** Writes `body` as JSON with `code`. */
export function writeJson(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) { res.end(); return; }
  const data = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), 'Cache-Control': 'no-cache, private' });
  res.end(data);
}

/**
 * Writes an error as a Status (upstream responsewriters.ErrorNegotiated): in the
 * response encoding negotiated for the request (protobuf meta/v1 Status when the client
 * prefers it), JSON when negotiation had not happened or failed.
 */
function writeError(res: ServerResponse, err: unknown, log?: (m: string) => void, media?: MediaChoice, messageOf?: ResponseMessageResolver, m?: RequestMetrics): void {
  const se = err instanceof StatusError ? err : internalError(err);
  if (m) m.failure = se.status;
  if (se.code === 500) log?.(`internal error: ${(err as Error)?.stack ?? err}`);
  if (media?.encoding === 'protobuf' && messageOf) return writeEncoded(res, se.code, se.status, 'protobuf', messageOf);
  writeJson(res, se.code, se.status);
}

/** Labels the request's metrics (apiserver_request_total) with its resource, scope and upstream's verb. */
function labelMetrics(m: RequestMetrics, info: RequestInfo, method: string, q: URLSearchParams): void {
  m.info = info;
  m.scope = info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster';
  const isWatch = info.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
  m.verb = ({ GET: info.name && !isWatch ? 'GET' : isWatch ? 'WATCH' : 'LIST', DELETE: info.name ? 'DELETE' : 'DELETECOLLECTION' } as Record<string, string>)[method] ?? method;
}

/** A path below `{name}/{subresource}/` reaches only connecters that take one (proxy); a bare trailing slash is ignored elsewhere. */
const subpathServed = (storage: RestStorage, info: RequestInfo): boolean => !info.subpath || info.subpath === '/' || !!storage.connectSubpath;

/** Creates the handler; `close()` stops its background work (the flow-control configuration loop). */
export function createHandler(opts: HandlerOptions): Handler & { upgrade: UpgradeHandler; close(): void } {
  // Discovery and OpenAPI are derived from the resource table, rebuilt after it changes.
  let docs: { discovery: DiscoveryDocs; openapi: OpenApiDocs } | undefined;
  let openapiV2: { json: unknown; protobuf: Buffer } | undefined;
  opts.registry.table.onChange(() => { docs = undefined; openapiV2 = undefined; });
  const derived = () => (docs ??= { discovery: buildDiscovery(opts.registry.resources(), opts.serverAddress), openapi: buildOpenApi(opts.registry.table.served()) });
  const metrics = opts.metrics ?? createApiServerMetrics();
  const flowControl = opts.flowControl === false ? undefined : createFlowControlFilter(opts.registry, { settings: opts.flowControl, metricsRegistry: metrics.registry, log: opts.log });
  const responseMessageOf = responseMessageResolver(opts.registry.table);
  // Kinds outside the table (request bodies such as Eviction) have upstream's package name.
  const messageOf: ProtobufMessageResolver = (apiVersion, kind) => {
    const { group, version } = parseApiVersion(apiVersion);
    return opts.registry.table.byKind(apiVersion, kind)?.protobufMessage ?? defaultProtobufMessage(group, version, kind);
  };
  const auditIDs = new WeakMap<IncomingMessage, string>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const t0 = performance.now();
    const m: RequestMetrics = {};
    if (opts.auditor) {
      // Audit-ID: the client's, else a new one; returned on every response (upstream WithAuditInit).
      const given = req.headers['audit-id'];
      auditIDs.set(req, typeof given === 'string' && given ? given : randomUUID());
      res.setHeader('Audit-Id', auditIDs.get(req)!);
      res.on('close', () => m.audit?.stage('ResponseComplete', { code: res.statusCode, failure: m.failure }));
    }
    res.on('finish', () => {
      if (m.info && m.verb && m.verb !== 'WATCH') {
        metrics.observe({ verb: m.verb, group: m.info.group, version: m.info.version, resource: m.info.resource, subresource: m.info.subresource, scope: m.scope ?? 'resource', code: res.statusCode }, (performance.now() - t0) / 1000);
      }
    });
    handle(req, res, m, t0).catch((err) => writeError(res, err, opts.log, m.media, responseMessageOf, m));
  };
  /** Upgrade requests (exec, attach, portforward): authenticated, routed to the subresource's connecter. */
  const upgrade: UpgradeHandler = (req, socket, head) => {
    let audit: RequestAudit | undefined;
    void (async () => {
      const requestor = await authenticate(req);
      if (!requestor) throw unauthorized();
      const user = await impersonate(req.headers, requestor, opts.registry.authorizer);
      const url = new URL(req.url ?? '/', 'https://apiserver');
      const info = parseRequestInfo(url.pathname);
      const attrs = requestAttributes(user, req.method ?? 'GET', url.pathname, info, url.searchParams);
      const given = req.headers['audit-id'];
      audit = opts.auditor?.begin(req, requestor, attrs, typeof given === 'string' && given ? given : randomUUID(), performance.timeOrigin + performance.now());
      const refused = await flowControl?.admitUpgrade(attrs);
      if (refused) throw new StatusError({ code: 429, reason: 'TooManyRequests', message: TOO_MANY_REQUESTS_MESSAGE, details: { retryAfterSeconds: refused.retryAfterSeconds } });
      await authorize(attrs, audit);
      // The stream is the response: it has started once the connecter takes the socket, and completes when the socket closes.
      socket.once('close', () => audit?.stage('ResponseComplete', { code: 101 }));
      // A WebSocket upgrade of exec/attach/portforward also needs `create`, as a POST would
      // (upstream AuthorizePodWebsocketUpgradeCreatePermission, on by default since 1.31).
      if (attrs.resourceRequest && attrs.verb === 'get' && info?.resource === 'pods' && ['exec', 'attach', 'portforward'].includes(info.subresource)) await authorize({ ...attrs, verb: 'create' });
      if (!info?.isResourceRequest || !info.name || !info.subresource) throw notFoundPath();
      const storage = opts.registry.lookup(info.group, info.version, info.resource, info.subresource);
      if (!storage?.connect || !subpathServed(storage, info)) throw notFoundPath();
      const ctx: RequestContext = { user, namespace: storage.info.namespaced ? info.namespace : '' };
      await storage.connect(ctx, info.name, { req, query: url.searchParams, subpath: info.subpath, path: url.pathname, upgrade: { socket, head } });
    })().catch((err) => {
      const se = err instanceof StatusError ? err : internalError(err);
      audit?.stage('ResponseComplete', { code: se.code, failure: se.status });
      rejectUpgrade(socket, se.code, se.status);
    });
  };
  return Object.assign(handler, { upgrade, close: () => flowControl?.close() });

  /** Protobuf watch frames; a metadata-only watch sends its bookmarks as PartialObjectMetadata too (custom resources have no message of their own). */
  function protobufFrame(media: MediaChoice): (type: string, obj: KubeObject) => Buffer {
    const frame = protobufWatchFrame(responseMessageOf);
    return media.as === 'PartialObjectMetadata' ? (type, obj) => frame(type, type === 'BOOKMARK' ? partialObject(obj) : obj) : frame;
  }

  /**
   * Decodes a create/update body: protobuf as is; JSON and YAML checked against the
   * kind's structural type (field-validation.ts) when it has one.
   */
  function decodeObject(raw: Buffer, contentType: string | undefined, message: string | undefined, ctx: RequestContext): unknown {
    const ct = (contentType ?? 'application/json').toLowerCase();
    if (!message || isProtobufContentType(ct) || !raw.toString('utf8').trim()) return decodeBody(raw, contentType, messageOf);
    if (!ct.includes('yaml') && !ct.includes('json')) return decodeBody(raw, contentType, messageOf);
    const json = ct.includes('yaml') ? JSON.stringify(decodeBody(raw, contentType, messageOf)) : raw;
    const checked = checkFields(message, json, ctx.fieldValidation ?? 'Warn');
    ctx.warnings?.push(...checked.warnings);
    return checked.value;
  }

  /**
   * The request's user (upstream WithAuthentication): a client certificate, else an
   * `Authorization: Bearer` token through the token authenticators for the API
   * audiences. Undefined when neither is present; a token that no authenticator accepts
   * is a 401 (no fallback to anonymous, as upstream's union.NewFailOnError), and so is a
   * client certificate that does not verify (expired, another CA's) without a token.
   */
  async function authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    for (const a of opts.authenticators) { const u = a.authenticate(req); if (u) return u; }
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) {
      if (presentedUnverifiedCertificate(req)) throw unauthorized();
      return undefined;
    }
    const r = await authenticateToken(opts.authenticators, token, opts.registry.serviceAccountTokens?.apiAudiences ?? []);
    if (!r.result) throw unauthorized();
    return r.result.user;
  }

  /** Whether the client sent a certificate the TLS layer could not verify against the cluster CA. */
  function presentedUnverifiedCertificate(req: IncomingMessage): boolean {
    const sock = req.socket as TLSSocket;
    if (typeof sock.getPeerCertificate !== 'function' || sock.authorized) return false;
    const cert = sock.getPeerCertificate();
    return !!cert && Object.keys(cert).length > 0;
  }

  /** Throws upstream's 403 unless the registry's authorizer allows `attrs` (upstream WithAuthorization); the decision is noted on the audit record. */
  async function authorize(attrs: Attributes, audit?: RequestAudit): Promise<void> {
    const r = await opts.registry.authorizer.authorize(attrs);
    audit?.annotate('authorization.k8s.io/decision', r.decision === 'Allow' ? 'allow' : 'forbid');
    audit?.annotate('authorization.k8s.io/reason', r.reason ?? '');
    if (r.decision !== 'Allow') throw forbiddenRequestError(attrs, r.reason);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, m: RequestMetrics, t0 = performance.now()): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://apiserver');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const received = performance.timeOrigin + t0;
    const beginAudit = (requestor: UserInfo, acting: UserInfo): RequestAudit | undefined => {
      if (!opts.auditor) return undefined;
      return (m.audit = opts.auditor.begin(req, requestor, requestAttributes(acting, req.method ?? 'GET', url.pathname, parseRequestInfo(path), url.searchParams), auditIDs.get(req) ?? randomUUID(), received));
    };
    let user: UserInfo | undefined;
    try {
      user = await authenticate(req);
      if (!user && !PUBLIC_PATHS.has(path) && !opts.registry.authorizeAnonymous) throw unauthorized();
    } catch (err) {
      // A failed authentication is audited with an empty user (upstream WithFailedAuthenticationAudit).
      beginAudit({ username: '', groups: [] }, { username: '', groups: [] });
      throw err;
    }
    user ??= { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    const requestor = user;
    // Impersonate-* headers: act as the requested user once the authorizer allows it (impersonation.ts).
    if (hasImpersonation(req.headers)) {
      try { user = await impersonate(req.headers, user, opts.registry.authorizer); } catch (err) { beginAudit(requestor, requestor); throw err; }
    }
    const info = parseRequestInfo(path);
    const attrs = requestAttributes(user, req.method ?? 'GET', url.pathname, info, url.searchParams);
    const audit = beginAudit(requestor, user);
    // A refused resource request (429 here, 403 next) counts in apiserver_request_total, as upstream's.
    if (info?.isResourceRequest) labelMetrics(m, info, req.method ?? 'GET', url.searchParams);
    // API Priority and Fairness admits the request before it is authorized (upstream's filter order).
    const serve = () => serveAuthenticated(req, res, m, url, path, user!, attrs, audit);
    return flowControl ? flowControl.serve(res, attrs, url.searchParams, serve) : serve();
  }

  /** The rest of a request once its user is known and flow control admitted it: authorize, then route. */
  async function serveAuthenticated(req: IncomingMessage, res: ServerResponse, m: RequestMetrics, url: URL, path: string, user: UserInfo, attrs: Attributes, audit: RequestAudit | undefined): Promise<void> {
    await authorize(attrs, audit);

    if (path === '/version') return writeJson(res, 200, VERSION_INFO);
    if (await serveOidcDiscovery(path, res, opts.registry.serviceAccountTokens, opts.serverAddress.replace(/^0\.0\.0\.0:/, '127.0.0.1:'))) return;
    if (path === '/healthz' || path === '/livez' || path === '/readyz' || /^\/(healthz|livez|readyz)\//.test(path)) {
      const answer = await runHealthChecks(path, url.searchParams, () => opts.registry.currentRevision());
      if (!answer) throw notFoundPath();
      res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end(answer.body);
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    }
    const { discovery, openapi } = derived();
    if (path === '/openapi/v2') {
      // Swagger 2.0 as JSON, or as gnostic protobuf for kubectl ≤ 1.28 (apply, explain).
      const v2 = (openapiV2 ??= buildOpenApiV2(opts.registry.table.served()));
      if (!acceptsOpenApiV2Protobuf(req.headers.accept)) return writeJson(res, 200, v2.json);
      res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF, 'Content-Length': v2.protobuf.length, 'Cache-Control': 'no-cache, private' });
      res.end(v2.protobuf);
      return;
    }
    if (path === '/openapi/v3') return writeJson(res, 200, openapi.root);
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapi.doc(path.slice('/openapi/v3/'.length));
      if (!doc) throw notFoundPath();
      return writeJson(res, 200, doc);
    }
    if (path === '/api' || path === '/apis') {
      if (serveAggregatedDiscovery(req, res, discovery, path === '/api')) return;
      return writeJson(res, 200, path === '/api' ? discovery.api : discovery.apis);
    }

    const info = parseRequestInfo(path);
    if (!info) throw notFoundPath();
    if (!info.isResourceRequest) {
      if (info.parts[0] === 'apis' && info.parts.length === 2) {
        const g = discovery.group(info.parts[1]);
        if (!g) throw notFoundPath();
        return writeJson(res, 200, g);
      }
      const list = discovery.resourceList(info.group, info.version);
      if (!list || req.method !== 'GET') throw notFoundPath();
      return writeJson(res, 200, list);
    }
    await handleResource(req, res, url, info, user, m);
  }

  async function handleResource(req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo, user: UserInfo, m: RequestMetrics): Promise<void> {
    const q = url.searchParams;
    labelMetrics(m, info, req.method ?? 'GET', q);
    const storage = opts.registry.lookup(info.group, info.version, info.resource, info.subresource || undefined);
    const main = info.subresource ? opts.registry.lookup(info.group, info.version, info.resource) : storage;
    if (!main) throw notFoundPath();
    if (!main.info.namespaced && info.namespace && info.resource !== 'namespaces') throw notFoundPath();
    const warnings: string[] = [];
    const ctx: RequestContext = { user, namespace: main.info.namespaced ? info.namespace : '', dryRun: q.get('dryRun') === 'All', fieldManager: q.get('fieldManager') ?? undefined, fieldValidation: parseFieldValidation(q.get('fieldValidation')), warnings, force: q.get('force') === 'true', userAgent: req.headers['user-agent'], auditAnnotate: m.audit ? (k, v) => m.audit?.annotate(k, v) : undefined };
    const method = req.method ?? 'GET';
    if (storage?.warning) warnings.push(storage.warning);
    // Warnings gathered while serving (deprecations, unknown fields) go out as `Warning: 299` headers.
    const writeHead = res.writeHead.bind(res);
    // Long-running requests (upstream's LongRunningRequestCheck: watch, and the streaming subresources) reach ResponseStarted.
    const longRunning = m.verb === 'WATCH' || ['exec', 'attach', 'portforward', 'proxy', 'log'].includes(info.subresource);
    res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
      if (warnings.length && !res.headersSent) res.setHeader('Warning', warnings.map(warningHeader));
      if (longRunning && !res.headersSent) m.audit?.stage('ResponseStarted', { code: Number(args[0]) });
      return writeHead(...args);
    }) as typeof res.writeHead;

    if (!storage || !subpathServed(storage, info)) throw notFoundPath();
    if (storage.connect) {
      if (!(storage.connectMethods ?? ['GET']).includes(method) || !info.name) throw methodNotAllowed('the server does not allow this method on the requested resource');
      return storage.connect(ctx, info.name, { req, res, query: q, subpath: info.subpath, path: url.pathname });
    }
    const printer = opts.registry.table.printerOf(main.info.group, main.info.plural, main.info.version);
    const mainMessage = opts.registry.table.get(info.group, info.version, info.resource)?.protobufMessage;
    const listOpts = (): ListOptions => ({
      labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined,
      resourceVersion: q.get('resourceVersion') ?? undefined, resourceVersionMatch: (q.get('resourceVersionMatch') as ListOptions['resourceVersionMatch']) ?? undefined,
      limit: q.has('limit') ? Number(q.get('limit')) : undefined, continue: q.get('continue') ?? undefined,
    });
    const isList = method === 'GET' && !info.name && !(info.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1');
    const media = negotiate(req.headers.accept, isList, hasProtobufMessage(mainMessage));
    m.media = media;
    const write = (code: number, body: unknown): void => { m.audit?.setResponseObject(body); writeEncoded(res, code, body, media.encoding, responseMessageOf); };
    const table = media.as === 'Table';
    const includeObject = q.get('includeObject') ?? 'Metadata';
    const need = <K extends keyof RestStorage>(k: K): NonNullable<RestStorage[K]> => {
      const fn = storage[k];
      if (!fn) throw methodNotAllowed('the server does not allow this method on the requested resource');
      return (fn as (...a: unknown[]) => unknown).bind(storage) as NonNullable<RestStorage[K]>;
    };
    const respondObject = (code: number, obj: KubeObject): void => {
      if (table && !info.subresource) write(code, toTable(printer, [obj], obj.metadata?.resourceVersion, includeObject));
      else if (media.as === 'PartialObjectMetadata' && obj.kind !== 'Status') write(code, partialObject(obj));
      else write(code, obj);
    };

    switch (method) {
      case 'GET': {
        const watch = info.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
        if (info.name && !watch) return respondObject(200, await need('get')(ctx, info.name));
        if (watch) {
          const w = need('watch');
          const bookmarks = q.get('allowWatchBookmarks') === 'true';
          const wopts = { ...listOpts(), allowWatchBookmarks: bookmarks, sendInitialEvents: q.has('sendInitialEvents') ? q.get('sendInitialEvents') === 'true' : undefined, signal: new AbortController().signal };
          if (info.name) wopts.fieldSelector = [wopts.fieldSelector, `metadata.name=${info.name}`].filter(Boolean).join(',');
          const done = metrics.watchStarted(info);
          res.on('close', done);
          return serveWatch(req, res, (signal) => w(ctx, { ...wopts, signal }), {
            finalBookmark: bookmarks,
            timeoutSeconds: q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined,
            transform: table ? (obj, first) => toTable(printer, [obj], obj.metadata?.resourceVersion, includeObject, !first)
              : media.as === 'PartialObjectMetadata' ? (obj) => partialObject(obj) : undefined,
            ...(media.encoding === 'protobuf' ? { frame: protobufFrame(media), contentType: PROTOBUF_WATCH } : {}),
          });
        }
        const list = await need('list')(ctx, listOpts()) as KubeList;
        if (table) return write(200, toTable(printer, list.items, list.metadata.resourceVersion, includeObject, false, { continue: list.metadata.continue, remainingItemCount: list.metadata.remainingItemCount }));
        return write(200, media.as === 'PartialObjectMetadataList' ? partialList(list) : list);
      }
      case 'POST': {
        if (info.name && !info.subresource) throw methodNotAllowed('the server does not allow this method on the requested resource');
        const body = decodeObject(await readBody(req), req.headers['content-type'], storage.bodyMessage ?? mainMessage, ctx) as KubeObject;
        m.audit?.setRequestObject(body);
        const created = await need('create')(ctx, body, info.name || undefined);
        return respondObject((created as unknown as Status).kind === 'Status' ? ((created as unknown as Status).code ?? 201) : 201, created);
      }
      case 'PUT': {
        if (!info.name) throw methodNotAllowed('the server does not allow this method on the requested resource');
        const body = decodeObject(await readBody(req), req.headers['content-type'], storage.bodyMessage ?? mainMessage, ctx) as KubeObject;
        m.audit?.setRequestObject(body);
        const r = await need('update')(ctx, info.name, body);
        return respondObject(r.created ? 201 : 200, r.object);
      }
      case 'PATCH': {
        if (!info.name) throw methodNotAllowed('the server does not allow this method on the requested resource');
        const ct = (req.headers['content-type'] ?? '').split(';')[0].trim();
        const type: PatchType | undefined = ({
          'application/json-patch+json': 'json', 'application/merge-patch+json': 'merge',
          'application/strategic-merge-patch+json': 'strategic', 'application/apply-patch+yaml': 'apply',
        } as Record<string, PatchType>)[ct];
        if (!type) throw unsupportedMediaType(ct || '<none>');
        const patch = decodeBody(await readBody(req), type === 'apply' ? 'application/yaml' : 'application/json');
        m.audit?.setRequestObject(patch);
        return respondObject(200, await need('patch')(ctx, info.name, type, patch));
      }
      case 'DELETE': {
        const raw = await readBody(req);
        let dopts: DeleteOptions = {};
        if (raw.length && (isProtobufContentType(req.headers['content-type']) || raw.toString().trim())) {
          // DeleteOptions in the body: JSON, or protobuf from client-go (kubectl drain).
          const parsed = decodeBody(raw, req.headers['content-type'] ?? 'application/json', messageOf);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('DeleteOptions must be a JSON object');
          const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = parsed as Record<string, unknown>;
          dopts = rest as DeleteOptions;
        }
        if (q.has('gracePeriodSeconds')) dopts.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
        if (q.has('propagationPolicy')) dopts.propagationPolicy = q.get('propagationPolicy') as DeleteOptions['propagationPolicy'];
        if (q.getAll('dryRun').length) dopts.dryRun = q.getAll('dryRun');
        const dryRun = dopts.dryRun ?? [];
        if (!Array.isArray(dryRun) || dryRun.some((d) => d !== 'All')) throw badRequest(`Invalid value: ${JSON.stringify(dryRun)}: supported values: "All"`);
        ctx.dryRun = dryRun.includes('All');
        if (raw.length) m.audit?.setRequestObject({ kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/__internal', ...dopts });
        if (!info.name) return write(200, await need('deleteCollection')(ctx, dopts, listOpts()));
        const r = await need('delete')(ctx, info.name, dopts);
        return respondObject(200, r.object);
      }
      default:
        throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
  }
}

/** The token of an `Authorization: Bearer <token>` header (upstream bearertoken); undefined when absent or empty. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : undefined;
}
