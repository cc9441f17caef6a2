/**
 * create (upstream etcd3 store.go Create): one transaction, "create_revision == 0 then
 * put", so of concurrent creates exactly one wins; the value goes through the transformer.
 */
import type { KubeObject } from '../../api/object.js';
import { CompareResult, CompareTarget } from 'etcd3';
import { StorageError } from '../errors.js';
import { decode, encode } from '../object-codec.js';
import { call, etcdKey, type EtcdContext } from './context.js';

/** Stores `obj` under `key`; returns it with resourceVersion = the put's revision. Throws KeyExists, Unreachable. */
export async function createKey<T extends KubeObject>(ctx: EtcdContext, key: string, obj: T): Promise<T> {
  const plain = encode(obj);
  const k = etcdKey(ctx, key);
  const res = await call(ctx, key, () => ctx.client.kv.txn({
    compare: [{ key: k, target: CompareTarget.Create, result: CompareResult.Equal, create_revision: 0 }],
    success: [{ request_put: { key: k, value: Buffer.from(ctx.transformer.toStorage(key, plain)) } }],
    failure: [],
  }));
  if (!res.succeeded) throw new StorageError('KeyExists', key);
  return decode<T>(plain, Number(res.header.revision));
}
