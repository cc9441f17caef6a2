/**
 * Storage on a real etcd v3 cluster (upstream k8s.io/apiserver/pkg/storage/etcd3/store.go
 * and watcher.go), through the npm `etcd3` client's raw gRPC services. One small file per
 * verb (create, get, list, update, delete, watch, compact, members, snapshot) shares an
 * EtcdContext (context.ts); this class only wires them to the Storage interface and owns
 * the client and the running watches.
 *
 * Layout: a Storage key (`/registry/pods/default/web-1`) is the etcd key, behind
 * `pathPrefix`. Values are the object as JSON without metadata.resourceVersion, through
 * the ValueTransformer; every read sets resourceVersion to the key's mod_revision.
 * Consistency: every write is one etcd transaction compared on create_revision (create)
 * or mod_revision (update, delete), so concurrent writers from any number of apiservers
 * conflict and retry exactly as upstream's do. Errors: always StorageError (map-error.ts).
 */
import { Etcd3, isRecoverableError } from 'etcd3';
import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, isBrokenCircuitError, retry } from 'cockatiel';
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { DatastoreMember, DatastoreMembers, ListOptions, ListResult, Preconditions, Storage, StorageWatchEvent, WatchOptions } from '../interface.js';
import { identityTransformer, type ValueTransformer } from '../value-transformer.js';
import { compactAt, currentRevisionOf } from './compact.js';
import { startEtcdCompactor } from './compactor.js';
import type { EtcdContext } from './context.js';
import { createKey } from './create.js';
import { deleteKey } from './delete.js';
import { getKey } from './get.js';
import { listPrefix } from './list.js';
import { listMembers } from './members.js';
import { saveSnapshot } from './snapshot.js';
import { guaranteedUpdateKey } from './update.js';
import { watchKey } from './watch.js';

export interface Etcd3StorageOptions {
  /** Client URLs (`http://127.0.0.1:2379`); requests go to any of them, failing over between them. */
  endpoints: string[];
  /** Prepended to every key in etcd (default ''); tests use it to isolate cases on one etcd. */
  pathPrefix?: string;
  /** Values on their way to and from etcd, e.g. encryption at rest; default identity. */
  transformer?: ValueTransformer;
  /** How long to wait for a connection, in ms (default 5000). */
  dialTimeoutMs?: number;
  /** Deadline of every unary call, in ms (default 15000); streams (watch, snapshot) have none. */
  requestTimeoutMs?: number;
  /** Period of the coordinated compaction (compactor.ts) in ms (default 300000 = 5 min; 0 disables). */
  compactIntervalMs?: number;
}

/**
 * Connects to `opts.endpoints` and checks that etcd answers (one cheap range).
 * Throws StorageError Unreachable (after closing the client) when it does not.
 */
export async function openEtcd3Storage(opts: Etcd3StorageOptions): Promise<Etcd3Storage> {
  const storage = new Etcd3Storage(opts);
  try {
    await storage.currentRevision();
  } catch (err) {
    await storage.close();
    throw err;
  }
  return storage;
}

/** The Storage implementation over etcd v3; see the module doc. Also reports members and takes snapshots. */
export class Etcd3Storage implements Storage, DatastoreMembers {
  private readonly ctx: EtcdContext;
  private readonly stopCompactor: () => void;
  private closed = false;

  constructor(opts: Etcd3StorageOptions) {
    const requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
    const client = new Etcd3({
      hosts: opts.endpoints,
      dialTimeout: opts.dialTimeoutMs ?? 5000,
      // A list of a large keyspace (the watch cache's first fill) easily passes gRPC's default 4 MiB; upstream's client allows up to 2 GiB.
      grpcOptions: { 'grpc.max_receive_message_length': 2 ** 31 - 1 },
      faultHandling: {
        // A member that fails (killed, or during a leader election) is skipped for 1 s after 5 failures in a row…
        host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) }),
        // …and a call that failed on one member, or found every breaker open, is tried again on the others
        // with back-off for ~3 s, as upstream's client retries Unavailable across endpoints.
        global: retry(handleWhen((e) => isRecoverableError(e) || isBrokenCircuitError(e)), { maxAttempts: 8, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 800 }) }),
      },
      defaultCallOptions: (c) => (c.isStream ? {} : { deadline: Date.now() + requestTimeoutMs }),
    });
    const self = this;
    this.ctx = {
      client, pathPrefix: opts.pathPrefix ?? '', transformer: opts.transformer ?? identityTransformer,
      watches: new Set(), lastRevision: 0,
      ensureOpen(key) { if (self.closed) throw new StorageError('Unreachable', key, 'storage is closed'); },
    };
    this.stopCompactor = startEtcdCompactor(this.ctx, opts.compactIntervalMs ?? 5 * 60_000);
  }

  create<T extends KubeObject>(key: string, obj: T): Promise<T> { return createKey(this.ctx, key, obj); }

  get<T extends KubeObject>(key: string): Promise<T> { return getKey<T>(this.ctx, key); }

  list<T extends KubeObject>(prefix: string, opts?: ListOptions): Promise<ListResult<T>> { return listPrefix<T>(this.ctx, prefix, opts); }

  guaranteedUpdate<T extends KubeObject>(key: string, tryUpdate: (current: T | null) => T | Promise<T>, opts?: { preconditions?: Preconditions; ignoreNotFound?: boolean }): Promise<T> {
    return guaranteedUpdateKey(this.ctx, key, tryUpdate, opts);
  }

  delete<T extends KubeObject>(key: string, opts?: { preconditions?: Preconditions; validateDeletion?: (current: T) => void | Promise<void> }): Promise<T> {
    return deleteKey(this.ctx, key, opts);
  }

  watch<T extends KubeObject>(key: string, opts?: WatchOptions): AsyncIterable<StorageWatchEvent<T>> { return watchKey<T>(this.ctx, key, opts); }

  currentRevision(): Promise<number> { return currentRevisionOf(this.ctx); }

  /** etcd Compact (physical), cluster-wide; see compact.ts. */
  compact(revision: number): Promise<void> { return compactAt(this.ctx, revision); }

  /** Every member with its health (members.ts). Throws Unreachable. */
  members(): Promise<DatastoreMember[]> { return listMembers(this.ctx); }

  /** Writes etcd's snapshot to `path` (snapshot.ts; upstream `etcdctl snapshot save`). Throws Unreachable. */
  snapshot(path: string): Promise<void> { return saveSnapshot(this.ctx, path); }

  /** Ends every running watch, then closes the client. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompactor();
    for (const finish of [...this.ctx.watches]) finish();
    this.ctx.client.close();
  }
}
