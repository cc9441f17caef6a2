/**
 * Shared pieces of the core/v1 kind definitions: discovery info with the core group's
 * defaults, metadata-only validation, and data-key validation of ConfigMaps and Secrets
 * (core/validation/validation.go ValidateConfigMap, ValidateSecret).
 */
import type { ResourceInfo } from '../../resource-definition.js';
import { type FieldError, forbiddenField, invalidValue } from '../../../machinery/field-errors.js';
import { isConfigMapKey } from '../../../machinery/validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** ResourceInfo of a core/v1 kind; verbs default to all eight. */
export const core = (i: Omit<ResourceInfo, 'group' | 'version' | 'verbs' | 'listKind'> & { verbs?: string[] }): ResourceInfo =>
  ({ group: '', version: 'v1', verbs: ALL_VERBS, listKind: `${i.kind}List`, ...i });

/** validate/validateUpdate that check metadata only. */
export const metaOnly = (namespaced: boolean, nameRule?: (n: string) => string[]) => ({
  validate: (o: { metadata: Record<string, unknown> }) => validateObjectMeta(o.metadata, namespaced, nameRule),
  validateUpdate: (o: { metadata: Record<string, unknown> }, old: { metadata: Record<string, unknown> }) => validateObjectMetaUpdate(o.metadata, old.metadata),
});

/** Each key of a data map must be a valid ConfigMap key. */
/** Upstream's MaxSecretSize: ConfigMap and Secret data may hold at most 1 MiB in all. */
export const MAX_DATA_SIZE = 1024 * 1024;

/** Bytes of a data map's keys and values (base64 values count decoded when `base64`). */
export function dataSize(data: Record<string, unknown> | undefined, base64 = false): number {
  let n = 0;
  for (const [k, v] of Object.entries(data ?? {})) n += k.length + (base64 ? Buffer.from(String(v), 'base64').length : Buffer.byteLength(String(v)));
  return n;
}

/**
 * Once `immutable: true` was stored, neither the flag nor the data may change
 * (ValidateConfigMapUpdate, ValidateSecretUpdate).
 */
export function immutableData(obj: { immutable?: boolean } & Record<string, unknown>, old: { immutable?: boolean } & Record<string, unknown>, fields: string[]): FieldError[] {
  if (!old.immutable) return [];
  const errs: FieldError[] = [];
  const msg = 'field is immutable when `immutable` is set';
  if (!obj.immutable) errs.push(forbiddenField('immutable', msg));
  for (const f of fields) if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {})) errs.push(forbiddenField(f, msg));
  return errs;
}

/** Each key of a data map must be a valid ConfigMap key. */
export function validateKeys(data: Record<string, unknown> | undefined, field: string): FieldError[] {
  return Object.keys(data ?? {}).flatMap((k) => isConfigMapKey(k).map((m) => invalidValue(`${field}[${k}]`, k, m)));
}
