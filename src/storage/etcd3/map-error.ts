/**
 * etcd/gRPC failures → StorageError, in one place (upstream
 * k8s.io/apiserver/pkg/storage/etcd3/store.go interpretListError/interpretWatchError and
 * etcd's rpctypes errors): a compacted revision is ResourceExpired, a future revision
 * InvalidRequest, everything else — unavailable, deadline exceeded, an open circuit
 * breaker, a closed client, any other gRPC failure — Unreachable. A raw gRPC error never
 * leaves the backend; it is kept as `cause`.
 */
import { StorageError } from '../errors.js';

/** The StorageError for `err` raised while working on `key` (a StorageError passes unchanged). */
export function mapEtcdError(err: unknown, key: string): StorageError {
  if (err instanceof StorageError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes('required revision has been compacted')) {
    return new StorageError('ResourceExpired', key, `too old resource version: ${message}`, { cause: err });
  }
  if (message.includes('required revision is a future revision')) {
    return new StorageError('InvalidRequest', key, message, { cause: err });
  }
  return new StorageError('Unreachable', key, `etcd: ${message}`, { cause: err });
}
