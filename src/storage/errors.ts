/**
 * Storage errors with stable codes (upstream k8s.io/apiserver/pkg/storage/errors.go).
 * They are mapped to API Status errors in exactly one place: the apiserver's registry.
 */
export type StorageErrorCode =
  /** The key does not exist. */
  | 'KeyNotFound'
  /** create() of a key that exists. */
  | 'KeyExists'
  /** A precondition (uid / resourceVersion) or compare-and-swap failed. */
  | 'ResourceVersionConflicts'
  /** A watch or list asked for a revision that was compacted away (HTTP 410). */
  | 'ResourceExpired'
  /** The request itself is not valid for storage (bad key, bad revision). */
  | 'InvalidRequest'
  /** The backend failed (I/O, connection). */
  | 'Unreachable';

export class StorageError extends Error {
  constructor(readonly code: StorageErrorCode, readonly key: string, message?: string, options?: { cause?: unknown }) {
    super(message ?? `${code}: ${key}`, options);
    this.name = 'StorageError';
  }
}

export const isStorageError = (err: unknown, code?: StorageErrorCode): err is StorageError =>
  err instanceof StorageError && (code === undefined || err.code === code);
