/**
 * Webhook errors as upstream words them (k8s.io/apiserver/pkg/admission/plugin/webhook/errors
 * and pkg/util/webhook/error.go):
 * - a failed call is `failed calling webhook "NAME": <reason>`, which with failurePolicy
 *   Fail becomes a 500 InternalError (`Internal error occurred: failed calling webhook ...`);
 * - a denial (`allowed: false`) keeps the webhook's status (code at least 400, default
 *   400) with the message `admission webhook "NAME" denied the request: MESSAGE` (the
 *   status reason when there is no message; `... denied the request without explanation`
 *   when neither);
 * - a dry run reaching a webhook with side effects is 400 `admission webhook "NAME" does
 *   not support dry run`.
 */
import { badRequest, internalError, StatusError, type Status } from '../../../machinery/errors.js';

/** A webhook could not be called or answered nonsense (upstream ErrCallingWebhook). */
export class WebhookCallError extends Error {
  readonly code = 'ERR_CALLING_WEBHOOK';
  constructor(readonly webhook: string, readonly reason: string, options?: { cause?: unknown }) {
    super(`failed calling webhook "${webhook}": ${reason}`, options);
    this.name = 'WebhookCallError';
  }
}

/** The 500 a failed call becomes under failurePolicy Fail. */
export const callFailedStatus = (err: WebhookCallError): StatusError => internalError(err);

/** The refusal of a webhook that answered `allowed: false` with `status` (upstream ToStatusErr). */
export function deniedError(webhook: string, status: Partial<Status> | undefined): StatusError {
  const s = status ?? {};
  const by = `admission webhook "${webhook}" denied the request`;
  const message = s.message ? `${by}: ${s.message}` : s.reason ? `${by}: ${s.reason}` : `${by} without explanation`;
  const code = typeof s.code === 'number' && s.code >= 400 ? s.code : 400;
  return new StatusError({ code, ...(s.reason ? { reason: s.reason } : {}), message, ...(s.details ? { details: s.details } : {}) });
}

/** 400 for a dry run that would reach a webhook with side effects. */
export const dryRunUnsupported = (webhook: string): StatusError => badRequest(`admission webhook "${webhook}" does not support dry run`);

/**
 * A failed call to `w` under its failurePolicy (upstream's webhook dispatchers): Ignore
 * logs `failing open` and answers undefined (admit); Fail logs `failing closed` and
 * answers the 500 of {@link callFailedStatus}. Errors other than WebhookCallError are rethrown.
 */
export function callFailure(w: { name: string; failurePolicy?: string }, err: unknown, log?: (m: string) => void): StatusError | undefined {
  if (!(err instanceof WebhookCallError)) throw err;
  if (w.failurePolicy === 'Ignore') { log?.(`Failed calling webhook, failing open ${w.name}: ${err.message}`); return undefined; }
  log?.(`Failed calling webhook, failing closed ${w.name}: ${err.message}`);
  return callFailedStatus(err);
}
