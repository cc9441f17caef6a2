/**
 * What every verb of the etcd3 backend shares: the client, the key prefix, the value
 * transformer, the running watches and the error mapping. Keys handed to Storage
 * (`/registry/pods/default/web-1`) are stored at exactly that key, behind `pathPrefix`
 * (default '', set only by tests to isolate cases on one etcd).
 * Upstream: k8s.io/apiserver/pkg/storage/etcd3/store.go (pathPrefix, the client).
 */
import { CompareResult, CompareTarget, type Etcd3 } from 'etcd3';
import type { KubeObject } from '../../api/object.js';
import { decode } from '../object-codec.js';
import type { ValueTransformer } from '../value-transformer.js';
import { mapEtcdError } from './map-error.js';

/** A key-value pair as the etcd3 client returns it (keys and values are bytes, revisions decimal strings). */
export interface EtcdKeyValue { key: Buffer; value: Buffer; create_revision: string; mod_revision: string }

export interface EtcdContext {
  readonly client: Etcd3;
  /** Prepended to every key in etcd (default ''). */
  readonly pathPrefix: string;
  readonly transformer: ValueTransformer;
  /** Closers of the running watches; close() calls every one. */
  readonly watches: Set<() => void>;
  /** The highest header revision this client has seen (0 before the first answer); where a watch "from now" starts. */
  lastRevision: number;
  /** Throws StorageError Unreachable once the backend is closed. */
  ensureOpen(key: string): void;
}

/** The etcd key of a storage key: the path prefix, then the key, as bytes. */
export const etcdKey = (ctx: EtcdContext, key: string): Buffer => Buffer.from(ctx.pathPrefix + key);

/** The storage key of an etcd key (the path prefix removed). */
export const storageKey = (ctx: EtcdContext, key: Buffer): string => key.toString().slice(ctx.pathPrefix.length);

/** The first key after every key that starts with `prefix` (etcd's range_end for a prefix); a zero byte means "to the end". */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) { end[i]++; return end.subarray(0, i + 1); }
  }
  return Buffer.from([0]);
}

/**
 * Runs one etcd call for `key`: refuses when closed, records the answer's header
 * revision, and turns every failure into a StorageError (map-error.ts).
 */
export async function call<R>(ctx: EtcdContext, key: string, fn: () => Promise<R>): Promise<R> {
  ctx.ensureOpen(key);
  let res: R;
  try {
    res = await fn();
  } catch (err) {
    throw mapEtcdError(err, key);
  }
  const rev = Number((res as { header?: { revision?: string } }).header?.revision ?? 0);
  if (rev > ctx.lastRevision) ctx.lastRevision = rev;
  return res;
}

/** Reads a stored value back through the transformer (its errors propagate) as plain JSON. */
export const plainValue = (ctx: EtcdContext, key: string, value: Buffer): string => ctx.transformer.fromStorage(key, value.toString());

/** The object of a key-value pair with resourceVersion = `revision` (default: its mod_revision). */
export function decodeKv<T extends KubeObject>(ctx: EtcdContext, kv: EtcdKeyValue, revision = Number(kv.mod_revision)): T {
  return decode<T>(plainValue(ctx, storageKey(ctx, kv.key), kv.value), revision);
}

/**
 * One compare-and-swap on `key` (what guaranteedUpdate and delete share): a transaction
 * "mod_revision is still `modRevision` (0: absent) → `success`", answering the current
 * pair when it lost. Returns whether it won, the transaction's revision, its first
 * response, and the pair read on failure (undefined when the key is gone). Throws
 * StorageError as call() does.
 */
export async function compareAndSwap(ctx: EtcdContext, key: string, modRevision: string | number, success: Record<string, unknown>) {
  const k = etcdKey(ctx, key);
  const res = await call(ctx, key, () => ctx.client.kv.txn({
    compare: [{ key: k, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: modRevision }],
    success: [success],
    failure: [{ request_range: { key: k } }],
  }));
  return {
    succeeded: res.succeeded, revision: Number(res.header.revision), response: res.responses[0],
    current: res.succeeded ? undefined : res.responses[0]?.response_range?.kvs[0] as EtcdKeyValue | undefined,
  };
}
