/**
 * snapshot (upstream `etcdctl snapshot save`): streams Maintenance Snapshot from one
 * member into `<path>.part`, then renames it to `path`, so `path` is never a partial file.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { StorageError } from '../errors.js';
import type { EtcdContext } from './context.js';
import { mapEtcdError } from './map-error.js';

/** Writes a snapshot of the whole keyspace (bbolt file) to `path`. Throws Unreachable (etcd or file failures). */
export async function saveSnapshot(ctx: EtcdContext, path: string): Promise<void> {
  ctx.ensureOpen('');
  const part = `${path}.part`;
  try {
    const stream = await ctx.client.maintenance.snapshot();
    const out = createWriteStream(part, { mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      out.on('error', reject);
      stream.on('error', reject);
      stream.on('data', (chunk) => { if (chunk.blob?.length) out.write(chunk.blob); });
      stream.on('end', () => out.end(() => resolve()));
    });
    await rename(part, path);
  } catch (err) {
    await rm(part, { force: true });
    throw err instanceof StorageError ? err : mapEtcdError(err, '');
  }
}
