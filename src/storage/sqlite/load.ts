/**
 * Bulk load into an empty log, keeping each object's revision: what `k8ts datastore
 * migrate` uses when SQLite is the target, so resourceVersions survive the move. Each
 * entry becomes one create row whose id is the entry's revision; the revision counter
 * continues after the highest. Not a Storage verb: no watch events, no compare-and-swap.
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import { encode } from '../object-codec.js';
import type { LogContext } from './log-context.js';

/** One object to load: its key, its state, and the (mod) revision it had at the source. */
export interface LoadEntry { key: string; object: KubeObject; revision: number }

/**
 * Inserts `entries` (strictly ascending revisions, distinct keys) into an empty log in one
 * transaction, then sets the revision counter to at least `currentRevision` (the
 * source's). Throws StorageError InvalidRequest when the log is not empty or the
 * entries are out of order.
 */
export function loadEntries(ctx: LogContext, entries: LoadEntry[], currentRevision: number): void {
  ctx.ensureOpen('');
  if (ctx.group.open || ctx.committedRevision > 0) throw new StorageError('InvalidRequest', '', 'the target datastore is not empty');
  let last = 0;
  const insert = ctx.db.prepare('INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision, value, old_value) VALUES (?, ?, 1, 0, 0, 0, ?, NULL)');
  ctx.db.transaction(() => {
    for (const e of entries) {
      if (!(e.revision > last)) throw new StorageError('InvalidRequest', e.key, `revision ${e.revision} does not follow ${last}`);
      insert.run(e.revision, e.key, ctx.transformer.toStorage(e.key, encode(e.object)));
      last = e.revision;
    }
    const top = Math.max(last, currentRevision);
    // sqlite_sequence has no key: update the counter's row, or add it when no row was inserted.
    if (ctx.db.prepare("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'kine'").run(top).changes === 0) {
      ctx.db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('kine', ?)").run(top);
    }
    ctx.committedRevision = top;
  })();
}
