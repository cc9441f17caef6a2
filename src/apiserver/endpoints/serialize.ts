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
 * A list (or any object with an `items` array) as buffers of about `chunkBytes` each,
 * equal to JSON.stringify(list) up to key order (`items` comes last); the total length
 * is known before anything is written, so the response keeps a Content-Length.
 */
export function listJsonBuffers(list: KubeList, chunkBytes = 256 * 1024): Buffer[] {
  const { items, ...rest } = list;
  const head = JSON.stringify(rest);
  const out: Buffer[] = [];
  let part: Buffer[] = [Buffer.from(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"items":[`)];
  let size = 0;
  items.forEach((item, i) => {
    if (i) part.push(COMMA);
    const b = jsonBuffer(item);
    part.push(b);
    size += b.length + 1;
    if (size >= chunkBytes) { out.push(Buffer.concat(part)); part = []; size = 0; }
  });
  part.push(Buffer.from(']}'));
  out.push(Buffer.concat(part));
  return out;
}
