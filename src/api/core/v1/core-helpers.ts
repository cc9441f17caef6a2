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
export const metaOnly = <T extends { metadata: Record<string, unknown> }>(namespaced: boolean, nameRule?: (n: string) => string[], extra: (o: T) => FieldError[] = () => []) => ({
  validate: (o: T) => [...validateObjectMeta(o.metadata, namespaced, nameRule), ...extra(o)],
  validateUpdate: (o: T, old: T) => [...validateObjectMetaUpdate(o.metadata, old.metadata), ...extra(o)],
});

/** An IPv4 or IPv6 address (ValidateEndpointIP's first check). */
export const isIP = (s: string): boolean => isIPv4(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
const isIPv4 = (s: string): boolean => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((p) => Number(p) <= 255 && String(Number(p)) === p);

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
