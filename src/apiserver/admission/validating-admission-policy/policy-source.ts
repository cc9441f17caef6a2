/**
 * The policies and bindings in force, read from the stored objects (upstream's
 * informers over them): lists from the watch cache on each request. Policies are taken
 * in name order, and each policy's bindings in name order.
 */
import type { AdmissionObjects } from '../admission-objects.js';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './types.js';

/** A policy with the bindings that name it. */
export interface BoundPolicy { policy: ValidatingAdmissionPolicy; bindings: ValidatingAdmissionPolicyBinding[] }

/** A source of the policies in force. */
export interface PolicySource { policies(): Promise<BoundPolicy[]> }

const byName = (a: { metadata: { name?: string } }, b: { metadata: { name?: string } }) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0);

/** The policies over the apiserver's stored objects; a policy without bindings is left out. */
export function storedPolicySource(objects: AdmissionObjects): PolicySource {
  const G = 'admissionregistration.k8s.io';
  return {
    async policies() {
      const bindings = await objects.list(G, 'v1', 'validatingadmissionpolicybindings') as ValidatingAdmissionPolicyBinding[];
      if (!bindings.length) return [];
      const policies = await objects.list(G, 'v1', 'validatingadmissionpolicies') as ValidatingAdmissionPolicy[];
      return [...policies].sort(byName)
        .map((policy) => ({ policy, bindings: bindings.filter((b) => b.spec?.policyName === policy.metadata.name).sort(byName) }))
        .filter((p) => p.bindings.length);
    },
  };
}
