/**
 * JSON encoding of responses with the watch cache's objects in mind (upstream's
 * cachingObject, k8s.io/apiserver/pkg/storage/cacher/caching_object.go): an object from
 * the cache is frozen and shared by every list and watch event that carries it, so its
 * UTF-8 JSON is computed once and reused — a pod event sent to 100 watchers is
 * serialized once and the same bytes are written to every socket, and a list is the
 * concatenation of its items' cached bytes. Objects that are not frozen are encoded
 * each time.
 */
import type { KubeList } from '../../api/object.js';

const json = new WeakMap<object, Buffer>();
const lines = new Map<string, WeakMap<object, Buffer>>();

/** UTF-8 of JSON.stringify(obj), remembered for frozen objects (they cannot change). */
export function jsonBuffer(obj: unknown): Buffer {
  if (obj === null || typeof obj !== 'object' || !Object.isFrozen(obj)) return Buffer.from(JSON.stringify(obj));
  let b = json.get(obj);
  if (!b) { b = Buffer.from(JSON.stringify(obj)); json.set(obj, b); }
  return b;
}

/** One watch event line, `{"type":…,"object":…}\n`, remembered per type for frozen objects. */
export function watchEventLine(type: string, object: unknown): Buffer {
  const frozen = object !== null && typeof object === 'object' && Object.isFrozen(object);
  let byType = lines.get(type);
  const hit = frozen ? byType?.get(object as object) : undefined;
  if (hit) return hit;
  const line = Buffer.concat([Buffer.from(`{"type":${JSON.stringify(type)},"object":`), jsonBuffer(object), CLOSE_LINE]);
  if (frozen) {
    if (!byType) lines.set(type, byType = new WeakMap());
    byType.set(object as object, line);
  }
  return line;
}
const CLOSE_LINE = Buffer.from('}\n');
const COMMA = Buffer.from(',');

/**
 * A list (or any object with an `items` array) as the buffers to write in order, equal
 * to JSON.stringify(list) up to key order (`items` comes last), and their total length
 * (so the response keeps a Content-Length). The items' buffers are the cached ones
 * themselves: writing a list of 10,000 cached pods allocates no copy of their bytes
 * (a copy per list was ~15 MB of external memory, enough to set off V8's collector
 * every few lists).
 */
export function listJsonBuffers(list: KubeList): { parts: Buffer[]; length: number } {
  const { items, ...rest } = list;
  const head = JSON.stringify(rest);
  const parts: Buffer[] = new Array(items.length * 2 + 1);
  let n = 0;
  parts[n++] = Buffer.from(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"items":[`);
  let length = parts[0].length;
  for (let i = 0; i < items.length; i++) {
    if (i) { parts[n++] = COMMA; length++; }
    const b = jsonBuffer(items[i]);
    parts[n++] = b;
    length += b.length;
  }
  parts[n++] = CLOSE_LIST;
  parts.length = n;
  return { parts, length: length + CLOSE_LIST.length };
}
const CLOSE_LIST = Buffer.from(']}');
