/**
 * The API client every component uses (scheduler, controllers, kubelet): a thin REST
 * client over HTTPS to the apiserver, in the manner of client-go's dynamic client.
 * Errors from the server are thrown as StatusError (machinery/errors.ts) carrying the
 * server's Status, so `isNotFound(err)` / `isConflict(err)` work on them.
 */
import type { KubeList, KubeObject } from '../api/object.js';

/** A resource addressed by group/version/plural: {group:'apps', version:'v1', resource:'deployments'}. */
export interface ResourceRef { group: string; version: string; resource: string }

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  limit?: number;
  continue?: string;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** Aborting closes the stream and ends the iteration. */
  signal?: AbortSignal;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
/** One line of a watch stream (meta/v1 WatchEvent); for ERROR, object is a Status. */
export interface WatchEvent<T extends KubeObject = KubeObject> { type: WatchEventType; object: T }

export type PatchType = 'application/json-patch+json' | 'application/merge-patch+json' | 'application/strategic-merge-patch+json';

export interface DeleteOptions {
  namespace?: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** CRUD + watch on one resource (optionally one subresource such as 'status'). */
export interface ResourceClient<T extends KubeObject = KubeObject> {
  get(name: string, opts?: { namespace?: string; subresource?: string }): Promise<T>;
  list(opts?: ListOptions): Promise<KubeList<T>>;
  /** Streams events until the server ends the watch or the signal aborts. */
  watch(opts?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** Namespace comes from obj.metadata.namespace unless given. `subresource` e.g. 'binding' (POST pods/x/binding). */
  create<R extends KubeObject = T>(obj: KubeObject, opts?: { namespace?: string; name?: string; subresource?: string }): Promise<R>;
  /** PUT; uses obj.metadata.resourceVersion for optimistic concurrency (409 on conflict). */
  update(obj: T, opts?: { subresource?: string }): Promise<T>;
  patch(name: string, patch: unknown, type: PatchType, opts?: { namespace?: string; subresource?: string }): Promise<T>;
  /** Returns the object (graceful deletion or finalizers pending) or the server's Status. */
  delete(name: string, opts?: DeleteOptions): Promise<unknown>;
}

/** Entry point: a ResourceClient per resource, plus raw requests. */
export interface Client {
  resource<T extends KubeObject = KubeObject>(ref: ResourceRef): ResourceClient<T>;
  /** Raw request to an API path (e.g. '/version'); JSON in and out; throws StatusError on >= 400. */
  request<R = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<R>;
}

/** Refs for the kinds of the core set, so components don't spell them out. */
export const resources = {
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  services: { group: '', version: 'v1', resource: 'services' },
  endpoints: { group: '', version: 'v1', resource: 'endpoints' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  serviceaccounts: { group: '', version: 'v1', resource: 'serviceaccounts' },
  events: { group: '', version: 'v1', resource: 'events' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
} as const satisfies Record<string, ResourceRef>;
