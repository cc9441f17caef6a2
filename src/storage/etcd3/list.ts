/**
 * list (upstream etcd3 store.go GetList): one range over [prefix, prefixEnd) — or from
 * just after `continueKey` — at the requested revision, with `limit`; etcd's `count`
 * (every key in the range, not only the page) gives remainingItemCount. A compacted
 * revision is ResourceExpired, a future one InvalidRequest (map-error.ts).
 */
import type { KubeObject } from '../../api/object.js';
import type { ListOptions, ListResult } from '../interface.js';
import { call, decodeKv, etcdKey, prefixEnd, storageKey, type EtcdContext } from './context.js';

/** Lists `prefix` (see module doc); `revision` of the result is the revision read at (the header's for a latest read). */
export async function listPrefix<T extends KubeObject>(ctx: EtcdContext, prefix: string, opts: ListOptions = {}): Promise<ListResult<T>> {
  const asked = opts.revision && opts.revision > 0 ? opts.revision : 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  const start = opts.continueKey ? Buffer.concat([etcdKey(ctx, opts.continueKey), Buffer.from([0])]) : etcdKey(ctx, prefix);
  const res = await call(ctx, prefix, () => ctx.client.kv.range({ key: start, range_end: prefixEnd(etcdKey(ctx, prefix)), revision: asked, limit }));
  const result: ListResult<T> = {
    items: res.kvs.map((kv) => decodeKv<T>(ctx, kv)),
    keys: res.kvs.map((kv) => storageKey(ctx, kv.key)),
    revision: asked || Number(res.header.revision),
  };
  if (limit && res.more && res.kvs.length > 0) {
    result.continueKey = result.keys[result.keys.length - 1];
    result.remainingItemCount = Number(res.count) - res.kvs.length;
  }
  return result;
}
