/**
 * Embedded storage on SQLite in the manner of k3s's kine: an append-only revision log
 * (schema.ts) with one small file per verb (create, get, list, update, delete, watch,
 * compact). This class only wires them to the Storage interface and owns the database
 * handle, the watch hub and the periodic compactor.
 *
 * Consistency: better-sqlite3 is synchronous and this process is the only writer, so
 * every verb's read-check-append runs without interleaving; guaranteedUpdate and delete
 * still compare-and-swap because the caller's callbacks are async.
 * Upstream: k3s-io/kine pkg/logstructured, k8s.io/apiserver/pkg/storage/interfaces.go.
 */
import { identityTransformer, type ValueTransformer } from '../value-transformer.js';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { ListOptions, ListResult, Preconditions, Storage, StorageWatchEvent, WatchOptions } from '../interface.js';
import { compactLog, startCompactor } from './compact.js';
import { createKey } from './create.js';
import { deleteKey } from './delete.js';
import { getKey } from './get.js';
import { listPrefix } from './list.js';
import type { LogContext } from './log-context.js';
import { prepareStatements } from './schema.js';
import { guaranteedUpdateKey } from './update.js';
import { WatchHub } from '../watch-hub.js';
import { watchKey } from './watch.js';

export interface SqliteStorageOptions {
  /** Database file (its directory is created); ':memory:' for tests. */
  path: string;
  /** Period of automatic compaction in ms (default 300000 = 5 min; 0 disables). */
  compactIntervalMs?: number;
  /** Revisions kept by automatic compaction (default 1000). */
  compactRetainRevisions?: number;
  /** Values on their way to and from the rows, e.g. encryption at rest (encryption/encryption-config.ts); default identity. */
  transformer?: ValueTransformer;
}

/** Opens (creating if needed) the database at `opts.path`, in WAL mode with synchronous=NORMAL. */
export async function openSqliteStorage(opts: SqliteStorageOptions): Promise<Storage> {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
  return new SqliteStorage(opts);
}

/** The Storage implementation over one SQLite file; see the module doc. */
export class SqliteStorage implements Storage {
  private readonly ctx: LogContext;
  private readonly stopCompactor: () => void;
  private closed = false;

  constructor(opts: SqliteStorageOptions) {
    const db = new Database(opts.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const stmts = prepareStatements(db);
    const self = this;
    this.ctx = {
      db, stmts, hub: new WatchHub(), transformer: opts.transformer ?? identityTransformer,
      compactedRevision: stmts.getMeta.get('compact_rev')?.value ?? 0,
      ensureOpen(key) { if (self.closed) throw new StorageError('Unreachable', key, 'storage is closed'); },
    };
    this.stopCompactor = startCompactor(this.ctx, opts.compactIntervalMs ?? 5 * 60_000, opts.compactRetainRevisions ?? 1000);
  }

  async create<T extends KubeObject>(key: string, obj: T): Promise<T> { return createKey(this.ctx, key, obj); }

  async get<T extends KubeObject>(key: string): Promise<T> { return getKey<T>(this.ctx, key); }

  async list<T extends KubeObject>(prefix: string, opts?: ListOptions): Promise<ListResult<T>> { return listPrefix<T>(this.ctx, prefix, opts); }

  guaranteedUpdate<T extends KubeObject>(key: string, tryUpdate: (current: T | null) => T | Promise<T>, opts?: { preconditions?: Preconditions; ignoreNotFound?: boolean }): Promise<T> {
    return guaranteedUpdateKey(this.ctx, key, tryUpdate, opts);
  }

  delete<T extends KubeObject>(key: string, opts?: { preconditions?: Preconditions; validateDeletion?: (current: T) => void | Promise<void> }): Promise<T> {
    return deleteKey(this.ctx, key, opts);
  }

  watch<T extends KubeObject>(key: string, opts?: WatchOptions): AsyncIterable<StorageWatchEvent<T>> { return watchKey<T>(this.ctx, key, opts); }

  async currentRevision(): Promise<number> {
    this.ctx.ensureOpen('');
    return this.ctx.stmts.currentRevision.get()?.rev ?? 0;
  }

  /** The compaction watermark: list/watch below it give ResourceExpired. */
  compactedRevision(): number { return this.ctx.compactedRevision; }

  async compact(revision: number): Promise<void> { compactLog(this.ctx, revision); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCompactor();
    this.ctx.hub.closeAll();
    this.ctx.db.close();
  }
}
