/**
 * Defaults and validation shared by Mutating- and ValidatingWebhookConfiguration
 * (upstream admissionregistration/v1 defaults.go and validation.go): failurePolicy Fail,
 * matchPolicy Equivalent, empty selectors, a 10 s timeout, rule scope `*` (and for
 * mutating webhooks reinvocationPolicy Never); names are domains of three or more
 * segments; sideEffects and admissionReviewVersions are required.
 */
import { type FieldError, invalidValue, required } from '../../../machinery/field-errors.js';

type Webhook = Record<string, unknown> & { rules?: Array<Record<string, unknown>> };

/** Fills the defaults of every webhook of a configuration. */
export function defaultWebhooks(webhooks: Webhook[] | undefined, mutating: boolean): void {
  for (const w of webhooks ?? []) {
    w.failurePolicy ??= 'Fail';
    w.matchPolicy ??= 'Equivalent';
    w.namespaceSelector ??= {};
    w.objectSelector ??= {};
    w.timeoutSeconds ??= 10;
    if (mutating) w.reinvocationPolicy ??= 'Never';
    for (const r of w.rules ?? []) r.scope ??= '*';
  }
}

/** Errors of the webhooks of a configuration, at `webhooks[i]`. */
export function validateWebhooks(webhooks: Webhook[] | undefined): FieldError[] {
  return (webhooks ?? []).flatMap((w, i) => [
    ...(typeof w.name === 'string' && w.name.split('.').length >= 3 ? [] : [invalidValue(`webhooks[${i}].name`, w.name ?? '', 'should be a domain with at least three segments separated by dots')]),
    ...(w.sideEffects ? [] : [required(`webhooks[${i}].sideEffects`, 'must specify one of None, NoneOnDryRun')]),
    ...(((w.admissionReviewVersions ?? []) as unknown[]).length ? [] : [required(`webhooks[${i}].admissionReviewVersions`, 'must specify one of v1, v1beta1')]),
  ]);
}
