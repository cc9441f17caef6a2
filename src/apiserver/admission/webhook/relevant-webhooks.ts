/**
 * The webhooks a request reaches, for both dispatchers (upstream generic webhook
 * dispatch): each webhook that matches (matcher.ts); a matchCondition error under
 * failurePolicy Fail is the 500 of a failed call, and a dry run reaching a webhook
 * with side effects is refused with upstream's 400 before anything is called.
 */
import type { AdmissionAttributes } from '../interface.js';
import type { NamespaceGetter } from '../match/namespace-selector.js';
import type { ServiceResolver } from './client.js';
import type { WebhookSource } from './configuration-source.js';
import { callFailedStatus, dryRunUnsupported, WebhookCallError } from './errors.js';
import { shouldCallWebhook, supportsDryRun } from './matcher.js';
import type { Webhook } from './types.js';

/** What the webhook plugins read: their webhooks, Namespaces (for namespaceSelector), Service addresses, a logger. */
export interface WebhookPluginDeps {
  source: WebhookSource;
  namespace: NamespaceGetter;
  resolveService: ServiceResolver;
  /** Where ignored failures are reported; default dropped. */
  log?: (message: string) => void;
}

/** Selects the webhooks that apply; throws the 500 of a matchCondition failure under Fail and the dry-run 400. */
export async function relevantWebhooks(all: Webhook[], attrs: AdmissionAttributes, deps: WebhookPluginDeps): Promise<Webhook[]> {
  const out: Webhook[] = [];
  for (const w of all) {
    try {
      if (!(await shouldCallWebhook(w, attrs, deps.namespace))) continue;
    } catch (err) {
      if (err instanceof WebhookCallError) throw callFailedStatus(err);
      throw err;
    }
    if (attrs.dryRun && !supportsDryRun(w)) throw dryRunUnsupported(w.name);
    out.push(w);
  }
  return out;
}
