/**
 * Audit annotations a webhook asks for in `response.auditAnnotations` (upstream
 * admission/plugin/webhook: each key is recorded as `<webhook name>/<key>` on the
 * request's audit events).
 */
import type { AdmissionAttributes } from '../interface.js';

/** Records the webhook's own audit annotations as `<webhook>/<key>` (upstream prefixes them so). */
export function annotateFromResponse(attrs: AdmissionAttributes, webhook: string, annotations: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(annotations ?? {})) if (typeof v === 'string') attrs.auditAnnotate?.(`${webhook}/${k}`, v);
}
