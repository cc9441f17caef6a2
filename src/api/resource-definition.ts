/**
 * The resource is the unit: one {@link ResourceDefinition} per kind holds everything
 * the system needs to know about it — names and scope (discovery, REST paths, clients),
 * the schema (TypeScript type, strategic-merge metadata, OpenAPI), defaulting,
 * validation, field selectors, the typed strategy hooks of the generic store, the table
 * printer, the protobuf message and the subresources. A {@link ResourceTable}
 * (resource-table.ts) of these definitions feeds every other part.
 * Upstream: meta/v1 APIResource (discovery), pkg/apis/<group> (defaults, validation),
 * pkg/registry/<group>/<resource>/strategy.go, pkg/printers/internalversion.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FieldError } from '../machinery/field-errors.js';
import type { AllocationLedger } from '../machinery/allocation-ledger.js';
import type { KubeObject } from './object.js';
import type { TablePrinter } from './printers/table.js';

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
  /** The version objects are stored in, when it is another (discovery's storageVersionHash); set by the registry, not by definitions. */
  storedAs?: Pick<ResourceInfo, 'group' | 'version' | 'kind'>;
  /** Set by the registry for kinds not kept in storage (virtual, reviews): discovery gives them no storageVersionHash. */
  notStored?: boolean;
}

/** What strategy hooks may use besides the object: the service CIDR, other objects, the clock. */
export interface StrategyDeps {
  /** Service cluster IP range, e.g. '10.96.0.0/12'. */
  serviceCIDR: string;
  /** Every stored object of a resource (all namespaces). */
  listAll(def: ResourceDefinition): Promise<KubeObject[]>;
  clock: () => Date;
  /** Values (ClusterIPs, NodePorts) held by creates in progress, one ledger per registry. */
  allocations: AllocationLedger;
}

/** The user a request is made by, as strategies see it (the apiserver's UserInfo). */
export interface RequestUser { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> }

/**
 * The per-kind steps of the generic store (upstream RESTCreateStrategy,
 * RESTUpdateStrategy, RESTDeleteStrategy), typed by the kind. All optional: the store's
 * defaults clear status on create and keep it on update for kinds with a `status`
 * subresource.
 */
export interface StrategyHooks<T extends KubeObject = KubeObject> {
  /** Whether metadata.generation is kept (1 on create, +1 on each spec change). Default false. */
  tracksGeneration?: boolean;
  /** Clears what a client may not set on create (replaces the default status clearing). */
  prepareForCreate?(obj: T, deps: StrategyDeps, user?: RequestUser): void;
  /** Keeps what the main resource may not change (replaces the default status keeping). */
  prepareForUpdate?(obj: T, old: T, deps: StrategyDeps): void;
  /** Create steps after validation that need other objects (e.g. allocate a ClusterIP); throws StatusError. */
  beforeCreate?(obj: T, deps: StrategyDeps): Promise<void> | void;
  /** Called once a create attempt is over (stored, refused or dry run): releases what beforeCreate held. */
  afterCreate?(obj: T, deps: StrategyDeps): void;
  /** Update steps after defaults that need other objects (e.g. nodePorts for a Service turned NodePort); throws StatusError. */
  beforeUpdate?(obj: T, old: T, deps: StrategyDeps): Promise<void> | void;
  /** Called once an update attempt is over: releases what beforeUpdate held. */
  afterUpdate?(obj: T, deps: StrategyDeps): void;
  /** Grace period of a delete request in seconds; 0 (the default) deletes at once. */
  gracePeriod?(obj: T, opts: { gracePeriodSeconds?: number }): number;
  /** Called before finalizers are considered; an object returned makes the deletion pending with it. */
  beforeDelete?(obj: T, deps: StrategyDeps): T | undefined;
  /** Whether a deleting object with no metadata.finalizers may be removed now (namespaces: spec.finalizers too). */
  canFinishDeletion?(obj: T): boolean;
  /**
   * Annotations that carry status (a served version's round-trip annotations, e.g.
   * autoscaling/v1's current-metrics and conditions): a create drops them with status,
   * an update of the main resource keeps the stored ones, an update of the status
   * subresource takes the request's. Used by the default status handling only.
   */
  statusAnnotations?: string[];
}

/**
 * How a resource served in one group-version is kept in another's storage (upstream:
 * one storage version per resource, conversion on every read and write). The definition
 * carrying it is a *served view*: requests are defaulted, validated and printed in its
 * own version; storage keys, the stored shape and `stored()` are the storage
 * definition's. Conversions return new objects (the input is not changed), carry
 * metadata as is (resourceVersion included) and set the target's apiVersion and kind.
 */
export interface StorageVersion<T extends KubeObject = KubeObject, S extends KubeObject = KubeObject> {
  /** The definition whose objects storage holds (events.k8s.io/v1 Event → core/v1 Event). */
  definition: ResourceDefinition<S>;
  /** Served version → storage version (on create, update, patch, apply). */
  toStorage(obj: T): S;
  /** Storage version → served version (on get, list, watch and every write's response). */
  fromStorage(obj: S): T;
}

/** The full definition of one kind. */
export interface ResourceDefinition<T extends KubeObject = KubeObject> {
  info: ResourceInfo;
  /** TypeBox schema of the whole object; carries `x-kubernetes-*` patch metadata. */
  schema: TSchema;
  /** Fully-qualified protobuf message of the kind ('k8s.io.api.core.v1.Pod'); absent when it has none. */
  protobufMessage?: string;
  /**
   * How the kind is served: 'stored' (generic store, the default), 'virtual' (never
   * stored, listed in discovery, served by a registry storage of its own: computed on
   * read, e.g. ComponentStatus, or create-only reviews, e.g. SubjectAccessReview) or
   * 'request' (only a request body, e.g. Binding; not listed in discovery).
   */
  serving?: 'stored' | 'virtual' | 'request';
  /** Fills defaults in place (upstream SetDefaults_*), on create and on update. */
  applyDefaults(obj: T): void;
  /** Validation of a new object (upstream Validate<Kind>); [] when valid. */
  validate(obj: T): FieldError[];
  /** Validation of an update (immutable fields etc.); defaults to validate(obj). */
  validateUpdate?(obj: T, old: T): FieldError[];
  /** Field-selector attributes beyond metadata.name/metadata.namespace, e.g. {'spec.nodeName': ...}. */
  fieldLabels?(obj: T): Record<string, string>;
  /** Strategy hooks of the generic store. */
  strategy?: StrategyHooks<T>;
  /** Server-side table columns (`kubectl get`); the default prints NAME and AGE. */
  printer?: TablePrinter;
  /** Set when objects of this version are stored as another definition's (see {@link StorageVersion}). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  storageVersion?: StorageVersion<T, any>;
}

/** The definition whose shape and keys storage holds for `def`: its storage version's, else itself. */
export const storageDefinitionOf = (def: ResourceDefinition): ResourceDefinition => def.storageVersion?.definition ?? def;

/** Erases a definition's kind type so definitions of every kind share one table. */
export const untyped = <T extends KubeObject>(def: ResourceDefinition<T>): ResourceDefinition =>
  def as unknown as ResourceDefinition;

/** The client-side address of a resource: {group:'apps', version:'v1', resource:'deployments'}. */
export const refOf = (def: ResourceDefinition): { group: string; version: string; resource: string } =>
  ({ group: def.info.group, version: def.info.version, resource: def.info.plural });

/** `apps/v1` or `v1` for the core group. */
export function groupVersion(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
