/**
 * create (kine pkg/logstructured Create): insert a row with created=1 only when the
 * name has no row or its latest row is a tombstone.
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import { decode, encode } from './codec.js';
import { append, type LogContext } from './log-context.js';

/** Stores `obj` under `key`; returns it with resourceVersion. Throws KeyExists. */
export function createKey<T extends KubeObject>(ctx: LogContext, key: string, obj: T): T {
  ctx.ensureOpen(key);
  const cur = ctx.stmts.latest.get(key);
  if (cur && !cur.deleted) throw new StorageError('KeyExists', key);
  try {
    const plain = encode(obj);
    const row = append(ctx, key, 'create', cur, ctx.transformer.toStorage(key, plain));
    return decode<T>(plain, row.id);
  } catch (err) {
    // Lost a race with another create of the same name: the key exists now.
    if (err instanceof StorageError && err.code === 'ResourceVersionConflicts') throw new StorageError('KeyExists', key, undefined, { cause: err });
    throw err;
  }
}
