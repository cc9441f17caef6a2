/**
 * Embedded storage on SQLite in the manner of k3s's kine: one append-only table `kine`
 * whose autoincrement id IS the cluster-wide revision. Each row is one version of one
 * key: (name, created, deleted, create_revision, prev_revision, value, old_value). The
 * latest row of a name is its current state; a row with deleted=1 is a tombstone.
 * A unique index on (name, prev_revision) makes a stale compare-and-swap lose.
 *
 * This process is the only writer (only the apiserver touches storage), so watches are
 * fed in-process right after each committed write; a watch from an older revision first
 * replays the log. Compaction removes superseded rows at or below a revision.
 * Upstream: k3s-io/kine pkg/logstructured, k8s.io/apiserver/pkg/storage/interfaces.go.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { ListOptions, ListResult, Preconditions, Storage, StorageWatchEvent, WatchOptions } from '../interface.js';
import { WatchHub } from './watch-hub.js';

interface Row { id: number; name: string; created: number; deleted: number; create_revision: number; prev_revision: number; value: string | null; old_value: string | null }

export interface SqliteStorageOptions {
  /** Database file; ':memory:' for tests. */
  path: string;
  /** Period of automatic compaction in ms (default 5 min; 0 disables). */
  compactIntervalMs?: number;
  /** Revisions kept by automatic compaction (default 1000). */
  compactRetainRevisions?: number;
}

/** Opens (creating if needed) the database at `opts.path`. */
export async function openSqliteStorage(opts: SqliteStorageOptions): Promise<Storage> {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
  return new SqliteStorage(opts);
}

const decode = <T extends KubeObject>(value: string, rev: number): T => {
  const obj = JSON.parse(value) as T;
  obj.metadata = { ...obj.metadata, resourceVersion: String(rev) };
  return obj;
};
const encode = (obj: KubeObject): string => {
  const { resourceVersion: _rv, ...meta } = obj.metadata ?? {};
  return JSON.stringify({ ...obj, metadata: meta });
};

