/** ValidatingAdmissionPolicyBinding (admissionregistration.k8s.io/v1): binds a policy to resources and params. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { validatingAdmissionPolicyBindingPrinter } from '../../printers/admissionregistration-printers.js';
import { required } from '../../../machinery/field-errors.js';

/** admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding as the code here reads it (the full shape is the wire contract's). */
export type ValidatingAdmissionPolicyBinding = KubeObject & Record<string, any>;

export const validatingAdmissionPolicyBindingDefinition = defineResource<ValidatingAdmissionPolicyBinding>({
  group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicyBinding', plural: 'validatingadmissionpolicybindings', namespaced: false, categories: ['api-extensions'],
  printer: validatingAdmissionPolicyBindingPrinter,
  validate: (b) => [
    ...(b.spec?.policyName ? [] : [required('spec.policyName')]),
    ...((b.spec?.validationActions ?? []).length ? [] : [required('spec.validationActions', 'at least one validation action is required')]),
  ],
});
