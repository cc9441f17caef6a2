/**
 * What every verb of the SQLite backend shares: the database, its statements, the
 * in-process watch fan-out, the group commit and the revision watermarks. `append` is
 * the only write path: it inserts one row into the open group-commit batch
 * (group-commit.ts); the row's event is published when the batch commits, so the hub
 * sees events in revision order (better-sqlite3 is synchronous and this process is the
 * only writer). Verbs await `group.durable()` before they acknowledge a write.
 */
import type Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import { rowToEvent } from './codec.js';
import type { Row, Statements } from './schema.js';
import type { WatchHub } from '../watch-hub.js';
import type { ValueTransformer } from '../value-transformer.js';
import type { GroupCommit } from './group-commit.js';

export interface LogContext {
  readonly db: Database.Database;
  readonly stmts: Statements;
  readonly hub: WatchHub;
  /** What values go through on their way to and from the rows (encryption at rest; identity by default). */
  readonly transformer: ValueTransformer;
  /** The open batch of writes and its commit. */
  readonly group: GroupCommit;
  /** Revisions at or below this were compacted (0: none). */
  compactedRevision: number;
  /** The highest committed revision: what readers (get, list, watch, currentRevision) see. */
  committedRevision: number;
  /** Throws StorageError Unreachable once the backend is closed. */
  ensureOpen(key: string): void;
}

/** The latest row of `key` if it is live (not a tombstone), uncommitted rows included (what writers compare against). */
export function liveRow(ctx: LogContext, key: string): Row | undefined {
  ctx.ensureOpen(key);
  const row = ctx.stmts.latest.get(key);
  return row && !row.deleted ? row : undefined;
}

/** The latest committed row of `key` if it is live (what readers see). */
export function committedLiveRow(ctx: LogContext, key: string): Row | undefined {
  ctx.ensureOpen(key);
  const row = ctx.group.open ? ctx.stmts.latestAt.get(key, ctx.committedRevision) : ctx.stmts.latest.get(key);
  return row && !row.deleted ? row : undefined;
}

/**
 * Appends one row superseding `prev` (the latest row of the name as read by the caller,
 * or undefined when the name has no row) to the open batch; its watch event is
 * published when the batch commits. The caller awaits `ctx.group.durable()` before
 * acknowledging.
 * Throws StorageError ResourceVersionConflicts when another row superseded `prev`
 * first (unique (name, prev_revision)), Unreachable on any other database error.
 */
export function append(ctx: LogContext, name: string, kind: 'create' | 'update' | 'delete', prev: Row | undefined, value: string): Row {
  const createRevision = kind === 'create' ? 0 : prev!.create_revision || prev!.id;
  const prevRevision = prev?.id ?? 0;
  const oldValue = prev && !prev.deleted ? prev.value : null;
  let id: number;
  ctx.group.join();
  try {
    // old_value is not stored (schema.ts): the event below carries it from `prev`.
    const info = ctx.stmts.insert.run(name, kind === 'create' ? 1 : 0, kind === 'delete' ? 1 : 0, createRevision, prevRevision, value);
    id = Number(info.lastInsertRowid);
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new StorageError('ResourceVersionConflicts', name, 'concurrent modification', { cause: err });
    throw new StorageError('Unreachable', name, (err as Error).message, { cause: err });
  }
  const row: Row = {
    id, name, created: kind === 'create' ? 1 : 0, deleted: kind === 'delete' ? 1 : 0,
    create_revision: createRevision, prev_revision: prevRevision, value, old_value: oldValue,
  };
  ctx.group.add(rowToEvent(ctx.transformer, row));
  return row;
}
