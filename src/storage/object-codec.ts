/**
 * Stored value ↔ object conversion, shared by both backends (sqlite/, etcd3/). Values
 * are stored as JSON without `metadata.resourceVersion`; every read sets it to the
 * revision the value was written at, as a decimal string (upstream etcd3 store's
 * versioner does the same with the mod revision).
 */
import type { KubeObject } from '../api/object.js';
import type { ValueTransformer } from './value-transformer.js';

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
