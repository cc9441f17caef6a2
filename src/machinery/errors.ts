/**
 * API errors as Kubernetes `Status` objects (meta/v1 Status, API reference
 * "Status" and k8s.io/apimachinery/pkg/api/errors). Every layer above storage throws
 * a {@link StatusError}; the HTTP layer writes `err.status` as the response body with
 * `err.status.code` as the HTTP status.
 */
import type { FieldError } from './field-errors.js';
import { formatFieldErrors, causesOf } from './field-errors.js';

/** StatusReason values used by upstream (metav1.StatusReason). */
export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists'
  | 'Conflict' | 'Gone' | 'Invalid' | 'ServerTimeout' | 'Timeout' | 'TooManyRequests'
  | 'MethodNotAllowed' | 'NotAcceptable' | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType' | 'InternalError' | 'Expired' | 'ServiceUnavailable' | '';

/** A cause inside Status.details (metav1.StatusCause). */
export interface StatusCause { reason?: string; message?: string; field?: string }

/** meta/v1 Status. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** Identifies the resource an error is about: `group` is '' for the core group. */
export interface GroupResource { group: string; resource: string }

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** An error that carries a complete Kubernetes Status. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'> & { metadata?: Status['metadata'] }, options?: { cause?: unknown }) {
    super(status.message ?? status.reason ?? 'error', options);
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: status.metadata ?? {}, status: 'Failure', ...status };
  }
  get code(): number { return this.status.code; }
  get reason(): StatusReason { return this.status.reason ?? ''; }
}

/** True when `err` is a StatusError with the given reason. */
export function isReason(err: unknown, reason: StatusReason): boolean {
  return err instanceof StatusError && err.reason === reason;
}
export const isNotFound = (err: unknown): boolean => isReason(err, 'NotFound');
export const isConflict = (err: unknown): boolean => isReason(err, 'Conflict');
export const isAlreadyExists = (err: unknown): boolean => isReason(err, 'AlreadyExists');

/** 404: `pods "x" not found`. */
export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError({ code: 404, reason: 'NotFound', message: `${qualified(gr)} "${name}" not found`, details: { name, group: gr.group || undefined, kind: gr.resource } });
}
/** 404 for a path no resource serves. */
export function notFoundPath(message = 'the server could not find the requested resource'): StatusError {
  return new StatusError({ code: 404, reason: 'NotFound', message, details: {} });
}
/** 409: `pods "x" already exists`. */
export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError({ code: 409, reason: 'AlreadyExists', message: `${qualified(gr)} "${name}" already exists`, details: { name, group: gr.group || undefined, kind: gr.resource } });
}
/** 409: `Operation cannot be fulfilled on pods "x": <msg>`. */
export function conflict(gr: GroupResource, name: string, msg: string): StatusError {
  return new StatusError({ code: 409, reason: 'Conflict', message: `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${msg}`, details: { name, group: gr.group || undefined, kind: gr.resource } });
}
/** The message upstream uses for a stale resourceVersion on update. */
export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';
/** 422: `Pod "x" is invalid: spec.containers: Required value`. `kind` is the Kind (e.g. 'Pod'). */
export function invalid(group: string, kind: string, name: string, errs: FieldError[]): StatusError {
  return new StatusError({
    code: 422, reason: 'Invalid',
    message: `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${formatFieldErrors(errs)}`,
    // StatusDetails' name and kind are omitempty (a review's error has neither).
    details: { name: name || undefined, group: group || undefined, kind: kind || undefined, causes: causesOf(errs) },
  });
}
/** 400 BadRequest. */
export function badRequest(message: string): StatusError {
  return new StatusError({ code: 400, reason: 'BadRequest', message });
}
/** 405 MethodNotAllowed. */
export function methodNotAllowed(message: string): StatusError {
  return new StatusError({ code: 405, reason: 'MethodNotAllowed', message });
}
/** 410 Gone / Expired: used for a watch or list from a compacted resourceVersion. */
export function gone(message: string): StatusError {
  return new StatusError({ code: 410, reason: 'Expired', message });
}
/** 413 RequestEntityTooLarge. */
export function tooLarge(message: string): StatusError {
  return new StatusError({ code: 413, reason: 'RequestEntityTooLarge', message });
}
/** 415 UnsupportedMediaType. */
export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError({ code: 415, reason: 'UnsupportedMediaType', message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})` });
}
/** 401 Unauthorized. */
export function unauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError({ code: 401, reason: 'Unauthorized', message });
}
/** 403 Forbidden. */
export function forbidden(message: string, target?: GroupResource & { name: string }): StatusError {
  const details = target ? { details: { name: target.name || undefined, group: target.group || undefined, kind: target.resource } } : {};
  return new StatusError({ code: 403, reason: 'Forbidden', message, ...details });
}
/** 503 ServiceUnavailable (upstream NewServiceUnavailable). */
export function serviceUnavailable(message: string): StatusError {
  return new StatusError({ code: 503, reason: 'ServiceUnavailable', message });
}
/** 500 InternalError: wraps an unexpected fault; the cause is kept for logs. */
export function internalError(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return new StatusError({ code: 500, reason: 'InternalError', message: `Internal error occurred: ${msg}`, details: { causes: [{ message: msg }] } }, { cause: err });
}
