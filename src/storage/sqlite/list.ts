/**
 * list (kine pkg/logstructured List): per name under the prefix, the latest row at or
 * below the requested revision, tombstones skipped, ordered by name; paginated by
 * `limit` and `continueKey` (exclusive) in SQL, reading only the page's values. A
 * revision below the compaction watermark is ResourceExpired (etcd's ErrCompacted); one
 * above the current revision is InvalidRequest (etcd's ErrFutureRev).
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { ListOptions, ListResult } from '../interface.js';
import { decodeStored } from '../object-codec.js';
import type { LogContext } from './log-context.js';

/** Lists `prefix` (see module doc); `revision` of the result is the revision read at. */
export function listPrefix<T extends KubeObject>(ctx: LogContext, prefix: string, opts: ListOptions = {}): ListResult<T> {
  ctx.ensureOpen(prefix);
  const current = ctx.committedRevision;
  const asked = opts.revision && opts.revision > 0 ? opts.revision : 0;
  if (asked && asked < ctx.compactedRevision) {
    throw new StorageError('ResourceExpired', prefix, `too old resource version: ${asked} (${ctx.compactedRevision})`);
  }
  if (asked > current) throw new StorageError('InvalidRequest', prefix, `revision ${asked} is in the future (current ${current})`);
  const revision = asked || current;
  const after = opts.continueKey ?? '';
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  // One row past the page tells whether there is more; only then are the rest counted.
  const rows = ctx.stmts.listAt.all(prefix, prefix + '\uffff', revision, after, limit ? limit + 1 : -1);
  const page = limit ? rows.slice(0, limit) : rows;
  const result: ListResult<T> = { items: page.map((r) => decodeStored<T>(ctx.transformer, r.name, r.value!, r.id)), keys: page.map((r) => r.name), revision };
  if (limit && rows.length > limit) {
    result.continueKey = page[page.length - 1].name;
    result.remainingItemCount = ctx.stmts.countAt.get(prefix, prefix + '\uffff', revision, after)!.n - limit;
  }
  return result;
}
