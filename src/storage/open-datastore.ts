/**
 * The apiserver's datastore, chosen once from `--datastore-endpoint` (k3s's flag, same
 * syntax): empty or `sqlite://[<file>]` → the embedded SQLite file (default: the data
 * directory's); `http://host:port[,http://host:port…]` (or https) → an etcd v3 cluster
 * with upstream's key layout. Either sits behind the watch cache (cacher/). Every
 * command that serves or maintains the API opens its storage here.
 */
import type { Storage } from './interface.js';
import { newCacher } from './cacher/cacher.js';
import { openSqliteStorage, type SqliteStorage } from './sqlite/sqlite-storage.js';
import { openEtcd3Storage, type Etcd3Storage } from './etcd3/etcd3-storage.js';
import type { ValueTransformer } from './value-transformer.js';
import { parseDatastoreEndpoint } from './datastore-endpoint.js';
import { startSnapshotSchedule, type SnapshotSchedule } from './snapshot.js';

export { parseDatastoreEndpoint, type DatastoreEndpoint } from './datastore-endpoint.js';

export interface DatastoreOptions {
  /** The SQLite database file when no etcd endpoint is given. */
  path: string;
  /** `--datastore-endpoint` (parseDatastoreEndpoint); default: the SQLite file at `path`. */
  endpoint?: string;
  /** Serve lists and watches from memory (default true; upstream's --watch-cache). */
  watchCache?: boolean;
  log?: (msg: string) => void;
  /** Encryption at rest (`--encryption-provider-config`, encryption/encryption-config.ts); default none. */
  transformer?: ValueTransformer;
  /** Scheduled snapshots (`--snapshot-interval`, `--snapshot-retention`, `--snapshot-dir`); default none. */
  snapshots?: SnapshotSchedule;
}

/**
 * The backend alone (no watch cache): SQLite or etcd, per `opts.endpoint`; `compactIntervalMs`
 * overrides the backend's compaction period (0: none). Throws StorageError Unreachable when
 * etcd does not answer, Error on a bad endpoint.
 */
export async function openBackend(opts: Omit<DatastoreOptions, 'watchCache' | 'log' | 'snapshots'> & { compactIntervalMs?: number }): Promise<SqliteStorage | Etcd3Storage> {
  const target = parseDatastoreEndpoint(opts.endpoint, opts.path);
  if (target.kind === 'sqlite' && !target.path) throw new Error('no SQLite file: give sqlite://<file>');
  const { transformer, compactIntervalMs } = opts;
  if (target.kind === 'etcd') return openEtcd3Storage({ endpoints: target.endpoints, transformer, compactIntervalMs });
  return openSqliteStorage({ path: target.path, transformer, compactIntervalMs });
}

/** Opens the datastore and, unless disabled, fills its watch cache before returning. */
export async function openDatastore(opts: DatastoreOptions): Promise<Storage> {
  if (opts.watchCache === false && opts.snapshots) throw new Error('scheduled snapshots need the watch cache');
  const backend = await openBackend(opts);
  if (opts.watchCache === false) return backend;
  const stopSnapshots = opts.snapshots ? startSnapshotSchedule(backend, opts.snapshots, opts.log) : undefined;
  try {
    return await newCacher(backend, { log: opts.log, onClose: stopSnapshots });
  } catch (err) {
    stopSnapshots?.();
    await backend.close();
    throw err;
  }
}
