/**
 * Group commit: every row appended while one turn of the event loop runs goes into one
 * SQLite transaction, committed (one WAL append, one fsync with synchronous=FULL) in the
 * check phase right after that turn. A write is acknowledged — its promise resolves and
 * its watch event is published — only once its transaction is on disk, as etcd
 * acknowledges a put only after its raft log entry is fsynced.
 *
 * Concurrent requests that arrive together are parsed in the same poll phase and so share
 * one fsync; a request arriving while a commit runs waits in the kernel's socket buffer
 * and joins the next batch. Readers see only committed rows (`committedRevision`).
 * Upstream: etcd's batched backend commit (server/mvcc/backend batch_tx.go) as a fact;
 * the SQLite WAL and synchronous=FULL semantics from sqlite.org/pragma.html#pragma_synchronous.
 */
import type Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import type { StorageWatchEvent } from '../interface.js';

interface Batch { promise: Promise<void>; resolve(): void; reject(err: Error): void; events: StorageWatchEvent[]; lastRevision: number }

/**
 * The open batch of one database. `join()` before an insert opens the batch's
 * transaction (BEGIN IMMEDIATE) when none is open and schedules its commit;
 * `add(event)` records a row's event; `durable()` is the promise of the open batch.
 * `onCommitted(events, lastRevision)` runs synchronously after each COMMIT, before any
 * waiter resumes. A failed COMMIT rolls the batch back: every waiter gets StorageError
 * Unreachable and no event of the batch is published.
 */
export class GroupCommit {
  private batch: Batch | undefined;
  /** Transactions committed so far (each one fsync); for metrics and tests. */
  commits = 0;

  constructor(private readonly db: Database.Database, private readonly onCommitted: (events: StorageWatchEvent[], lastRevision: number) => void) {}

  /** Opens the batch (and its transaction) if none is open. Throws StorageError Unreachable when BEGIN fails. */
  join(): void {
    if (this.batch) return;
    try { this.db.exec('BEGIN IMMEDIATE'); } catch (err) { throw new StorageError('Unreachable', '', (err as Error).message, { cause: err }); }
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    promise.catch(() => undefined); // a batch whose writers all failed earlier has no listener
    this.batch = { promise, resolve, reject, events: [], lastRevision: 0 };
    setImmediate(() => this.commit());
  }

  /** Records the event of a row inserted in the open batch. */
  add(event: StorageWatchEvent): void {
    const b = this.batch!;
    b.events.push(event);
    b.lastRevision = event.revision;
  }

  /** Resolves once every row appended so far is committed; rejects with Unreachable when the commit fails. */
  durable(): Promise<void> { return this.batch?.promise ?? Promise.resolve(); }

  /** True while a batch is open (rows appended but not yet committed). */
  get open(): boolean { return this.batch !== undefined; }

  /** Commits the open batch now (also called by close()). */
  commit(): void {
    const b = this.batch;
    if (!b) return;
    this.batch = undefined;
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      try { if (this.db.inTransaction) this.db.exec('ROLLBACK'); } catch { /* the connection is gone */ }
      b.reject(new StorageError('Unreachable', '', `commit failed: ${(err as Error).message}`, { cause: err }));
      return;
    }
    this.commits++;
    if (b.events.length) this.onCommitted(b.events, b.lastRevision);
    b.resolve();
  }
}
