/**
 * The one place where storage errors become API Status errors
 * (upstream k8s.io/apiserver/pkg/storage/errors → apierrors in registry/generic/registry).
 */
import { StorageError } from '../../storage/errors.js';
import { alreadyExists, badRequest, conflict, gone, internalError, notFound, OPTIMISTIC_LOCK_MESSAGE, StatusError, type GroupResource } from '../../machinery/errors.js';

/** Converts any error thrown by storage into a StatusError about `gr`/`name`. */
export function toStatusError(err: unknown, gr: GroupResource, name: string): StatusError {
  if (err instanceof StatusError) return err;
  if (!(err instanceof StorageError)) return internalError(err);
  switch (err.code) {
    case 'KeyNotFound': return notFound(gr, name);
    case 'KeyExists': return alreadyExists(gr, name);
    case 'ResourceVersionConflicts': return conflict(gr, name, err.message.startsWith('Precondition') ? err.message : OPTIMISTIC_LOCK_MESSAGE);
    case 'ResourceExpired': return gone(err.message.startsWith('too old') ? err.message : `too old resource version: ${err.message}`);
    case 'InvalidRequest': return badRequest(err.message);
    default: return internalError(err);
  }
}
