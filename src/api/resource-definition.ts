/**
 * What the API machinery needs to know about one kind: its names and scope (served by
 * discovery, used for REST paths), its schema (TypeBox; later OpenAPI), defaulting,
 * validation, and field-selector attributes. One {@link KindDefinition} per kind is
 * the single definition from which the TypeScript type (`Static<typeof schema>`),
 * validation and OpenAPI derive. Upstream: APIResource in meta/v1 discovery, and the
 * per-kind defaults/validation in pkg/apis/<group>.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FieldError } from '../machinery/field-errors.js';
import type { KubeObject } from './object.js';

/** Names and scope of one resource as discovery publishes them (meta/v1 APIResource). */
export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Lower-case plural, the REST path segment: 'pods'. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  /** Subresources served: 'status', 'scale', 'binding', 'log', ... */
  subresources?: string[];
}

/** The full definition of one kind. */
export interface KindDefinition<T extends KubeObject = KubeObject> {
  info: ResourceInfo;
  /** TypeBox schema of the whole object; carries `x-kubernetes-*` patch metadata. */
  schema: TSchema;
  /** Fills defaults in place (upstream SetDefaults_*), on create and on update. */
  applyDefaults(obj: T): void;
  /** Validation of a new object (upstream Validate<Kind>); [] when valid. */
  validate(obj: T): FieldError[];
  /** Validation of an update (immutable fields etc.); defaults to validate(obj). */
  validateUpdate?(obj: T, old: T): FieldError[];
  /** Field-selector attributes beyond metadata.name/metadata.namespace, e.g. {'spec.nodeName': ...}. */
  fieldLabels?(obj: T): Record<string, string>;
}

/** `apps/v1` or `v1` for the core group. */
export function groupVersion(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
