/**
 * The admissionregistration/v1 webhook shapes the dispatchers read (MutatingWebhook and
 * ValidatingWebhook), as stored — defaults (failurePolicy Fail, timeoutSeconds 10,
 * selectors {}, reinvocationPolicy Never) are filled by the API, and filled again here
 * for objects stored before.
 */
import type { LabelSelectorLike } from '../../../machinery/labels.js';
import type { MatchCondition } from '../match/match-conditions.js';
import type { RuleWithOperations } from '../match/rules.js';

/** admissionregistration/v1 WebhookClientConfig. */
export interface WebhookClientConfig {
  url?: string;
  service?: { namespace: string; name: string; path?: string; port?: number };
  /** base64 of PEM certificates; absent: the system's roots. */
  caBundle?: string;
}

/** One webhook of a configuration. */
export interface Webhook {
  name: string;
  clientConfig: WebhookClientConfig;
  rules?: RuleWithOperations[];
  failurePolicy?: 'Fail' | 'Ignore';
  matchPolicy?: string;
  namespaceSelector?: LabelSelectorLike;
  objectSelector?: LabelSelectorLike;
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
  matchConditions?: MatchCondition[];
  /** Mutating webhooks only. */
  reinvocationPolicy?: 'Never' | 'IfNeeded';
}

/** A webhook with the name of its configuration (upstream's WebhookAccessor). */
export interface ConfiguredWebhook { configuration: string; webhook: Webhook }
