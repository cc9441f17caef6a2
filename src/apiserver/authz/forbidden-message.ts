/**
 * The text of a 403 for a request the authorizer did not allow (upstream
 * k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage and
 * Forbidden, wrapped in apierrors.NewForbidden).
 */
import type { Attributes } from './authorizer.js';
import { StatusError } from '../../machinery/errors.js';

/** Upstream escapes `&`, `<`, `>` in the request description as HTML entities. */
const sanitize = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * forbiddenMessage: `User "u" cannot get path "/foo"` (non-resource),
 * `User "u" cannot create resource "deployments" in API group "apps" in the namespace "prod"`,
 * or `... at the cluster scope` without a namespace; a subresource shows as `pods/log`.
 */
export function forbiddenMessage(attrs: Attributes): string {
  const user = JSON.stringify(attrs.user?.username ?? '');
  if (!attrs.resourceRequest) return `User ${user} cannot ${attrs.verb} path ${JSON.stringify(attrs.path ?? '')}`;
  const resource = attrs.subresource ? `${attrs.resource ?? ''}/${attrs.subresource}` : attrs.resource ?? '';
  const head = `User ${user} cannot ${attrs.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attrs.apiGroup ?? '')}`;
  return attrs.namespace ? `${head} in the namespace ${JSON.stringify(attrs.namespace)}` : `${head} at the cluster scope`;
}

/**
 * The full Status message of the 403: `<resource>.<group> "name" is forbidden: <forbiddenMessage>[: <reason>]`
 * (`<resource>.<group> is forbidden: ...` without a name, `forbidden: ...` for non-resource
 * requests; the core group prints the bare resource).
 */
export function forbiddenStatusMessage(attrs: Attributes, reason: string): string {
  const msg = sanitize(forbiddenMessage(attrs));
  const err = reason ? `${msg}: ${reason}` : msg;
  const group = attrs.apiGroup ?? '';
  const resource = attrs.resource ?? '';
  if (!group && !resource) return `forbidden: ${err}`;
  const qualified = group ? `${resource}.${group}` : resource;
  return attrs.name ? `${qualified} ${JSON.stringify(attrs.name)} is forbidden: ${err}` : `${qualified} is forbidden: ${err}`;
}

/** The StatusError to answer: code 403, reason Forbidden, details {name, group, kind: resource} with empty fields left out (upstream NewForbidden). */
export function forbiddenRequestError(attrs: Attributes, reason: string): StatusError {
  const details = Object.fromEntries(Object.entries({ name: attrs.name, group: attrs.apiGroup, kind: attrs.resource }).filter(([, v]) => v));
  return new StatusError({ code: 403, reason: 'Forbidden', message: forbiddenStatusMessage(attrs, reason), details });
}
