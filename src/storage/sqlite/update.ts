/**
 * guaranteedUpdate (upstream etcd3 store GuaranteedUpdate over kine's Update): read the
 * latest row, check preconditions, call `tryUpdate`, then append a row whose
 * prev_revision is the row read — a compare-and-swap the unique (name, prev_revision)
 * index enforces. When the row changed meanwhile, start over with the new state. A row
 * of the key still in the open group-commit batch is waited for first.
 * An update that changes nothing writes nothing and keeps the revision.
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { Preconditions } from '../interface.js';
import { decode, encode } from '../object-codec.js';
import { append, type LogContext } from './log-context.js';
import { checkPreconditions } from '../preconditions.js';

/** See module doc. Throws KeyNotFound (absent, unless ignoreNotFound), ResourceVersionConflicts (preconditions), or what tryUpdate throws. */
export async function guaranteedUpdateKey<T extends KubeObject>(
  ctx: LogContext, key: string, tryUpdate: (current: T | null) => T | Promise<T>,
  opts: { preconditions?: Preconditions; ignoreNotFound?: boolean } = {},
): Promise<T> {
  for (;;) {
    ctx.ensureOpen(key);
    const read = ctx.stmts.latest.get(key);
    // A write of this key still in the open batch: wait for it, so preconditions and
    // tryUpdate see the state readers see (a read-modify-write of a freshly listed
    // object must not lose against a row nobody could have read yet).
    if (read && read.id > ctx.committedRevision) { await ctx.group.durable().catch(() => undefined); continue; }
    const live = read && !read.deleted ? read : undefined;
    if (!live && !opts.ignoreNotFound) throw new StorageError('KeyNotFound', key);
    const livePlain = live ? ctx.transformer.fromStorage(key, live.value!) : undefined;
    const current = livePlain !== undefined ? decode<T>(livePlain, live!.id) : null;
    if (current) checkPreconditions(key, current, opts.preconditions);
    const next = await tryUpdate(current);
    ctx.ensureOpen(key);
    if ((ctx.stmts.latest.get(key)?.id ?? 0) !== (read?.id ?? 0)) continue; // changed while tryUpdate ran
    const value = encode(next);
    if (live && value === livePlain) return decode<T>(value, live.id);
    let id: number;
    try {
      id = append(ctx, key, live ? 'update' : 'create', read, ctx.transformer.toStorage(key, value)).id;
    } catch (err) {
      if (err instanceof StorageError && err.code === 'ResourceVersionConflicts') continue;
      throw err;
    }
    await ctx.group.durable();
    return decode<T>(value, id);
  }
}
