/** ValidatingWebhookConfiguration (admissionregistration.k8s.io/v1): webhooks called by the ValidatingAdmissionWebhook plugin; failurePolicy Fail, 10 s timeout by default. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { validatingWebhookConfigurationPrinter } from '../../printers/admissionregistration-printers.js';
import { invalidValue, required } from '../../../machinery/field-errors.js';

/** admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration as the code here reads it (the full shape is the wire contract's). */
export type ValidatingWebhookConfiguration = KubeObject & Record<string, any>;

export const validatingWebhookConfigurationDefinition = defineResource<ValidatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', namespaced: false, categories: ['api-extensions'],
  printer: validatingWebhookConfigurationPrinter,
  defaults(c) {
    for (const w of c.webhooks ?? []) {
      w.failurePolicy ??= 'Fail';
      w.matchPolicy ??= 'Equivalent';
      w.namespaceSelector ??= {};
      w.objectSelector ??= {};
      w.timeoutSeconds ??= 10;

      for (const r of w.rules ?? []) r.scope ??= '*';
    }
  },
  validate: (c) => (c.webhooks as Array<Record<string, unknown>> ?? []).flatMap((w, i) => [
    ...(typeof w.name === 'string' && w.name.split('.').length >= 3 ? [] : [invalidValue(`webhooks[${i}].name`, w.name ?? '', 'should be a domain with at least three segments separated by dots')]),
    ...(w.sideEffects ? [] : [required(`webhooks[${i}].sideEffects`, 'must specify one of None, NoneOnDryRun')]),
    ...(((w.admissionReviewVersions ?? []) as unknown[]).length ? [] : [required(`webhooks[${i}].admissionReviewVersions`, 'must specify one of v1, v1beta1')]),
  ]),
});
