/**
 * currentRevision and compact (upstream etcd3 compact.go and store.go's revision reads).
 * The revision is the header revision of a cheap range (one key, count only); compaction
 * is etcd's Compact with physical=true (returns once the history is gone). Compaction is
 * cluster-wide: it forgets history of every key, not only this path prefix.
 */
import { isStorageError } from '../errors.js';
import { call, type EtcdContext } from './context.js';

/** The latest revision of the cluster. Throws Unreachable. */
export async function currentRevisionOf(ctx: EtcdContext): Promise<number> {
  const res = await call(ctx, '', () => ctx.client.kv.range({ key: Buffer.from([0]), count_only: true }));
  return Number(res.header.revision);
}

/**
 * Compacts at `revision`, clamped to the current revision; compacting at or below an
 * earlier compaction is a no-op (as in the SQLite backend). Throws Unreachable.
 */
export async function compactAt(ctx: EtcdContext, revision: number): Promise<void> {
  const rev = Math.min(revision, await currentRevisionOf(ctx));
  if (rev <= 0) return;
  try {
    await call(ctx, '', () => ctx.client.kv.compact({ revision: rev, physical: true }));
  } catch (err) {
    if (isStorageError(err, 'ResourceExpired')) return; // already compacted at or past it
    throw err; // call() gives StorageErrors only
  }
}
