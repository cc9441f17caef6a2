/**
 * guaranteedUpdate (upstream etcd3 store.go GuaranteedUpdate): read the key, check
 * preconditions, call `tryUpdate`, then one transaction "mod_revision == the revision
 * read (0: still absent) then put, else range the key". When it fails, the else-branch's
 * range is the new state, so the retry needs no extra read. An update that serializes
 * to the same bytes writes nothing and keeps the resourceVersion.
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { Preconditions } from '../interface.js';
import { decode, encode } from '../object-codec.js';
import { checkPreconditions } from '../preconditions.js';
import { compareAndSwap, etcdKey, plainValue, type EtcdContext, type EtcdKeyValue } from './context.js';
import { readKv } from './get.js';

/** See module doc. Throws KeyNotFound (absent, unless ignoreNotFound), ResourceVersionConflicts (preconditions), Unreachable, or what tryUpdate throws. */
export async function guaranteedUpdateKey<T extends KubeObject>(
  ctx: EtcdContext, key: string, tryUpdate: (current: T | null) => T | Promise<T>,
  opts: { preconditions?: Preconditions; ignoreNotFound?: boolean } = {},
): Promise<T> {
  let kv: EtcdKeyValue | undefined = await readKv(ctx, key);
  for (;;) {
    if (!kv && !opts.ignoreNotFound) throw new StorageError('KeyNotFound', key);
    const livePlain = kv ? plainValue(ctx, key, kv.value) : undefined;
    const current = livePlain !== undefined ? decode<T>(livePlain, Number(kv!.mod_revision)) : null;
    if (current) checkPreconditions(key, current, opts.preconditions);
    const next = await tryUpdate(current);
    const value = encode(next);
    if (kv && value === livePlain) return decode<T>(value, Number(kv.mod_revision));
    const res = await compareAndSwap(ctx, key, kv?.mod_revision ?? 0, { request_put: { key: etcdKey(ctx, key), value: Buffer.from(ctx.transformer.toStorage(key, value)) } });
    if (res.succeeded) return decode<T>(value, res.revision);
    kv = res.current;
  }
}
