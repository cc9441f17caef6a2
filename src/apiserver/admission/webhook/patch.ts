/**
 * Applying a mutating webhook's answer (upstream admission/plugin/webhook/mutating
 * dispatcher.go): `patch` is base64 of an RFC 6902 JSON Patch and `patchType` must be
 * `JSONPatch` (else a failed call, `unsupported patch type "X"`). A patch that does not
 * decode or apply is a 500 InternalError as upstream.
 */
import { internalError } from '../../../machinery/errors.js';
import { applyJsonPatch } from '../../../machinery/patch/json-patch.js';
import type { KubeObject } from '../../../api/object.js';
import type { AdmissionResponse } from './call.js';
import { WebhookCallError } from './errors.js';

/** The patched copy of `obj`, or undefined when the answer carries no patch. Throws WebhookCallError / StatusError 500. */
export function patchedObject(webhook: string, obj: KubeObject, response: AdmissionResponse): KubeObject | undefined {
  if (!response.patch) return undefined;
  if (response.patchType !== 'JSONPatch') throw new WebhookCallError(webhook, `unsupported patch type "${response.patchType ?? ''}"`);
  let ops: unknown;
  try {
    ops = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8'));
  } catch (err) {
    throw internalError(err);
  }
  try {
    return applyJsonPatch(obj, ops);
  } catch (err) {
    throw internalError(err);
  }
}

/** Replaces the contents of `target` by those of `source` (admission mutates the request's object in place). */
export function replaceInPlace(target: KubeObject, source: KubeObject): void {
  for (const k of Object.keys(target)) delete (target as unknown as Record<string, unknown>)[k];
  Object.assign(target, source);
}
