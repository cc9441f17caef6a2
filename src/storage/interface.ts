/**
 * The storage seam of the apiserver (upstream k8s.io/apiserver/pkg/storage/interfaces.go).
 * Only the apiserver's registry uses it. Keys are strings like `/registry/pods/default/web-1`
 * (namespaced) or `/registry/nodes/node-1`; a prefix ends with `/`.
 *
 * Revisions: every write (create, update, delete) gets a new cluster-wide revision, a
 * positive integer that only grows. Objects are stored as JSON; on every read the
 * backend sets `metadata.resourceVersion` to the object's modification revision (as a
 * decimal string) — callers never store a resourceVersion themselves.
 *
 * Implementations: sqlite/ (embedded, kine-style revision log), etcd3/ (a real etcd v3). Every
 * implementation runs the shared suite in conformance.ts.
 */
import type { KubeObject } from '../api/object.js';

/** Preconditions checked atomically with a write; failing ones throw ResourceVersionConflicts. */
export interface Preconditions { uid?: string; resourceVersion?: string }

export interface ListOptions {
  /** 0 or undefined: the latest revision. Otherwise list as of that revision (ResourceExpired if compacted). */
  revision?: number;
  /** Maximum number of items; 0/undefined means all. */
  limit?: number;
  /** Continue after this key (exclusive), as returned in ListResult.continueKey. */
  continueKey?: string;
  /**
   * With revision 0: any recent state will do (upstream's resourceVersion="0" read, what
   * informers give admission plugins); a watch cache answers at once from what it holds
   * instead of waiting to catch up. Backends without a cache ignore it.
   */
  fromCache?: boolean;
}

export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  /** The storage key of each item, in the same order (the cacher indexes by them). */
  keys: string[];
  /** The revision the list was read at (becomes the List's resourceVersion). */
  revision: number;
  /** Set when `limit` cut the result: the last key returned. */
  continueKey?: string;
  /** How many more items exist after this page, when known. */
  remainingItemCount?: number;
}

/**
 * PROGRESS (only with WatchOptions.progressNotifyMs; etcd's progress notification): every
 * change at or below `revision` was delivered; `object` carries only metadata.resourceVersion.
 */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'PROGRESS';

export interface StorageWatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  key: string;
  /** New state; for DELETED the last state, with resourceVersion = the deletion's revision. */
  object: T;
  /** State before the change (MODIFIED, DELETED), for selector transitions. */
  prevObject?: T;
  revision: number;
}

export interface WatchOptions {
  /** Deliver every change with revision > this. 0/undefined: from now on. ResourceExpired if compacted. */
  revision?: number;
  /** Watch every key under `key` (a prefix ending with '/'); otherwise exactly `key`. */
  recursive?: boolean;
  /** Aborting ends the iteration. */
  signal?: AbortSignal;
  /** When set, a PROGRESS event with the current revision is delivered this often (ms), in order with the changes. */
  progressNotifyMs?: number;
}

export interface Storage {
  /** Stores a new object; throws KeyExists. Returns it with resourceVersion set. */
  create<T extends KubeObject>(key: string, obj: T): Promise<T>;
  /**
   * Throws KeyNotFound. `fromCache`: any recent state will do (upstream's lister read, as
   * admission plugins use): a watch cache answers from what it holds — a frozen object the
   * caller must not change — and reads the backend only for a key it does not hold.
   * Backends without a cache ignore it.
   */
  get<T extends KubeObject>(key: string, opts?: { fromCache?: boolean }): Promise<T>;
  /** Objects whose key starts with `prefix`, ordered by key. */
  list<T extends KubeObject>(prefix: string, opts?: ListOptions): Promise<ListResult<T>>;
  /**
   * Read-modify-write with retry on concurrent change (upstream GuaranteedUpdate):
   * reads the current object (or null when absent and `ignoreNotFound`), calls
   * `tryUpdate`, and writes the result only if the object did not change meanwhile;
   * otherwise reads again and retries. `tryUpdate` may throw to abort (the error
   * propagates unchanged). Preconditions are checked against the current object.
   * Throws KeyNotFound when absent (unless ignoreNotFound).
   */
  guaranteedUpdate<T extends KubeObject>(
    key: string,
    tryUpdate: (current: T | null) => T | Promise<T>,
    opts?: { preconditions?: Preconditions; ignoreNotFound?: boolean },
  ): Promise<T>;
  /**
   * Deletes the object; `validateDeletion` (optional) runs against the current state
   * and may throw to abort. Returns the last state (resourceVersion = deletion revision).
   * Throws KeyNotFound, ResourceVersionConflicts (preconditions).
   */
  delete<T extends KubeObject>(
    key: string,
    opts?: { preconditions?: Preconditions; validateDeletion?: (current: T) => void | Promise<void> },
  ): Promise<T>;
  /** Change events in revision order; ends when the signal aborts or close() is called. */
  watch<T extends KubeObject>(key: string, opts?: WatchOptions): AsyncIterable<StorageWatchEvent<T>>;
  /** The latest revision. */
  currentRevision(): Promise<number>;
  /** Forgets history at and before `revision` (keeps the latest state of every key). */
  compact(revision: number): Promise<void>;
  /** Closes the backend; running watches end. */
  close(): Promise<void>;
}

/** One datastore member as `members()` reports it. */
export interface DatastoreMember {
  /** The member's name (`etcd-0`; its hex ID when it has no name yet). */
  name: string;
  /** Where clients reach it (`http://127.0.0.1:2379`). */
  clientURLs: string[];
  /** Whether it answered a status/health check just now. */
  healthy: boolean;
  /** Why it is not healthy. */
  error?: string;
}

/**
 * Optional extra of a clustered backend (etcd3/): its members and their health, for
 * `kubectl get componentstatuses` (upstream pkg/registry/core/componentstatus, one
 * `etcd-N` per member). Throws StorageError Unreachable when the member list cannot be read.
 */
export interface DatastoreMembers {
  members(): Promise<DatastoreMember[]>;
}
