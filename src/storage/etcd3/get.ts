/** get (upstream etcd3 store.go Get): one range of the exact key. */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import { call, decodeKv, etcdKey, type EtcdContext, type EtcdKeyValue } from './context.js';

/** The current key-value pair of `key`, or undefined when absent. Throws Unreachable. */
export async function readKv(ctx: EtcdContext, key: string): Promise<EtcdKeyValue | undefined> {
  const res = await call(ctx, key, () => ctx.client.kv.range({ key: etcdKey(ctx, key) }));
  return res.kvs[0];
}

/** The current object at `key` with resourceVersion = its mod_revision. Throws KeyNotFound, Unreachable. */
export async function getKey<T extends KubeObject>(ctx: EtcdContext, key: string): Promise<T> {
  const kv = await readKv(ctx, key);
  if (!kv) throw new StorageError('KeyNotFound', key);
  return decodeKv<T>(ctx, kv);
}
