/**
 * delete (upstream etcd3 store.go Delete / conditionalDelete): read the key, check
 * preconditions and validateDeletion, then one transaction "mod_revision == the revision
 * read then delete (with prev_kv), else range the key"; on failure retry with the
 * else-branch's state. Returns the deleted state with resourceVersion = the delete's revision.
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { Preconditions } from '../interface.js';
import { checkPreconditions } from '../preconditions.js';
import { compareAndSwap, decodeKv, etcdKey, type EtcdContext, type EtcdKeyValue } from './context.js';
import { readKv } from './get.js';

/**
 * Deletes `key`; returns the last state with resourceVersion = the deletion's revision.
 * Throws KeyNotFound, ResourceVersionConflicts (preconditions), Unreachable, or what validateDeletion throws.
 */
export async function deleteKey<T extends KubeObject>(
  ctx: EtcdContext, key: string,
  opts: { preconditions?: Preconditions; validateDeletion?: (current: T) => void | Promise<void> } = {},
): Promise<T> {
  let kv: EtcdKeyValue | undefined = await readKv(ctx, key);
  for (;;) {
    if (!kv) throw new StorageError('KeyNotFound', key);
    const current = decodeKv<T>(ctx, kv);
    checkPreconditions(key, current, opts.preconditions);
    if (opts.validateDeletion) await opts.validateDeletion(current);
    const read = kv;
    const res = await compareAndSwap(ctx, key, read.mod_revision, { request_delete_range: { key: etcdKey(ctx, key), prev_kv: true } });
    if (res.succeeded) return decodeKv<T>(ctx, res.response?.response_delete_range?.prev_kvs[0] ?? read, res.revision);
    kv = res.current;
  }
}
