/** NetworkPolicy (networking.k8s.io/v1): policyTypes default to Ingress, plus Egress when egress rules are given. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { networkPolicyPrinter } from '../../printers/networking-printers.js';

/** networking.k8s.io/v1 NetworkPolicy as the code here reads it (the full shape is the wire contract's). */
export type NetworkPolicy = KubeObject & Record<string, any>;

export const networkPolicyDefinition = defineResource<NetworkPolicy>({
  group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true, shortNames: ['netpol'],
  printer: networkPolicyPrinter,
  defaults(np) {
    np.spec ??= {};
    np.spec.podSelector ??= {};
    if (!np.spec.policyTypes || np.spec.policyTypes.length === 0) np.spec.policyTypes = np.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  strategy: { tracksGeneration: true },
});
