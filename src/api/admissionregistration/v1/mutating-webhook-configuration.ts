/** MutatingWebhookConfiguration (admissionregistration.k8s.io/v1): webhooks called by the MutatingAdmissionWebhook plugin; failurePolicy Fail, 10 s timeout by default. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { mutatingWebhookConfigurationPrinter } from '../../printers/admissionregistration-printers.js';
import { defaultWebhooks, validateWebhooks } from './webhooks.js';

/** admissionregistration.k8s.io/v1 MutatingWebhookConfiguration as the code here reads it (the full shape is the wire contract's). */
export type MutatingWebhookConfiguration = KubeObject & Record<string, any>;

export const mutatingWebhookConfigurationDefinition = defineResource<MutatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', namespaced: false, categories: ['api-extensions'],
  printer: mutatingWebhookConfigurationPrinter,
  defaults: (c) => defaultWebhooks(c.webhooks, true),
  validate: (c) => validateWebhooks(c.webhooks),
});
