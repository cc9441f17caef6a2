/**
 * The apiserver's datastore, chosen once: today the embedded SQLite file of the data
 * directory, behind the watch cache (cacher/). Every command that serves the API opens
 * its storage here.
 */
import type { Storage } from './interface.js';
import { newCacher } from './cacher/cacher.js';
import { openSqliteStorage } from './sqlite/sqlite-storage.js';
import type { ValueTransformer } from './value-transformer.js';

export interface DatastoreOptions {
  /** The SQLite database file. */
  path: string;
  /** Serve lists and watches from memory (default true; upstream's --watch-cache). */
  watchCache?: boolean;
  log?: (msg: string) => void;
  /** Encryption at rest (`--encryption-provider-config`, encryption/encryption-config.ts); default none. */
  transformer?: ValueTransformer;
}

/** Opens the datastore and, unless disabled, fills its watch cache before returning. */
export async function openDatastore(opts: DatastoreOptions): Promise<Storage> {
  const backend = await openSqliteStorage({ path: opts.path, transformer: opts.transformer });
  if (opts.watchCache === false) return backend;
  try {
    return await newCacher(backend, { log: opts.log });
  } catch (err) {
    await backend.close();
    throw err;
  }
}
