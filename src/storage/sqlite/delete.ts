/**
 * delete (kine pkg/logstructured Delete): append a tombstone row (deleted=1) carrying the
 * last value, compare-and-swapped on the row read like an update.
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { Preconditions } from '../interface.js';
import { decodeStored } from '../object-codec.js';
import { append, liveRow, type LogContext } from './log-context.js';
import { checkPreconditions } from '../preconditions.js';

/**
 * Deletes `key`; returns the last state with resourceVersion = the deletion's revision.
 * Throws KeyNotFound, ResourceVersionConflicts (preconditions), or what validateDeletion throws.
 */
export async function deleteKey<T extends KubeObject>(
  ctx: LogContext, key: string,
  opts: { preconditions?: Preconditions; validateDeletion?: (current: T) => void | Promise<void> } = {},
): Promise<T> {
  for (;;) {
    ctx.ensureOpen(key);
    const latest = ctx.stmts.latest.get(key);
    // A write of this key still in the open batch is waited for (see update.ts).
    if (latest && latest.id > ctx.committedRevision) { await ctx.group.durable().catch(() => undefined); continue; }
    const read = liveRow(ctx, key);
    if (!read) throw new StorageError('KeyNotFound', key);
    const current = decodeStored<T>(ctx.transformer, key, read.value!, read.id);
    checkPreconditions(key, current, opts.preconditions);
    if (opts.validateDeletion) await opts.validateDeletion(current);
    ctx.ensureOpen(key);
    if (ctx.stmts.latest.get(key)?.id !== read.id) continue; // changed while validating
    let id: number;
    try {
      id = append(ctx, key, 'delete', read, read.value!).id;
    } catch (err) {
      if (err instanceof StorageError && err.code === 'ResourceVersionConflicts') continue;
      throw err;
    }
    await ctx.group.durable();
    return decodeStored<T>(ctx.transformer, key, read.value!, id);
  }
}
