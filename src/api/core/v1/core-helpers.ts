/**
 * Shared pieces of the core/v1 kind definitions: discovery info with the core group's
 * defaults, metadata-only validation, and data-key validation of ConfigMaps and Secrets
 * (core/validation/validation.go ValidateConfigMap, ValidateSecret).
 */
import type { ResourceInfo } from '../../resource-definition.js';
import { type FieldError, invalidValue } from '../../../machinery/field-errors.js';
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
export function validateKeys(data: Record<string, unknown> | undefined, field: string): FieldError[] {
  return Object.keys(data ?? {}).flatMap((k) => isConfigMapKey(k).map((m) => invalidValue(`${field}[${k}]`, k, m)));
}
