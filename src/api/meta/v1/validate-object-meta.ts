/**
 * ObjectMeta validation (upstream apimachinery/pkg/api/validation/objectmeta.go):
 * name syntax per kind, namespace presence, label and annotation syntax, immutable
 * fields on update.
 */
import type { ObjectMeta } from '../../object.js';
import { type FieldError, forbiddenField, invalidValue, required } from '../../../machinery/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../../machinery/validation.js';

export type NameValidator = (name: string) => string[];

/** Validates metadata of a new object. `nameRule` defaults to DNS-1123 subdomain. */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, nameRule: NameValidator = isDNS1123Subdomain): FieldError[] {
  const errs: FieldError[] = [];
  const m = meta ?? {};
  if (!m.name && !m.generateName) errs.push(required('metadata.name', 'name or generateName is required'));
  if (m.name) for (const msg of nameRule(m.name)) errs.push(invalidValue('metadata.name', m.name, msg));
  if (namespaced && !m.namespace) errs.push(required('metadata.namespace'));
  if (m.namespace) for (const msg of isDNS1123Label(m.namespace)) errs.push(invalidValue('metadata.namespace', m.namespace, msg));
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(invalidValue('metadata.labels', k, msg));
    for (const msg of isValidLabelValue(String(v))) errs.push(invalidValue('metadata.labels', v, msg));
  }
  let size = 0;
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalidValue('metadata.annotations', k, msg));
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) errs.push({ type: 'FieldValueTooLong', field: 'metadata.annotations', detail: 'must have at most 262144 bytes' });
  return errs;
}

/** Update rules: name, namespace, uid, creationTimestamp are immutable; no finalizer may be added once deletion started. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    if (old[f] !== undefined && meta[f] !== old[f]) errs.push({ ...invalidValue(`metadata.${f}`, meta[f] ?? '', 'field is immutable') });
  }
  if (old.generateName !== undefined && meta.generateName !== undefined && meta.generateName !== old.generateName) errs.push(forbiddenField('metadata.generateName', 'field is immutable'));
  if (old.deletionTimestamp) {
    const had = new Set(old.finalizers ?? []);
    const added = (meta.finalizers ?? []).filter((f) => !had.has(f));
    if (added.length) errs.push(forbiddenField('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`));
  }
  return errs;
}
