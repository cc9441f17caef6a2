/**
 * The kine table and its prepared statements (upstream k3s-io/kine pkg/drivers/generic
 * and pkg/drivers/sqlite). One append-only table `kine`: the autoincrement `id` IS the
 * cluster-wide revision; each row is one version of one key:
 *   name            the key (`/registry/pods/default/web-1`)
 *   created         1 on the row that (re)creates the key
 *   deleted         1 on a tombstone (value = the last state)
 *   create_revision the key's creation revision (0 on the create row itself: its own id)
 *   prev_revision   the id of the row this one supersedes (0 when none)
 *   lease           kept for kine compatibility, always 0
 *   value           the object as JSON, without metadata.resourceVersion
 *   old_value       NULL since 2026-12-03 (databases written before hold the previous
 *                   row's value there); the previous state is read from the row at
 *                   prev_revision, which compaction keeps while this row is above the
 *                   compacted revision (compactSuperseded deletes only rows that a
 *                   compacted row supersedes). Storing it again doubled every update
 *                   row and pushed a pod's row into an overflow page.
 * The unique index on (name, prev_revision) makes two writers that read the same latest
 * row conflict: the second insert fails with SQLITE_CONSTRAINT_UNIQUE.
 * `kine_meta` keeps the compaction watermark (`compact_rev`).
 */
import type Database from 'better-sqlite3';

/** One row of the revision log. */
export interface Row {
  id: number; name: string; created: number; deleted: number;
  create_revision: number; prev_revision: number; value: string | null; old_value: string | null;
}

const ddl = `
  CREATE TABLE IF NOT EXISTS kine (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER NOT NULL,
    create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, lease INTEGER NOT NULL DEFAULT 0,
    value TEXT, old_value TEXT);
  CREATE INDEX IF NOT EXISTS kine_name_id ON kine (name, id);
  CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision ON kine (name, prev_revision);
  CREATE TABLE IF NOT EXISTS kine_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);`;

/** Creates the tables (idempotent) and prepares every statement the verbs use. */
export function prepareStatements(db: Database.Database) {
  db.exec(ddl);
  return {
    /** Latest row of one name (tombstone included). */
    latest: db.prepare<[string], Row>('SELECT * FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1'),
    /** Latest row of one name at or below a revision (the committed view while a batch is open). */
    latestAt: db.prepare<[string, number], Row>('SELECT * FROM kine WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1'),
    /** A new row; old_value stays NULL (see the module doc). */
    insert: db.prepare<[string, number, number, number, number, string | null]>(
      'INSERT INTO kine (name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?)'),
    /** The highest revision ever issued; survives compaction of the newest rows (sqlite_sequence). */
    currentRevision: db.prepare<[], { rev: number | null }>(
      "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'kine'), 0), COALESCE((SELECT MAX(id) FROM kine), 0)) AS rev"),
    /**
     * Per name in [from, to) and after `afterName`, the latest row at or below a revision,
     * live only, at most `limit` (-1: all); only the columns a list returns.
     */
    listAt: db.prepare<[string, string, number, string, number], Pick<Row, 'id' | 'name' | 'value'>>(`
      SELECT k.id, k.name, k.value FROM kine k JOIN (
        SELECT name, MAX(id) AS id FROM kine WHERE name >= ? AND name < ? AND id <= ? GROUP BY name
      ) m ON k.id = m.id
      WHERE k.deleted = 0 AND k.name > ? ORDER BY k.name LIMIT ?`),
    /** How many rows listAt would return without a limit (for remainingItemCount). */
    countAt: db.prepare<[string, string, number, string], { n: number }>(`
      SELECT COUNT(*) AS n FROM kine k JOIN (
        SELECT name, MAX(id) AS id FROM kine WHERE name >= ? AND name < ? AND id <= ? GROUP BY name
      ) m ON k.id = m.id
      WHERE k.deleted = 0 AND k.name > ?`),
    /** Rows in (after, upTo] with a name in [from, to), in revision order (watch replay); old_value from the row at prev_revision. */
    since: db.prepare<[number, number, string, string], Row>(`
      SELECT k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.value,
        COALESCE(k.old_value, p.value) AS old_value
      FROM kine k LEFT JOIN kine p ON p.id = k.prev_revision AND p.deleted = 0
      WHERE k.id > ? AND k.id <= ? AND k.name >= ? AND k.name < ? ORDER BY k.id`),
    /**
     * Compaction of the revisions in (from, to] (kine's way): every row a row of that range
     * supersedes (its prev_revision), then the range's tombstones. Rows at or below `from`
     * are already the latest state of their name as of `from`.
     */
    compactSuperseded: db.prepare<[number, number]>(
      'DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE id > ? AND id <= ? AND prev_revision != 0)'),
    compactTombstones: db.prepare<[number, number]>('DELETE FROM kine WHERE deleted = 1 AND id > ? AND id <= ?'),
    getMeta: db.prepare<[string], { value: number }>('SELECT value FROM kine_meta WHERE key = ?'),
    setMeta: db.prepare<[string, number]>('INSERT INTO kine_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
  };
}

/** The prepared statements of one open database. */
export type Statements = ReturnType<typeof prepareStatements>;
