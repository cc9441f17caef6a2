/**
 * Whether a webhook is called for a request (upstream admission/plugin/webhook/generic
 * webhook.go ShouldCallHook, then the dispatcher's matchConditions step): one of its
 * rules must match, then its namespaceSelector and objectSelector, then every
 * matchCondition. A matchCondition error skips the webhook under failurePolicy Ignore
 * and fails the call under Fail. Writes of the admission configuration kinds themselves
 * never reach webhooks (upstream IsExemptAdmissionConfigurationResource), so a broken
 * webhook cannot lock its own configuration.
 */
import { admissionBindings } from '../../cel/admission-bindings.js';
import type { AdmissionAttributes } from '../interface.js';
import { evaluateMatchConditions } from '../match/match-conditions.js';
import { matchesNamespaceSelector, type NamespaceGetter } from '../match/namespace-selector.js';
import { matchesObjectSelector } from '../match/object-selector.js';
import { matchesAnyRule } from '../match/rules.js';
import { WebhookCallError } from './errors.js';
import type { Webhook } from './types.js';

const EXEMPT = new Set(['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings']);

/** Whether the request writes an admission configuration object (never sent to webhooks). */
export const isExemptFromWebhooks = (attrs: AdmissionAttributes): boolean => attrs.resource.group === 'admissionregistration.k8s.io' && EXEMPT.has(attrs.resource.plural);

/**
 * Whether `webhook` applies to `attrs`. Throws WebhookCallError for a matchCondition error
 * under failurePolicy Fail, StatusError (400) for a malformed selector.
 */
export async function shouldCallWebhook(webhook: Webhook, attrs: AdmissionAttributes, getNamespace: NamespaceGetter): Promise<boolean> {
  if (isExemptFromWebhooks(attrs)) return false;
  if (!matchesAnyRule(webhook.rules, attrs)) return false;
  if (!(await matchesNamespaceSelector(webhook.namespaceSelector, attrs, getNamespace))) return false;
  if (!matchesObjectSelector(webhook.objectSelector, attrs)) return false;
  if (!webhook.matchConditions?.length) return true;
  const result = evaluateMatchConditions(webhook.matchConditions, admissionBindings(attrs));
  if (result.error === undefined) return result.matches;
  if ((webhook.failurePolicy ?? 'Fail') === 'Ignore') return false;
  throw new WebhookCallError(webhook.name, `failed to evaluate match conditions: ${result.error}`);
}

/** Whether a webhook may see dry-run requests (sideEffects None or NoneOnDryRun). */
export const supportsDryRun = (webhook: Webhook): boolean => webhook.sideEffects === 'None' || webhook.sideEffects === 'NoneOnDryRun';
