/**
 * Write preconditions (upstream k8s.io/apiserver/pkg/storage/interfaces.go
 * Preconditions.Check): uid and resourceVersion must equal the current object's.
 */
import type { KubeObject } from '../api/object.js';
import { StorageError } from './errors.js';
import type { Preconditions } from './interface.js';

/** Throws StorageError ResourceVersionConflicts with upstream's message when a precondition fails. */
export function checkPreconditions(key: string, obj: KubeObject, pre?: Preconditions): void {
  if (!pre) return;
  if (pre.uid && obj.metadata.uid !== pre.uid) {
    throw new StorageError('ResourceVersionConflicts', key, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`);
  }
  if (pre.resourceVersion && obj.metadata.resourceVersion !== pre.resourceVersion) {
    throw new StorageError('ResourceVersionConflicts', key, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`);
  }
}