export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  private readonly hub = new WatchHub();
  private compactedRevision = 0;
  private readonly timer?: NodeJS.Timeout;
  private readonly stmts;

  constructor(opts: SqliteStorageOptions) {
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS kine (
        id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER NOT NULL,
        create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, lease INTEGER NOT NULL DEFAULT 0,
        value TEXT, old_value TEXT);
      CREATE INDEX IF NOT EXISTS kine_name_id ON kine (name, id);
      CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision ON kine (name, prev_revision);
      CREATE TABLE IF NOT EXISTS kine_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);`);
    this.stmts = {
      latest: this.db.prepare<[string], Row>('SELECT * FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1'),
      insert: this.db.prepare('INSERT INTO kine (name, created, deleted, create_revision, prev_revision, value, old_value) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      maxId: this.db.prepare<[], { rev: number | null }>('SELECT MAX(id) AS rev FROM kine'),
      listLatest: this.db.prepare<[string, string, number, string], Row>(`
        SELECT k.* FROM kine k JOIN (SELECT name, MAX(id) AS id FROM kine WHERE name >= ? AND name < ? AND id <= ? GROUP BY name) m ON k.id = m.id
        WHERE k.deleted = 0 AND k.name > ? ORDER BY k.name`),
      since: this.db.prepare<[number], Row>('SELECT * FROM kine WHERE id > ? ORDER BY id'),
      rowById: this.db.prepare<[number], Row>('SELECT * FROM kine WHERE id = ?'),
      getMeta: this.db.prepare<[string], { value: number }>('SELECT value FROM kine_meta WHERE key = ?'),
      setMeta: this.db.prepare('INSERT INTO kine_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
    this.compactedRevision = this.stmts.getMeta.get('compact_rev')?.value ?? 0;
    const interval = opts.compactIntervalMs ?? 5 * 60_000;
    if (interval > 0) {
      const retain = opts.compactRetainRevisions ?? 1000;
      this.timer = setInterval(() => {
        const rev = this.revision() - retain;
        if (rev > this.compactedRevision) void this.compact(rev);
      }, interval);
      this.timer.unref();
    }
  }

  private revision(): number { return this.stmts.maxId.get()?.rev ?? 0; }

  private append(name: string, created: boolean, deleted: boolean, createRev: number, prev: Row | undefined, value: string | null): number {
    try {
      const info = this.stmts.insert.run(name, created ? 1 : 0, deleted ? 1 : 0, createRev, prev?.id ?? 0, value, prev?.value ?? null);
      return Number(info.lastInsertRowid);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new StorageError('ResourceVersionConflicts', name, 'concurrent modification', { cause: err });
      throw new StorageError('Unreachable', name, (err as Error).message, { cause: err });
    }
  }

  private publish(row: Row, prev: Row | undefined): void {
    this.hub.publish(toEvent(row, prev));
  }

  async create<T extends KubeObject>(key: string, obj: T): Promise<T> {
    const cur = this.stmts.latest.get(key);
    if (cur && !cur.deleted) throw new StorageError('KeyExists', key);
    const value = encode(obj);
    const id = this.append(key, true, false, 0, cur, value);
    const row: Row = { id, name: key, created: 1, deleted: 0, create_revision: id, prev_revision: cur?.id ?? 0, value, old_value: null };
    this.publish(row, undefined);
    return decode<T>(value, id);
  }

  async get<T extends KubeObject>(key: string): Promise<T> {
    const cur = this.stmts.latest.get(key);
    if (!cur || cur.deleted) throw new StorageError('KeyNotFound', key);
    return decode<T>(cur.value!, cur.id);
  }

  async list<T extends KubeObject>(prefix: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    const current = this.revision();
    const rev = opts.revision && opts.revision > 0 ? opts.revision : current;
    if (opts.revision && opts.revision > 0 && opts.revision < this.compactedRevision) throw new StorageError('ResourceExpired', prefix, `revision ${opts.revision} has been compacted`);
    if (rev > current) throw new StorageError('InvalidRequest', prefix, `revision ${rev} is in the future`);
    const rows = this.stmts.listLatest.all(prefix, prefix + '\uffff', rev, opts.continueKey ?? '');
    const limit = opts.limit && opts.limit > 0 ? opts.limit : rows.length;
    const page = rows.slice(0, limit);
    const result: ListResult<T> = { items: page.map((r) => decode<T>(r.value!, r.id)), revision: rev };
    if (rows.length > limit) {
      result.continueKey = page[page.length - 1].name;
      result.remainingItemCount = rows.length - limit;
    }
    return result;
  }

  async guaranteedUpdate<T extends KubeObject>(key: string, tryUpdate: (current: T | null) => T | Promise<T>, opts: { preconditions?: Preconditions; ignoreNotFound?: boolean } = {}): Promise<T> {
    for (;;) {
      const cur = this.stmts.latest.get(key);
      const exists = cur && !cur.deleted;
      if (!exists && !opts.ignoreNotFound) throw new StorageError('KeyNotFound', key);
      const current = exists ? decode<T>(cur.value!, cur.id) : null;
      if (current) checkPreconditions(key, current, opts.preconditions);
      const next = await tryUpdate(current);
      const latest = this.stmts.latest.get(key);
      if ((latest?.id ?? 0) !== (cur?.id ?? 0)) continue; // changed while tryUpdate ran: retry
      const value = encode(next);
      if (exists && value === cur.value) return decode<T>(value, cur.id); // no-op update keeps the revision
      let id: number;
      try {
        id = this.append(key, !exists, false, exists ? cur.create_revision || cur.id : 0, cur, value);
      } catch (err) {
        if (err instanceof StorageError && err.code === 'ResourceVersionConflicts') continue;
        throw err;
      }
      const row: Row = { id, name: key, created: exists ? 0 : 1, deleted: 0, create_revision: exists ? cur.create_revision || cur.id : id, prev_revision: cur?.id ?? 0, value, old_value: cur?.value ?? null };
      this.publish(row, exists ? cur : undefined);
      return decode<T>(value, id);
    }
  }

  async delete<T extends KubeObject>(key: string, opts: { preconditions?: Preconditions; validateDeletion?: (current: T) => void | Promise<void> } = {}): Promise<T> {
    for (;;) {
      const cur = this.stmts.latest.get(key);
      if (!cur || cur.deleted) throw new StorageError('KeyNotFound', key);
      const current = decode<T>(cur.value!, cur.id);
      checkPreconditions(key, current, opts.preconditions);
      if (opts.validateDeletion) await opts.validateDeletion(current);
      if (this.stmts.latest.get(key)?.id !== cur.id) continue;
      let id: number;
      try {
        id = this.append(key, false, true, cur.create_revision || cur.id, cur, cur.value);
      } catch (err) {
        if (err instanceof StorageError && err.code === 'ResourceVersionConflicts') continue;
        throw err;
      }
      const row: Row = { id, name: key, created: 0, deleted: 1, create_revision: cur.create_revision, prev_revision: cur.id, value: cur.value, old_value: cur.value };
      this.publish(row, cur);
      return decode<T>(cur.value!, id);
    }
  }

  watch<T extends KubeObject>(key: string, opts: WatchOptions = {}): AsyncIterable<StorageWatchEvent<T>> {
    const from = opts.revision ?? 0;
    if (from > 0 && from < this.compactedRevision) throw new StorageError('ResourceExpired', key, `too old resource version: ${from} (${this.compactedRevision})`);
    const matches = (name: string): boolean => (opts.recursive ? name.startsWith(key) : name === key);
    // Subscribe before reading the backlog so nothing committed in between is lost.
    const sub = this.hub.subscribe(matches, opts.signal);
    const backlog: StorageWatchEvent[] = [];
    if (from > 0) {
      const rows = this.stmts.since.all(from);
      for (const r of rows) {
        if (!matches(r.name)) continue;
        const prev = r.prev_revision ? this.stmts.rowById.get(r.prev_revision) : undefined;
        backlog.push(toEvent(r, prev && !prev.deleted ? prev : undefined));
      }
    }
    const lastBacklog = backlog.length ? backlog[backlog.length - 1].revision : from;
    return sub.iterate(backlog, lastBacklog) as AsyncIterable<StorageWatchEvent<T>>;
  }

  async currentRevision(): Promise<number> { return this.revision(); }

  async compact(revision: number): Promise<void> {
    if (revision <= this.compactedRevision) return;
    this.db.transaction(() => {
      // Drop every row at or below `revision` that a later row of the same name supersedes,
      // and tombstones at or below `revision` (their key is gone).
      this.db.prepare(`DELETE FROM kine WHERE id <= ? AND (deleted = 1 OR id < (SELECT MAX(k2.id) FROM kine k2 WHERE k2.name = kine.name AND k2.id <= ?))`).run(revision, revision);
      this.stmts.setMeta.run('compact_rev', revision);
    })();
    this.compactedRevision = revision;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.hub.closeAll();
    this.db.close();
  }
}

function checkPreconditions(key: string, obj: KubeObject, pre?: Preconditions): void {
  if (!pre) return;
  if (pre.uid && obj.metadata.uid !== pre.uid) {
    throw new StorageError('ResourceVersionConflicts', key, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
  }
  if (pre.resourceVersion && obj.metadata.resourceVersion !== pre.resourceVersion) {
    throw new StorageError('ResourceVersionConflicts', key, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
  }
}

function toEvent(row: Row, prev: Row | undefined): StorageWatchEvent {
  const prevObject = prev && prev.value ? decode(prev.value, prev.id) : undefined;
  if (row.deleted) return { type: 'DELETED', key: row.name, object: decode(row.value!, row.id), prevObject, revision: row.id };
  return { type: row.created ? 'ADDED' : 'MODIFIED', key: row.name, object: decode(row.value!, row.id), prevObject: row.created ? undefined : prevObject, revision: row.id };
}
