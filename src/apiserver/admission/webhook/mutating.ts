/**
 * MutatingAdmissionWebhook (upstream admission/plugin/webhook/mutating): in the mutating
 * step, the matching mutating webhooks are called one after the other, each seeing the
 * object as the previous ones left it; a JSON patch in an answer is applied to the
 * request's object. Refusals, failed calls and dry runs are judged as by the validating
 * plugin (validating.ts).
 *
 * Reinvocation (reinvocationPolicy IfNeeded): after the first pass, the IfNeeded webhooks
 * that ran before a later webhook changed the object are called once more, in order.
 * Upstream also re-runs them after in-tree mutating plugins that change the object; in
 * k8ts all in-tree mutating plugins run before the webhooks, so only webhook changes can
 * trigger it. DELETE requests have no mutating step in k8ts, so mutating webhooks never
 * see them. Each call is noted on the audit event as upstream
 * (`mutation.webhook.admission.k8s.io/round_R_index_I`: configuration, webhook, mutated);
 * the Request-level `patch.webhook...` annotation is not written.
 */
import { isDeepStrictEqual } from 'node:util';
import { withTypeMeta } from '../admission-request.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { callWebhook } from './call.js';
import { callFailure, deniedError } from './errors.js';
import { patchedObject, replaceInPlace } from './patch.js';
import type { Webhook } from './types.js';
import { annotateFromResponse } from './audit-annotations.js';
import { relevantWebhooks, type WebhookPluginDeps } from './relevant-webhooks.js';

/** Where one call stands: its configuration, its index among the mutating webhooks, and the round (0, or 1 for reinvocation). */
interface Invocation { configuration: string; index: number; round: number }

/** Calls one mutating webhook and applies its patch; returns whether the object changed. Throws refusals. */
async function mutate(w: Webhook, at: Invocation, attrs: AdmissionAttributes, deps: WebhookPluginDeps): Promise<boolean> {
  try {
    const r = await callWebhook(w, attrs, deps.resolveService);
    for (const warning of r.warnings ?? []) attrs.warnings?.push(warning);
    annotateFromResponse(attrs, w.name, r.auditAnnotations);
    if (!r.allowed) throw deniedError(w.name, r.status);
    const obj = attrs.object;
    let changed = false;
    if (obj) {
      const before = withTypeMeta(attrs, obj)!;
      const after = patchedObject(w.name, before, r);
      if (after && !isDeepStrictEqual(after, before)) { replaceInPlace(obj, after); changed = true; }
    }
    // Upstream's Metadata-level annotation of every mutating call.
    attrs.auditAnnotate?.(`mutation.webhook.admission.k8s.io/round_${at.round}_index_${at.index}`, JSON.stringify({ configuration: at.configuration, webhook: w.name, mutated: changed }));
    return changed;
  } catch (err) {
    const refusal = callFailure(w, err, deps.log);
    if (refusal) throw refusal;
    return false;
  }
}

/** The MutatingAdmissionWebhook plugin over `deps`. */
export function mutatingAdmissionWebhook(deps: WebhookPluginDeps): AdmissionPlugin {
  return {
    name: 'MutatingAdmissionWebhook',
    async admit(attrs) {
      const all = await deps.source.webhooks();
      if (!all.length) return;
      // Invoked IfNeeded webhooks, by whether the object changed after they ran.
      const invoked: Array<{ webhook: Webhook; at: Invocation; changedSince: boolean }> = [];
      for (const [index, { configuration, webhook }] of all.entries()) {
        // Matching is judged on the object as the previous webhooks left it.
        const [hook] = await relevantWebhooks([webhook], attrs, deps);
        if (!hook) continue;
        const at = { configuration, index, round: 0 };
        const changed = await mutate(hook, at, attrs, deps);
        if (changed) for (const i of invoked) i.changedSince = true;
        if (hook.reinvocationPolicy === 'IfNeeded') invoked.push({ webhook: hook, at, changedSince: false });
      }
      for (const { webhook, at, changedSince } of invoked) {
        if (!changedSince) continue;
        const [hook] = await relevantWebhooks([webhook], attrs, deps);
        if (hook) await mutate(hook, { ...at, round: 1 }, attrs, deps);
      }
    },
  };
}
