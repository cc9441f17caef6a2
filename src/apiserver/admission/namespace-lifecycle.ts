/**
 * NamespaceLifecycle (upstream plugin/pkg/admission/namespace/lifecycle): objects may
 * not be created in a namespace that does not exist (404) or is being terminated (403),
 * and the system namespaces `default`, `kube-system` and `kube-public` may not be
 * deleted (403).
 */
import type { KubeObject } from '../../api/object.js';
import { forbidden, notFound } from '../../machinery/errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

/** `lookupNamespace(name)` gives the stored Namespace or undefined. */
export function namespaceLifecycle(lookupNamespace: (name: string) => Promise<KubeObject | undefined>): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(a: AdmissionAttributes) {
      const isNamespace = a.resource.group === '' && a.resource.plural === 'namespaces';
      if (a.operation === 'DELETE' && isNamespace && !a.subresource && IMMORTAL.has(a.name)) {
        throw forbidden(`namespaces "${a.name}" is forbidden: this namespace may not be deleted`, { group: '', resource: 'namespaces', name: a.name });
      }
      if (a.operation !== 'CREATE' || !a.resource.namespaced || !a.namespace) return;
      const ns = await lookupNamespace(a.namespace);
      if (!ns) throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
      if (ns.metadata.deletionTimestamp) {
        throw forbidden(`${a.resource.plural} "${a.name}" is forbidden: unable to create new content in namespace ${a.namespace} because it is being terminated`, { group: a.resource.group, resource: a.resource.plural, name: a.name });
      }
    },
  };
}
