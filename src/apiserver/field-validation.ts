/**
 * Server-side field validation of request bodies (API concepts, "Field validation";
 * KEP-2885): the body is checked against the kind's structural type (src/api/structural)
 * before anything else touches it. A wrong JSON type or an out-of-range integer is a 400
 * worded as upstream (`Deployment in version "v1" cannot be handled as a Deployment: json:
 * cannot unmarshal ...`); unknown and duplicate fields follow `?fieldValidation=`:
 * Strict → 400 listing each (`strict decoding error: unknown field "spec.x"`), Warn (the
 * default) → one `Warning` header each, Ignore → nothing. Unknown fields are never stored.
 */
import { badRequest } from '../machinery/errors.js';
import { checkBody } from '../api/structural/check-body.js';
import { pruneUnknownFields } from '../api/structural/prune-unknown.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The `fieldValidation` query parameter; absent → Warn. Throws 400 for other values. */
export function parseFieldValidation(value: string | null): FieldValidation {
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation ${value} is invalid, valid values are: Ignore, Warn, Strict`);
}

/** `k8s.io.api.apps.v1.Deployment` → { version: 'v1', kind: 'Deployment' }. */
function kindOfMessage(message: string): { version: string; kind: string } {
  const parts = message.split('.');
  return { kind: parts[parts.length - 1], version: parts[parts.length - 2] };
}

/** What a checked body gives: the value with unknown fields removed, and warnings to send. */
export interface CheckedBody { value: unknown; warnings: string[] }

/**
 * Checks a JSON text against proto message `message`. Throws 400 on a syntax error, a
 * type error, or (Strict) unknown/duplicate fields; `ignore` gives the strict errors
 * tolerated silently (those the stored object already had, for patches) and is only
 * called when there are any.
 */
export function checkFields(message: string, json: string | Buffer, mode: FieldValidation, ignore: () => ReadonlySet<string> = () => new Set()): CheckedBody {
  const { kind, version } = kindOfMessage(message);
  const prefix = `${kind} in version "${version}" cannot be handled as a ${kind}`;
  const r = checkBody(message, json);
  if (r.syntaxError !== undefined) throw badRequest(`couldn't get version/kind; json parse error: ${r.syntaxError}`);
  if (r.typeError !== undefined) throw badRequest(`${prefix}: ${r.typeError}`);
  const tolerated = r.strictErrors.length ? ignore() : undefined;
  const errors = tolerated ? r.strictErrors.filter((m) => !tolerated.has(m)) : r.strictErrors;
  if (errors.length && mode === 'Strict') throw badRequest(`${prefix}: strict decoding error: ${errors.join(', ')}`);
  return { value: pruneUnknownFields(message, r.value), warnings: mode === 'Warn' ? errors : [] };
}

/** The strict-error messages (`unknown field "x"`) an object already has, e.g. the stored one. */
export function existingUnknownFields(message: string, obj: unknown): Set<string> {
  return new Set(checkBody(message, JSON.stringify(obj)).strictErrors);
}
