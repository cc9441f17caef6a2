/**
 * A compact way to write a kind's ResourceDefinition when its schema comes from the
 * wire contract (structural-schema.ts): names and scope, the protobuf message (by
 * default `k8s.io.api.<group's first label or core>.<version>.<Kind>`), metadata
 * validation (names are DNS-1123 subdomains unless `nameRule` says otherwise) plus the
 * kind's own checks, defaults, strategy hooks, printer and field labels.
 */
import type { KubeObject } from './object.js';
import type { ResourceDefinition, ResourceInfo, StrategyHooks } from './resource-definition.js';
import type { TablePrinter } from './printers/table.js';
import type { FieldError } from '../machinery/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta/v1/validate-object-meta.js';
import { structuralSchema } from './structural/structural-schema.js';

/** Every verb of a stored resource, as discovery lists them. */
export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface ResourceSpec<T extends KubeObject> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Default ALL_VERBS. */
  verbs?: string[];
  subresources?: string[];
  /** Default: derived from group, version and kind (module doc). */
  protobufMessage?: string;
  serving?: ResourceDefinition['serving'];
  /** Name rule of metadata.name; default DNS-1123 subdomain. */
  nameRule?: (name: string) => string[];
  defaults?(obj: T): void;
  /** The kind's own checks on create and update (metadata is checked already). */
  validate?(obj: T): FieldError[];
  /** Extra checks of an update (immutable fields...). */
  validateUpdate?(obj: T, old: T): FieldError[];
  fieldLabels?(obj: T): Record<string, string>;
  strategy?: StrategyHooks<T>;
  printer?: TablePrinter;
}

/** The protobuf message a kind has by upstream's package naming. */
export function defaultProtobufMessage(group: string, version: string, kind: string): string {
  return `k8s.io.api.${group ? group.split('.')[0] : 'core'}.${version}.${kind}`;
}

/** Builds the ResourceDefinition of `spec`. Throws Error when its protobuf message is unknown. */
export function defineResource<T extends KubeObject>(spec: ResourceSpec<T>): ResourceDefinition<T> {
  const info: ResourceInfo = {
    group: spec.group, version: spec.version, kind: spec.kind, listKind: `${spec.kind}List`, plural: spec.plural,
    singular: spec.kind.toLowerCase(), namespaced: spec.namespaced, verbs: spec.verbs ?? ALL_VERBS,
    ...(spec.shortNames ? { shortNames: spec.shortNames } : {}), ...(spec.categories ? { categories: spec.categories } : {}),
    ...(spec.subresources ? { subresources: spec.subresources } : {}),
  };
  const protobufMessage = spec.protobufMessage ?? defaultProtobufMessage(spec.group, spec.version, spec.kind);
  const validate = (obj: T): FieldError[] => [...validateObjectMeta(obj.metadata, spec.namespaced, spec.nameRule), ...(spec.validate?.(obj) ?? [])];
  return {
    info, protobufMessage, schema: structuralSchema(protobufMessage),
    ...(spec.serving ? { serving: spec.serving } : {}),
    applyDefaults: (obj) => spec.defaults?.(obj),
    validate,
    validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...(spec.validate?.(obj) ?? []), ...(spec.validateUpdate?.(obj, old) ?? [])],
    ...(spec.fieldLabels ? { fieldLabels: spec.fieldLabels } : {}),
    ...(spec.strategy ? { strategy: spec.strategy } : {}),
    ...(spec.printer ? { printer: spec.printer } : {}),
  };
}
