/** ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1): CEL validations applied through bindings. */
import { policyExpressionErrors } from './cel-validation.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { validatingAdmissionPolicyPrinter } from '../../printers/admissionregistration-printers.js';
import { required } from '../../../machinery/field-errors.js';

/** admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy as the code here reads it (the full shape is the wire contract's). */
export type ValidatingAdmissionPolicy = KubeObject & Record<string, any>;

export const validatingAdmissionPolicyDefinition = defineResource<ValidatingAdmissionPolicy>({
  group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingAdmissionPolicy', plural: 'validatingadmissionpolicies', namespaced: false, categories: ['api-extensions'], subresources: ['status'],
  printer: validatingAdmissionPolicyPrinter,
  defaults(p) { p.spec ??= {}; p.spec.failurePolicy ??= 'Fail'; },
  validate: (p) => [
    ...((p.spec?.validations ?? []).length || (p.spec?.auditAnnotations ?? []).length ? [] : [required('spec.validations', 'validations or auditAnnotations must contain at least one item')]),
    ...policyExpressionErrors(p.spec),
  ],
  strategy: { tracksGeneration: true },
});
