/**
 * watch (kine pkg/logstructured Watch, without polling): this process is the only
 * writer, so committed rows (group-commit.ts) are pushed to subscribers in-process by the hub. A watch
 * from a past revision subscribes first, then replays the rows after that revision
 * from the table, then continues with live events newer than the last replayed one —
 * no gap, no duplicate. With `progressNotifyMs`, PROGRESS events carry the current
 * revision in order with the changes.
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { StorageWatchEvent, WatchOptions } from '../interface.js';
import { rowToEvent } from './codec.js';
import type { LogContext } from './log-context.js';
import { withProgressNotify } from '../watch-hub.js';

/**
 * Events for `key` (or every key under it when recursive) with revision > opts.revision
 * (from now when 0/undefined). Throws ResourceExpired synchronously when opts.revision is
 * below the compaction watermark. Ends when the signal aborts or the backend closes.
 */
export function watchKey<T extends KubeObject>(ctx: LogContext, key: string, opts: WatchOptions = {}): AsyncIterable<StorageWatchEvent<T>> {
  ctx.ensureOpen(key);
  const from = opts.revision && opts.revision > 0 ? opts.revision : 0;
  if (from && from < ctx.compactedRevision) {
    throw new StorageError('ResourceExpired', key, `too old resource version: ${from} (${ctx.compactedRevision})`);
  }
  const matches = opts.recursive ? (name: string) => name.startsWith(key) : (name: string) => name === key;
  const sub = ctx.hub.subscribe(matches, opts.signal);
  const current = ctx.committedRevision;
  const backlog: StorageWatchEvent[] = [];
  if (from) {
    // Committed rows only: rows of the open batch arrive through the hub when it commits.
    const to = opts.recursive ? key + '\uffff' : key + '\u0000';
    for (const row of ctx.stmts.since.all(from, current, key, to)) backlog.push(rowToEvent(ctx.transformer, row));
  }
  // Without a start revision, only events after the current revision are wanted.
  const events = sub.iterate(backlog, from || current) as AsyncIterable<StorageWatchEvent<T>>;
  if (!opts.progressNotifyMs) return events;
  return withProgressNotify(events, sub, opts.progressNotifyMs, () => { ctx.ensureOpen(key); return ctx.committedRevision; }, opts.signal) as AsyncIterable<StorageWatchEvent<T>>;
}
