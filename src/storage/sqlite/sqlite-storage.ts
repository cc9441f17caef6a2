/**
 * Embedded storage on SQLite in the manner of k3s's kine: an append-only revision log
 * (schema.ts) with one small file per verb (create, get, list, update, delete, watch,
 * compact). This class only wires them to the Storage interface and owns the database
 * handle, the watch hub and the periodic compactor.
 *
 * Consistency: better-sqlite3 is synchronous and this process is the only writer, so
 * every verb's read-check-append runs without interleaving; guaranteedUpdate and delete
 * still compare-and-swap because the caller's callbacks are async.
 *
 * Durability: WAL with synchronous=FULL, so an acknowledged write survives power loss,
 * as with etcd; concurrent writes share one transaction and one fsync (group-commit.ts).
 * The log stays bounded by compaction on a timer and on size (compact.ts).
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
import { GroupCommit } from './group-commit.js';
import { loadEntries, type LoadEntry } from './load.js';
import { backupDatabase } from './backup.js';
import { WatchHub } from '../watch-hub.js';
import { watchKey } from './watch.js';

export interface SqliteStorageOptions {
  /** Database file (its directory is created); ':memory:' for tests. */
  path: string;
  /** Period of automatic compaction in ms (default 300000 = 5 min; 0 disables the timer and the size trigger). */
  compactIntervalMs?: number;
  /** Revisions kept by automatic compaction (default 1000). */
  compactRetainRevisions?: number;
  /** Size trigger: compact once this many revisions beyond the retained ones are uncompacted (default 10000; 0 disables). */
  compactEveryRevisions?: number;
  /** Values on their way to and from the rows, e.g. encryption at rest (encryption/encryption-config.ts); default identity. */
  transformer?: ValueTransformer;
}

/** Opens (creating if needed) the database at `opts.path`, in WAL mode with synchronous=FULL. */
export async function openSqliteStorage(opts: SqliteStorageOptions): Promise<SqliteStorage> {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
  return new SqliteStorage(opts);
}

/** The Storage implementation over one SQLite file; see the module doc. */
export class SqliteStorage implements Storage {
  private readonly ctx: LogContext;
  private readonly compactor: { afterCommit(): void; stop(): void };
  private closed = false;

  constructor(opts: SqliteStorageOptions) {
    const db = new Database(opts.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // After a checkpoint the WAL is truncated to 4 MiB, about what one automatic checkpoint
    // (1,000 pages) holds: a compaction's large transaction no longer leaves 16 MiB behind.
    db.pragma('journal_size_limit = 4194304');
    const stmts = prepareStatements(db);
    const self = this;
    const hub = new WatchHub();
    const group = new GroupCommit(db, (events, lastRevision) => {
      self.ctx.committedRevision = lastRevision;
      for (const ev of events) hub.publish(ev);
      self.compactor.afterCommit();
    });
    this.ctx = {
      db, stmts, hub, group, transformer: opts.transformer ?? identityTransformer,
      compactedRevision: stmts.getMeta.get('compact_rev')?.value ?? 0,
      committedRevision: stmts.currentRevision.get()?.rev ?? 0,
      ensureOpen(key) { if (self.closed) throw new StorageError('Unreachable', key, 'storage is closed'); },
    };
    const interval = opts.compactIntervalMs ?? 5 * 60_000;
    this.compactor = startCompactor(this.ctx, {
      intervalMs: interval, retain: opts.compactRetainRevisions ?? 1000,
      everyRevisions: interval > 0 ? opts.compactEveryRevisions ?? 10_000 : 0,
    });
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
    return this.ctx.committedRevision;
  }

  /** Counters for metrics and tests: transactions committed, rows in the log, the revision watermarks. */
  stats(): { commits: number; rows: number; committedRevision: number; compactedRevision: number } {
    this.ctx.ensureOpen('');
    const rows = (this.ctx.db.prepare('SELECT COUNT(*) AS n FROM kine').get() as { n: number }).n;
    return { commits: this.ctx.group.commits, rows, committedRevision: this.ctx.committedRevision, compactedRevision: this.ctx.compactedRevision };
  }

  /** Loads objects into this empty store keeping their revisions (load.ts; `k8ts datastore migrate`). Throws InvalidRequest when not empty. */
  async load(entries: LoadEntry[], currentRevision: number): Promise<void> { loadEntries(this.ctx, entries, currentRevision); }

  /** The compaction watermark: list/watch below it give ResourceExpired. */
  compactedRevision(): number { return this.ctx.compactedRevision; }

  async compact(revision: number): Promise<void> { compactLog(this.ctx, revision); await this.ctx.group.durable(); }

  /**
   * Writes a consistent copy of the database to `path` while serving (SQLite's online
   * backup API, sqlite.org/backup.html); what `k8ts snapshot save` calls. Throws
   * StorageError Unreachable on I/O errors.
   */
  async snapshot(path: string): Promise<void> {
    this.ctx.ensureOpen('');
    this.ctx.group.commit();
    try { await backupDatabase(this.ctx.db, path); } catch (err) { throw new StorageError('Unreachable', '', `snapshot failed: ${(err as Error).message}`, { cause: err }); }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.ctx.group.commit();
    this.closed = true;
    this.compactor.stop();
    this.ctx.hub.closeAll();
    this.ctx.db.close();
  }
}
