/**
 * Drops the fields a kind does not have (upstream's decoder with fieldValidation Ignore
 * or Warn: unknown fields are never stored). Walks the value with the kind's structural
 * type; values of map entries are walked, RawExtension/any JSON is left as is (the
 * schemas inside apiextensions' JSONSchemaPropsOr* wrappers are walked).
 */
import { structuralType, type StructuralType } from './structural-type.js';

/** Removes unknown fields of `value` in place, per proto message `message`; returns `value`. */
export function pruneUnknownFields<T>(message: string, value: T): T {
  const type = structuralType(message);
  if (type) prune(value, type);
  return value;
}

function prune(value: unknown, t: StructuralType): void {
  if (value === null || typeof value !== 'object') return;
  if (t.kind === 'any' && t.schemaOr) {
    // JSONSchemaPropsOr*: the schema (or, for OrArray, each schema of the list) is pruned.
    const schema = t.schemaOr.schema();
    if (!schema) return;
    if (!Array.isArray(value)) prune(value, schema);
    else if (t.schemaOr.list === 'schemas') for (const v of value) prune(v, schema);
    return;
  }
  if (t.kind === 'array') { if (Array.isArray(value)) for (const v of value) prune(v, t.items); return; }
  if (Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  if (t.kind === 'map') { for (const v of Object.values(obj)) prune(v, t.values); return; }
  if (t.kind !== 'object') return;
  for (const [k, v] of Object.entries(obj)) {
    const f = t.fields.get(k);
    if (!f) delete obj[k];
    // JSONSchemaPropsOrArray/OrStringArray ignore what is neither an object nor a list (Go leaves them nil).
    else if (f.type.kind === 'any' && f.type.schemaOr && f.type.schemaOr.list !== 'none' && v !== null && typeof v !== 'object') delete obj[k];
    else prune(v, f.type);
  }
}
