/**
 * Contracts of the client-go style pipeline (reflector → store/indexer → shared
 * informer → lister) and the work queue. Controllers, the scheduler and the kubelet
 * program against these types; implementations live beside this file.
 * Upstream: k8s.io/client-go/tools/cache and k8s.io/client-go/util/workqueue.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceRef } from '../interface.js';

/** Key of an object in a store: `namespace/name`, or `name` for cluster-scoped objects. */
export function metaNamespaceKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : `${name}`;
}

/** Splits a key made by {@link metaNamespaceKey}. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** What onDelete receives when the final state was missed (a relist found it gone). */
export interface DeletedFinalStateUnknown<T extends KubeObject = KubeObject> { key: string; obj: T; tombstone: true }

export interface ResourceEventHandler<T extends KubeObject = KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

/** Read-only view of an informer's cache. Returned objects must not be mutated. */
export interface Lister<T extends KubeObject = KubeObject> {
  /** All objects, or those of one namespace; optionally filtered by a label selector string. */
  list(opts?: { namespace?: string; labelSelector?: string }): T[];
  /** By key (`ns/name` or `name`). */
  get(key: string): T | undefined;
  /** Objects whose index `indexName` has `value` (e.g. index 'spec.nodeName'). */
  byIndex(indexName: string, value: string): T[];
}

/** Index functions: name → (obj → index values). */
export type Indexers<T extends KubeObject = KubeObject> = Record<string, (obj: T) => string[]>;

export interface SharedIndexInformer<T extends KubeObject = KubeObject> {
  readonly lister: Lister<T>;
  /** Handlers added after start get synthetic onAdd calls for the objects already cached. */
  addEventHandler(handler: ResourceEventHandler<T>): void;
  addIndexers(indexers: Indexers<T>): void;
  hasSynced(): boolean;
}

/** What an informer lists and watches; `metadataOnly` keeps only PartialObjectMetadata (client-go's metadata informers). */
export interface InformerOptions { namespace?: string; labelSelector?: string; fieldSelector?: string; metadataOnly?: boolean }

/** One informer per (resource, options); all handlers share one list+watch. */
export interface SharedInformerFactory {
  forResource<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: InformerOptions): SharedIndexInformer<T>;
  /** Starts every informer requested so far (and later ones as they are requested). Runs until the signal aborts. */
  start(signal: AbortSignal): void;
  /** Resolves when every started informer has synced; rejects if the signal aborts first. */
  waitForCacheSync(signal?: AbortSignal): Promise<void>;
}

/**
 * A rate-limited, delaying work queue with client-go's guarantees: a key is never
 * processed by two workers at once; a key added while processing is re-queued after done().
 */
export interface WorkQueue<K = string> {
  add(key: K): void;
  addAfter(key: K, delayMs: number): void;
  /** Re-adds after the rate limiter's delay (per-key exponential backoff, 5 ms .. 1000 s). */
  addRateLimited(key: K): void;
  /** Clears the key's backoff. */
  forget(key: K): void;
  numRequeues(key: K): number;
  /** Waits for the next key; `shutdown` is true once shutDown() was called and the queue drained. */
  get(): Promise<{ key: K; shutdown: false } | { key: undefined; shutdown: true }>;
  done(key: K): void;
  len(): number;
  shutDown(): void;
}
