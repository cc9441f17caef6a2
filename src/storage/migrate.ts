/**
 * `k8ts datastore migrate`: copies every object from one datastore to another, empty one
 * (SQLite → etcd, etcd → SQLite, or either to itself elsewhere). The source is read at one
 * revision, page by page; objects are written in the order of their revisions, so their
 * relative order — what clients compare resourceVersions by — is kept. A SQLite target
 * keeps every revision exactly (sqlite/load.ts); an etcd target assigns its own, in the
 * same order. k3s's `--datastore-endpoint` migration goes only from SQLite to etcd; this
 * goes both ways.
 */
import type { KubeObject } from '../api/object.js';
import { StorageError } from './errors.js';
import type { Storage } from './interface.js';
import type { LoadEntry } from './sqlite/load.js';

/** A target that can load objects keeping their revisions (the SQLite backend). */
export interface BulkLoader { load(entries: LoadEntry[], currentRevision: number): Promise<void> }

const canLoad = (s: Storage): s is Storage & BulkLoader => typeof (s as Partial<BulkLoader>).load === 'function';

/** What a migration copied: objects, the source revision read at, and the target's revision after. */
export interface MigrationResult { objects: number; sourceRevision: number; targetRevision: number }

/**
 * Reads every key of `from` at its current revision (pages of `pageSize`) and writes it to
 * `to`, which must be empty. Throws StorageError InvalidRequest when the target holds any
 * key, and whatever the backends throw (Unreachable, ResourceExpired if the source is
 * compacted mid-read).
 */
export async function migrateDatastore(from: Storage, to: Storage, opts: { pageSize?: number; log?: (m: string) => void } = {}): Promise<MigrationResult> {
  if ((await to.list('/', { limit: 1 })).items.length > 0) throw new StorageError('InvalidRequest', '/', 'the target datastore is not empty');
  const entries = await readAll(from, opts.pageSize ?? 500);
  entries.sort((a, b) => a.revision - b.revision);
  opts.log?.(`read ${entries.length} objects at revision ${entries.revision}`);
  if (canLoad(to)) {
    await to.load(entries, entries.revision);
  } else {
    for (const e of entries) await to.create(e.key, e.object);
  }
  return { objects: entries.length, sourceRevision: entries.revision, targetRevision: await to.currentRevision() };
}

/** Every object of `s` at one revision, with its key and mod revision. */
export async function readAll(s: Storage, pageSize = 500): Promise<LoadEntry[] & { revision: number }> {
  const out = [] as unknown as LoadEntry[] & { revision: number };
  let continueKey: string | undefined;
  let revision = 0;
  do {
    const page = await s.list<KubeObject>('/', { limit: pageSize, continueKey, revision });
    revision = page.revision;
    page.items.forEach((object, i) => out.push({ key: page.keys[i], object, revision: Number(object.metadata.resourceVersion) }));
    continueKey = page.continueKey;
  } while (continueKey);
  out.revision = revision;
  return out;
}
