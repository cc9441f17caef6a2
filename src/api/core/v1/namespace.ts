/** core/v1 Namespace: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import type { ResourceDefinition } from '../../resource-definition.js';
import { namespacePrinter } from '../../printers/printers.js';
import { rfc3339 } from '../../../machinery/time.js';
import { isDNS1123Label } from '../../../machinery/validation.js';
import { core, metaOnly } from './core-helpers.js';
import { NamespaceSchema, type Namespace } from './types.js';

/**
 * Namespace strategy (pkg/registry/core/namespace): deleting a namespace whose
 * spec.finalizers are set marks it Terminating; the namespace controller empties it and
 * clears spec.finalizers through `finalize`, after which it is removed.
 */
export const namespaceDefinition: ResourceDefinition<Namespace> = {
  info: core({ kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: ['status', 'finalize'] }),
  schema: NamespaceSchema,
  protobufMessage: 'k8s.io.api.core.v1.Namespace',
  printer: namespacePrinter,
  strategy: {
    prepareForCreate(ns) { ns.status = { phase: 'Active' }; },
    prepareForUpdate(ns, old) {
      ns.status = old.status;
      ns.spec = old.spec; // spec.finalizers change only through `finalize`
    },
    canFinishDeletion: (ns) => (ns.spec?.finalizers ?? []).length === 0,
    beforeDelete(obj, deps) {
      if ((obj.spec?.finalizers ?? []).length === 0) return undefined;
      const ns = structuredClone(obj);
      ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
      ns.metadata.deletionTimestamp ??= rfc3339(deps.clock());
      ns.metadata.deletionGracePeriodSeconds ??= 0;
      return ns;
    },
  },
  applyDefaults(ns) {
    ns.spec ??= {};
    ns.spec.finalizers ??= ['kubernetes'];
    ns.status ??= {};
    ns.status.phase ??= 'Active';
  },
  ...metaOnly(false, isDNS1123Label),
  fieldLabels: (ns) => ({ 'status.phase': ns.status?.phase ?? '' }),
};
