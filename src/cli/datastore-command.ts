/**
 * `k8ts datastore migrate --from <endpoint> --to <endpoint>`: opens both datastores
 * (storage/open-datastore.ts, no watch cache) and copies every object
 * (storage/migrate.ts). With --encryption-provider-config, values are decrypted from the
 * source and encrypted into the target with the same configuration.
 */
import { openBackend } from '../storage/open-datastore.js';
import { migrateDatastore } from '../storage/migrate.js';
import { loadEncryptionConfiguration } from '../storage/encryption/encryption-config.js';
import type { SnapshotSchedule } from '../storage/snapshot.js';
import { databasePath } from '../server/data-dir.js';
import { dirname, join } from 'node:path';

/** The scheduled snapshots of `--snapshot-interval/-retention/-dir` (default dir: <data-dir>/server/db/snapshots); undefined without an interval. */
export function snapshotSchedule(o: { dataDir: string; snapshotInterval?: number; snapshotRetention?: number; snapshotDir?: string }): SnapshotSchedule | undefined {
  if (!o.snapshotInterval) return undefined;
  return { intervalMs: o.snapshotInterval, retention: o.snapshotRetention ?? 5, dir: o.snapshotDir ?? join(dirname(databasePath(o.dataDir)), 'snapshots') };
}

/** Runs the migration and prints what moved. Throws (exit 1) when a datastore cannot be opened or the target is not empty. */
export async function migrateCommand(o: { from: string; to: string; encryptionProviderConfig?: string }): Promise<void> {
  const transformer = o.encryptionProviderConfig ? loadEncryptionConfiguration(o.encryptionProviderConfig) : undefined;
  // Neither side compacts while the copy runs (a timer of 0 disables it).
  const from = await openBackend({ path: '', endpoint: o.from, transformer, compactIntervalMs: 0 });
  try {
    const to = await openBackend({ path: '', endpoint: o.to, transformer, compactIntervalMs: 0 });
    try {
      const r = await migrateDatastore(from, to, { log: (m) => console.log(m) });
      console.log(`migrated ${r.objects} objects (source revision ${r.sourceRevision}, target revision ${r.targetRevision})`);
    } finally { await to.close(); }
  } finally { await from.close(); }
}
