/** MutatingWebhookConfiguration (admissionregistration.k8s.io/v1): webhooks called by the MutatingAdmissionWebhook plugin; failurePolicy Fail, 10 s timeout by default. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { mutatingWebhookConfigurationPrinter } from '../../printers/admissionregistration-printers.js';
import { invalidValue, required } from '../../../machinery/field-errors.js';

/** admissionregistration.k8s.io/v1 MutatingWebhookConfiguration as the code here reads it (the full shape is the wire contract's). */
export type MutatingWebhookConfiguration = KubeObject & Record<string, any>;

export const mutatingWebhookConfigurationDefinition = defineResource<MutatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', namespaced: false, categories: ['api-extensions'],
  printer: mutatingWebhookConfigurationPrinter,
  defaults(c) {
    for (const w of c.webhooks ?? []) {
      w.failurePolicy ??= 'Fail';
      w.matchPolicy ??= 'Equivalent';
      w.namespaceSelector ??= {};
      w.objectSelector ??= {};
      w.timeoutSeconds ??= 10;
      w.reinvocationPolicy ??= 'Never';
      for (const r of w.rules ?? []) r.scope ??= '*';
    }
  },
  validate: (c) => (c.webhooks as Array<Record<string, unknown>> ?? []).flatMap((w, i) => [
    ...(typeof w.name === 'string' && w.name.split('.').length >= 3 ? [] : [invalidValue(`webhooks[${i}].name`, w.name ?? '', 'should be a domain with at least three segments separated by dots')]),
    ...(w.sideEffects ? [] : [required(`webhooks[${i}].sideEffects`, 'must specify one of None, NoneOnDryRun')]),
    ...(((w.admissionReviewVersions ?? []) as unknown[]).length ? [] : [required(`webhooks[${i}].admissionReviewVersions`, 'must specify one of v1, v1beta1')]),
  ]),
});
