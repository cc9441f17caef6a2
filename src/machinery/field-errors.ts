/**
 * Field validation errors (k8s.io/apimachinery/pkg/util/validation/field): a list of
 * `{type, field, badValue, detail}` rendered into a 422 Invalid Status exactly as
 * upstream prints them, e.g. `spec.containers: Required value` or
 * `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must ...`.
 */
import type { StatusCause } from './errors.js';

/** field.ErrorType, with the string upstream prints for each. */
export type FieldErrorType =
  | 'FieldValueNotFound' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueInvalid'
  | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany'
  | 'InternalError' | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found', FieldValueRequired: 'Required value', FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value', FieldValueNotSupported: 'Unsupported value', FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long', FieldValueTooMany: 'Too many', InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** One validation failure at a field path such as `spec.containers[0].name`. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** Printed (as JSON for strings/numbers) for Invalid/NotSupported/Duplicate/NotFound. */
  badValue?: unknown;
  detail?: string;
}

const withValue = new Set<FieldErrorType>(['FieldValueInvalid', 'FieldValueNotSupported', 'FieldValueDuplicate', 'FieldValueNotFound', 'FieldValueTypeInvalid']);

/** A bad value already written as Go prints it (e.g. a struct: `rbac.RoleRef{APIGroup:"…", Kind:"Role", Name:"x"}`). */
export class GoLiteral { constructor(readonly text: string) {} toJSON(): string { return this.text; } }

/**
 * A bad value as Go's field errors print it: strings quoted, numbers and booleans bare,
 * string maps as `map[string]string{"k":"v"}` (keys sorted, as %#v prints maps), string
 * slices as `[]string{"a"}`, anything else as JSON.
 */
export function goValue(v: unknown): string {
  if (v instanceof GoLiteral) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) {
    return `map[string]string{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify((v as Record<string, string>)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** Renders one error the way field.Error.Error() does. */
export function formatFieldError(e: FieldError): string {
  let s = `${e.field}: ${TYPE_TEXT[e.type]}`;
  if (withValue.has(e.type) && e.badValue !== undefined) {
    const v = e.badValue;
    s += ': ' + goValue(v);
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** Renders a list: one error alone, several as `[a, b]` (as utilerrors.NewAggregate). */
export function formatFieldErrors(errs: FieldError[]): string {
  const parts = errs.map(formatFieldError);
  return parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
}

/** Status causes: reason = error type, message = rendered error without the field. */
export function causesOf(errs: FieldError[]): StatusCause[] {
  return errs.map((e) => ({ reason: e.type, message: formatFieldError(e).slice(e.field.length + 2), field: e.field }));
}

export const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const invalidValue = (field: string, badValue: unknown, detail?: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail });
export const notSupported = (field: string, badValue: unknown, valid: string[]): FieldError =>
  ({ type: 'FieldValueNotSupported', field, badValue, detail: `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` });
export const forbiddenField = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const duplicate = (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, badValue });
export const tooLong = (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `must have at most ${max} bytes` });
