/**
 * Namespace strategy (upstream pkg/registry/core/namespace/storage): deleting a namespace
 * with spec.finalizers marks it Terminating; the namespace controller empties it and
 * clears spec.finalizers through the `finalize` subresource, after which it is removed.
 */
import type { Namespace } from '../../../api/core/v1/types.js';
import { findKind } from '../../../api/kinds.js';
import { defaultStrategy, type Strategy } from '../strategy.js';
import { now } from '../store.js';

export function namespaceStrategy(): Strategy {
  return defaultStrategy(findKind('', 'namespaces')!, {
    prepareForCreate(obj) { (obj as Namespace).status = { phase: 'Active' }; },
    prepareForUpdate(obj, old) {
      const ns = obj as Namespace;
      ns.status = (old as Namespace).status;
      ns.spec = (old as Namespace).spec; // spec.finalizers change only through `finalize`
    },
    canFinishDeletion: (obj) => ((obj as Namespace).spec?.finalizers ?? []).length === 0,
    beforeDelete(obj) {
      const ns = structuredClone(obj) as Namespace;
      if ((ns.spec?.finalizers ?? []).length === 0) return undefined;
      ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
      ns.metadata.deletionTimestamp ??= now();
      ns.metadata.deletionGracePeriodSeconds ??= 0;
      return ns;
    },
  });
}
