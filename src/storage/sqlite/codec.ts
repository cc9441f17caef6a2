/**
 * Row ↔ object conversion. Values are stored as JSON without
 * `metadata.resourceVersion`; every read sets it to the row's revision as a decimal
 * string (upstream etcd3 store's versioner does the same with the mod revision).
 */
import type { KubeObject } from '../../api/object.js';
import type { StorageWatchEvent } from '../interface.js';
import type { Row } from './schema.js';
import type { ValueTransformer } from '../value-transformer.js';

/** Parses a stored value and stamps `metadata.resourceVersion = String(revision)`. */
export function decode<T extends KubeObject>(value: string, revision: number): T {
  const obj = JSON.parse(value) as T;
  obj.metadata = { ...obj.metadata, resourceVersion: String(revision) };
  return obj;
}

/** Reads a stored value of `key` back through the transformer (decryption), then decodes it. */
export function decodeStored<T extends KubeObject>(transformer: ValueTransformer, key: string, value: string, revision: number): T {
  return decode<T>(transformer.fromStorage(key, value), revision);
}

/** Serializes an object for storage, dropping any resourceVersion the caller left in. */
export function encode(obj: KubeObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata ?? {};
  return JSON.stringify({ ...obj, metadata: meta });
}

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
