/**
 * One AdmissionReview round trip (upstream admission/plugin/webhook/request
 * admissionreview.go CreateAdmissionObjects/VerifyAdmissionResponse): the request is
 * sent as `admission.k8s.io/v1` (or `v1beta1` when the webhook accepts only that), and
 * the answer must be an AdmissionReview of the same version with a `response` whose
 * `uid` is the request's — anything else is a failed call.
 */
import { randomUUID } from 'node:crypto';
import type { Status } from '../../../machinery/errors.js';
import { admissionRequest } from '../admission-request.js';
import type { AdmissionAttributes } from '../interface.js';
import { postJson, webhookTarget, type ServiceResolver } from './client.js';
import { WebhookCallError } from './errors.js';
import type { Webhook } from './types.js';

/** admission/v1 AdmissionResponse (the fields k8ts reads). */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Partial<Status>;
  patch?: string;
  patchType?: string;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

/** Upstream's default timeout when a webhook sets none (seconds). */
export const DEFAULT_WEBHOOK_TIMEOUT_SECONDS = 10;

/** Sends the review of `attrs` to `webhook`; returns its verified response. Throws WebhookCallError. */
export async function callWebhook(webhook: Webhook, attrs: AdmissionAttributes, resolveService: ServiceResolver): Promise<AdmissionResponse> {
  const versions = webhook.admissionReviewVersions ?? ['v1'];
  const version = versions.includes('v1') ? 'v1' : versions.includes('v1beta1') ? 'v1beta1' : undefined;
  if (!version) throw new WebhookCallError(webhook.name, `webhook does not accept known AdmissionReview versions: ${JSON.stringify(versions)}`);
  const apiVersion = `admission.k8s.io/${version}`;
  const uid = randomUUID();
  const timeout = webhook.timeoutSeconds ?? DEFAULT_WEBHOOK_TIMEOUT_SECONDS;
  const target = await webhookTarget(webhook.name, webhook.clientConfig ?? {}, timeout, resolveService);
  const answer = await postJson(webhook.name, target, webhook.clientConfig?.caBundle, { apiVersion, kind: 'AdmissionReview', request: admissionRequest(attrs, uid) }, timeout) as Record<string, any>;
  if (answer?.apiVersion !== apiVersion || answer?.kind !== 'AdmissionReview') {
    throw new WebhookCallError(webhook.name, `expected webhook response of ${apiVersion}, Kind=AdmissionReview, got ${answer?.apiVersion ?? ''}, Kind=${answer?.kind ?? ''}`);
  }
  const response = answer.response as AdmissionResponse | undefined;
  if (!response || typeof response !== 'object') throw new WebhookCallError(webhook.name, 'webhook response was absent');
  if (response.uid !== uid) throw new WebhookCallError(webhook.name, `expected response.uid="${uid}", got "${response.uid ?? ''}"`);
  return response;
}
