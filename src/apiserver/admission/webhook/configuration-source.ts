/**
 * The webhooks in force, read from the stored Mutating/ValidatingWebhookConfiguration
 * objects (upstream admission/plugin/webhook/configuration, an informer over them). Lists
 * come from the watch cache on each request, which is always as fresh as an informer
 * would be; configurations are taken in name order and their webhooks in list order, as
 * upstream sorts them. Defaults are re-applied for objects stored without them.
 */
import type { AdmissionObjects } from '../admission-objects.js';
import type { ConfiguredWebhook, Webhook } from './types.js';

/** Which configuration kind a dispatcher reads. */
export type WebhookKind = 'mutating' | 'validating';

const PLURAL: Record<WebhookKind, string> = { mutating: 'mutatingwebhookconfigurations', validating: 'validatingwebhookconfigurations' };

/** A source of the webhooks of one kind. */
export interface WebhookSource { webhooks(): Promise<ConfiguredWebhook[]> }

/** The webhooks of `kind` over the apiserver's stored objects. */
export function storedWebhookSource(objects: AdmissionObjects, kind: WebhookKind): WebhookSource {
  return {
    async webhooks() {
      const configs = await objects.list('admissionregistration.k8s.io', 'v1', PLURAL[kind]);
      return [...configs]
        .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0))
        .flatMap((c) => (((c as { webhooks?: Webhook[] }).webhooks) ?? []).map((w) => ({
          configuration: c.metadata.name!,
          webhook: {
            failurePolicy: 'Fail', timeoutSeconds: 10, namespaceSelector: {}, objectSelector: {},
            ...(kind === 'mutating' ? { reinvocationPolicy: 'Never' } : {}), ...w,
          } as Webhook,
        })));
    },
  };
}
