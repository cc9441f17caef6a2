/** IngressClass (networking.k8s.io/v1): the controller is required and immutable. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { ingressClassPrinter } from '../../printers/networking-printers.js';
import { invalidValue, required } from '../../../machinery/field-errors.js';

/** networking.k8s.io/v1 IngressClass as the code here reads it (the full shape is the wire contract's). */
export type IngressClass = KubeObject & Record<string, any>;

export const ingressClassDefinition = defineResource<IngressClass>({
  group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false,
  printer: ingressClassPrinter,
  validate: (ic) => (!ic.spec?.controller ? [required('spec.controller')]
    : /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/\S+$/.test(ic.spec.controller) ? []
      : [invalidValue('spec.controller', ic.spec.controller, 'must be a domain-prefixed path (such as "acme.io/foo")')]),
  validateUpdate: (ic, old) => (ic.spec?.controller !== old.spec?.controller ? [invalidValue('spec.controller', ic.spec?.controller ?? '', 'field is immutable')] : []),
});
