/**
 * create (kine pkg/logstructured Create): insert a row with created=1 only when the
 * name has no row or its latest row is a tombstone.
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import { decode, encode } from '../object-codec.js';
import { append, type LogContext } from './log-context.js';

/** Stores `obj` under `key`; returns it with resourceVersion. Throws KeyExists. */
export async function createKey<T extends KubeObject>(ctx: LogContext, key: string, obj: T): Promise<T> {
  ctx.ensureOpen(key);
  const cur = ctx.stmts.latest.get(key);
  if (cur && !cur.deleted) throw new StorageError('KeyExists', key);
  const plain = encode(obj);
  let id: number;
  try {
    id = append(ctx, key, 'create', cur, ctx.transformer.toStorage(key, plain)).id;
  } catch (err) {
    // Lost a race with another create of the same name: the key exists now.
    if (err instanceof StorageError && err.code === 'ResourceVersionConflicts') throw new StorageError('KeyExists', key, undefined, { cause: err });
    throw err;
  }
  await ctx.group.durable();
  return decode<T>(plain, id);
}
