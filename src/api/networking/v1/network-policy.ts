/** NetworkPolicy (networking.k8s.io/v1): policyTypes default to Ingress, plus Egress when egress rules are given. */
import { defineResource } from '../../define-resource.js';
import { type FieldError, invalidValue, notSupported } from '../../../machinery/field-errors.js';
import { isCIDR } from '../../validation-helpers.js';
import type { KubeObject } from '../../object.js';
import { networkPolicyPrinter } from '../../printers/networking-printers.js';

/** networking.k8s.io/v1 NetworkPolicy as the code here reads it (the full shape is the wire contract's). */
export type NetworkPolicy = KubeObject & Record<string, any>;

export const networkPolicyDefinition = defineResource<NetworkPolicy>({
  group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true, shortNames: ['netpol'],
  printer: networkPolicyPrinter,
  validate(np) {
    const errs: FieldError[] = ((np.spec?.policyTypes ?? []) as string[]).flatMap((t, i) => (['Ingress', 'Egress'].includes(t) ? [] : [notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress'])]));
    for (const [dir, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
      ((np.spec?.[dir] ?? []) as Array<Record<string, Array<{ ipBlock?: { cidr?: string } }>>>).forEach((rule, i) => (rule[peersKey] ?? []).forEach((peer, j) => {
        const cidr = peer.ipBlock?.cidr;
        if (cidr !== undefined && !isCIDR(cidr)) errs.push(invalidValue(`spec.${dir}[${i}].${peersKey}[${j}].ipBlock.cidr`, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      }));
    }
    return errs;
  },
  defaults(np) {
    np.spec ??= {};
    np.spec.podSelector ??= {};
    if (!np.spec.policyTypes || np.spec.policyTypes.length === 0) np.spec.policyTypes = np.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  strategy: { tracksGeneration: true },
});
