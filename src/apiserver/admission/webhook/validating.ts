/**
 * ValidatingAdmissionWebhook (upstream admission/plugin/webhook/validating): in the
 * validating step, every matching validating webhook is called in parallel with the
 * request's AdmissionReview. Warnings of every answer join the request's warnings; the
 * first refusal in webhook order ends the request (`admission webhook "NAME" denied the
 * request: ...`). A failed call is skipped under failurePolicy Ignore and is a 500 under
 * Fail; a dry run reaching a webhook with side effects is a 400.
 */
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { callWebhook } from './call.js';
import { callFailure, deniedError } from './errors.js';
import { relevantWebhooks, type WebhookPluginDeps } from './relevant-webhooks.js';
import type { Webhook } from './types.js';
import { annotateFromResponse } from './audit-annotations.js';

/** Calls one validating webhook; returns its refusal (or undefined), having recorded its warnings. */
async function judge(w: Webhook, attrs: AdmissionAttributes, deps: WebhookPluginDeps): Promise<Error | undefined> {
  try {
    const r = await callWebhook(w, attrs, deps.resolveService);
    for (const warning of r.warnings ?? []) attrs.warnings?.push(warning);
    annotateFromResponse(attrs, w.name, r.auditAnnotations);
    return r.allowed ? undefined : deniedError(w.name, r.status);
  } catch (err) {
    return callFailure(w, err, deps.log);
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
