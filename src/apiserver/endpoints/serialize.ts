/**
 * JSON encoding of responses with the watch cache's objects in mind (upstream's
 * cachingObject, k8s.io/apiserver/pkg/storage/cacher/caching_object.go): an object from
 * the cache is frozen and shared by every list and watch event that carries it, so its
 * JSON is computed once and reused — a pod event sent to 100 watchers is serialized
 * once, and a list is the join of its items' cached encodings.
 */
import type { KubeList, KubeObject } from '../../api/object.js';

const cache = new WeakMap<object, string>();

/** JSON.stringify(obj), remembered for frozen objects (they cannot change). */
export function objectJson(obj: unknown): string {
  if (obj === null || typeof obj !== 'object' || !Object.isFrozen(obj)) return JSON.stringify(obj);
  let json = cache.get(obj);
  if (json === undefined) { json = JSON.stringify(obj); cache.set(obj, json); }
  return json;
}

/** One watch event line: `{"type":…,"object":…}` and a newline (the object's JSON from objectJson). */
export function watchEventLine(type: string, object: KubeObject): string {
  return `{"type":${JSON.stringify(type)},"object":${objectJson(object)}}\n`;
}

/**
 * A list (or any object with an `items` array) as UTF-8 buffers of about `chunkBytes`
 * each, equal to JSON.stringify(list) up to key order (`items` comes last); the total
 * length is known before anything is written, so the response keeps a Content-Length.
 */
export function listJsonBuffers(list: KubeList, chunkBytes = 256 * 1024): Buffer[] {
  const { items, ...rest } = list;
  const head = JSON.stringify(rest);
  const out: Buffer[] = [];
  let part = `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"items":[`;
  items.forEach((item, i) => {
    part += (i ? ',' : '') + objectJson(item);
    if (part.length >= chunkBytes) { out.push(Buffer.from(part)); part = ''; }
  });
  out.push(Buffer.from(part + ']}'));
  return out;
}
