/**
 * The contract between the apiserver's HTTP layer (endpoints/handlers) and its
 * registry (upstream k8s.io/apiserver/pkg/registry/rest: Getter, Lister, Watcher,
 * Creater, Updater, Patcher, GracefulDeleter). The HTTP layer decodes requests, finds
 * the {@link RestStorage} for `group/resource[/subresource]` and calls it; every
 * failure is thrown as a StatusError (machinery/errors.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeList, KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resource-definition.js';
import type { ResourceTable } from '../../api/resource-table.js';
import type { FieldValidation } from '../field-validation.js';
import type { Authenticator } from '../authn/authenticator.js';
import type { ServiceAccountTokens } from '../authn/service-account-token.js';
import type { Authorizer } from '../authz/authorizer.js';

/** The authenticated user (upstream user.Info). */
export interface UserInfo { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> }

export interface RequestContext {
  user: UserInfo;
  /** '' for cluster-scoped resources or all-namespace lists/watches. */
  namespace: string;
  /** `?dryRun=All`: validate and return the result without persisting. */
  dryRun?: boolean;
  fieldManager?: string;
  /** `?fieldValidation=` for bodies and patch results; absent → Warn. */
  fieldValidation?: FieldValidation;
  /** `?force=true` of server-side apply: take over conflicting fields. */
  force?: boolean;
  /** The client's User-Agent; its product name is the field manager when none is given. */
  userAgent?: string;
  /** Warnings collected while serving the request (sent as `Warning: 299` headers). */
  warnings?: string[];
  /** Adds an annotation to the request's audit events (admission webhooks and policies); absent without auditing. */
  auditAnnotate?: (key: string, value: string) => void;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  limit?: number;
  continue?: string;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** Ends the watch. */
  signal: AbortSignal;
}

export interface WatchEvent { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: KubeObject }

/** meta/v1 DeleteOptions as sent in a DELETE body or query. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/**
 * One request to a streaming subresource (upstream rest.Connecter): plain HTTP with
 * `res` to answer on, or an Upgrade (WebSocket/SPDY) with the raw socket.
 */
export interface ConnectRequest {
  req: IncomingMessage;
  query: URLSearchParams;
  /**
   * For connecters with `connectSubpath`: the request path after `{name}/{subresource}`,
   * percent-encoded, with a leading slash and the request's trailing slash ('' when none).
   */
  subpath?: string;
  /** The request's whole path, percent-encoded (proxies rewrite redirects with it). */
  path?: string;
  /** Set for plain HTTP requests. */
  res?: ServerResponse;
  /** Set for Upgrade requests. */
  upgrade?: { socket: Duplex; head: Buffer };
}

/**
 * One resource or subresource. Methods a resource does not support are absent; the
 * HTTP layer answers 405 MethodNotAllowed for them.
 */
export interface RestStorage {
  /** The resource this serves (for subresources: of the parent). */
  readonly info: ResourceInfo;
  /** For subresources: 'status', 'scale', 'binding'; undefined for the main resource. */
  readonly subresource?: string;
  /** A deprecation warning sent as a `Warning: 299` header with every response. */
  readonly warning?: string;
  /** Group/version/kind of what this storage returns (e.g. autoscaling/v1 Scale for 'scale'). */
  readonly returnsKind?: { group: string; version: string; kind: string };
  /** Protobuf message of request bodies when it is not the resource's own (Scale, Binding). */
  readonly bodyMessage?: string;
  get?(ctx: RequestContext, name: string): Promise<KubeObject>;
  list?(ctx: RequestContext, opts: ListOptions): Promise<KubeList>;
  watch?(ctx: RequestContext, opts: WatchOptions): AsyncIterable<WatchEvent>;
  /** For subresources like 'binding', `name` is the parent's name. */
  create?(ctx: RequestContext, obj: KubeObject, name?: string): Promise<KubeObject>;
  /** PUT. Returns `created: true` when the PUT created the object (HTTP 201). */
  update?(ctx: RequestContext, name: string, obj: KubeObject): Promise<{ object: KubeObject; created: boolean }>;
  patch?(ctx: RequestContext, name: string, type: PatchType, patch: unknown): Promise<KubeObject>;
  /** `deleted: false` when deletion is pending (grace period, finalizers): HTTP 202 with the object. */
  delete?(ctx: RequestContext, name: string, opts: DeleteOptions): Promise<{ object: KubeObject; deleted: boolean }>;
  deleteCollection?(ctx: RequestContext, opts: DeleteOptions, listOpts: ListOptions): Promise<KubeList>;
  /** Streaming subresources (log, exec, attach, portforward, proxy): answers the request itself. Throws StatusError before answering. */
  connect?(ctx: RequestContext, name: string, request: ConnectRequest): Promise<void>;
  /** HTTP methods `connect` serves, e.g. ['GET'] for log, ['GET', 'POST'] for exec. */
  readonly connectMethods?: string[];
  /** The connecter takes a path below it (`pods/{name}/proxy/{path}`, upstream's connect subpath). */
  readonly connectSubpath?: boolean;
}

/** All storages of the apiserver, keyed `group/resource` or `group/resource/subresource` ('' group for core). */
export interface Registry {
  /** The served kinds (discovery, OpenAPI and printers read it). */
  readonly table: ResourceTable;
  /** The datastore's latest revision, read from the backend (the health checks' datastore probe). Throws StorageError Unreachable. */
  currentRevision(): Promise<number>;
  /** Every served main resource, for discovery. */
  resources(): ResourceInfo[];
  lookup(group: string, version: string, resource: string, subresource?: string): RestStorage | undefined;
  /** The authorizer (review kinds, impersonation); not enforced on requests yet. */
  readonly authorizer: Authorizer;
  /** The authentication chain requests and TokenReview go through. */
  readonly authenticators: Authenticator[];
  /**
   * Whether requests without credentials reach the authorizer as `system:anonymous`
   * (upstream `--anonymous-auth`, with RBAC judging them); false: only the health and
   * version paths are served to them, anything else is 401.
   */
  readonly authorizeAnonymous?: boolean;
  /** The ServiceAccount token issuer, when tokens are served (OIDC discovery documents). */
  readonly serviceAccountTokens?: ServiceAccountTokens;
}
