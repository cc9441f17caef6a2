/** The watch event of a revision-log row (object decoding: ../object-codec.ts). */
import type { StorageWatchEvent } from '../interface.js';
import type { Row } from './schema.js';
import type { ValueTransformer } from '../value-transformer.js';
import { decode } from '../object-codec.js';

/**
 * The watch event of one row: ADDED for a create row, MODIFIED for an update (with
 * prevObject from old_value at prev_revision), DELETED for a tombstone (object = the last
 * state with resourceVersion = the deletion's revision; prevObject = the last state at
 * its own revision).
 */
export function rowToEvent(transformer: ValueTransformer, row: Row): StorageWatchEvent {
  const read = (value: string, revision: number) => decode(transformer.fromStorage(row.name, value), revision);
  if (row.created && !row.deleted) return { type: 'ADDED', key: row.name, object: read(row.value!, row.id), revision: row.id };
  const ev: StorageWatchEvent = { type: row.deleted ? 'DELETED' : 'MODIFIED', key: row.name, object: read(row.value!, row.id), revision: row.id };
  // prevObject is parsed only when read: the watch cache has the previous state already.
  if (row.old_value && row.prev_revision) {
    let prev: StorageWatchEvent['prevObject'];
    Object.defineProperty(ev, 'prevObject', { enumerable: true, configurable: true, get: () => (prev ??= read(row.old_value!, row.prev_revision)) });
  }
  return ev;
}
