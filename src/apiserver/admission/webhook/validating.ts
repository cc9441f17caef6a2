/**
 * ValidatingAdmissionWebhook (upstream admission/plugin/webhook/validating): in the
 * validating step, every matching validating webhook is called in parallel with the
 * request's AdmissionReview. Warnings of every answer join the request's warnings; the
 * first refusal in webhook order ends the request (`admission webhook "NAME" denied the
 * request: ...`). A failed call is skipped under failurePolicy Ignore and is a 500 under
 * Fail; a dry run reaching a webhook with side effects is a 400.
 */
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { NamespaceGetter } from '../match/namespace-selector.js';
import { callWebhook } from './call.js';
import type { ServiceResolver } from './client.js';
import type { WebhookSource } from './configuration-source.js';
import { callFailedStatus, deniedError, dryRunUnsupported, WebhookCallError } from './errors.js';
import { shouldCallWebhook, supportsDryRun } from './matcher.js';
import type { Webhook } from './types.js';
import { annotateFromResponse } from './audit-annotations.js';

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

/** Calls one validating webhook; returns its refusal (or undefined), having recorded its warnings. */
async function judge(w: Webhook, attrs: AdmissionAttributes, deps: WebhookPluginDeps): Promise<Error | undefined> {
  try {
    const r = await callWebhook(w, attrs, deps.resolveService);
    for (const warning of r.warnings ?? []) attrs.warnings?.push(warning);
    annotateFromResponse(attrs, w.name, r.auditAnnotations);
    return r.allowed ? undefined : deniedError(w.name, r.status);
  } catch (err) {
    if (!(err instanceof WebhookCallError)) throw err;
    if (w.failurePolicy === 'Ignore') { deps.log?.(`Failed calling webhook, failing open ${w.name}: ${err.message}`); return undefined; }
    deps.log?.(`Failed calling webhook, failing closed ${w.name}: ${err.message}`);
    return callFailedStatus(err);
  }
}

/** The ValidatingAdmissionWebhook plugin over `deps`. */
export function validatingAdmissionWebhook(deps: WebhookPluginDeps): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionWebhook',
    async validate(attrs) {
      const hooks = await relevantWebhooks((await deps.source.webhooks()).map((c) => c.webhook), attrs, deps);
      if (!hooks.length) return;
      const results = await Promise.all(hooks.map((w) => judge(w, attrs, deps)));
      const refusal = results.find((e) => e);
      if (refusal) throw refusal;
    },
  };
}
