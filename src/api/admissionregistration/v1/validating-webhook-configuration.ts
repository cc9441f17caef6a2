/** ValidatingWebhookConfiguration (admissionregistration.k8s.io/v1): webhooks called by the ValidatingAdmissionWebhook plugin; failurePolicy Fail, 10 s timeout by default. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { validatingWebhookConfigurationPrinter } from '../../printers/admissionregistration-printers.js';
import { defaultWebhooks, validateWebhooks } from './webhooks.js';

/** admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration as the code here reads it (the full shape is the wire contract's). */
export type ValidatingWebhookConfiguration = KubeObject & Record<string, any>;

export const validatingWebhookConfigurationDefinition = defineResource<ValidatingWebhookConfiguration>({
  group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', namespaced: false, categories: ['api-extensions'],
  printer: validatingWebhookConfigurationPrinter,
  defaults: (c) => defaultWebhooks(c.webhooks, false),
  validate: (c) => validateWebhooks(c.webhooks),
});
