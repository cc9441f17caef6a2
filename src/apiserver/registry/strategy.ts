/**
 * A resource's strategy (upstream pkg/registry/<group>/<resource>/strategy.go): the
 * per-kind steps the generic store calls at fixed points of create, update and delete.
 * Everything has a default derived from the KindDefinition; strategies override only
 * what their resource does differently.
 */
import type { KubeObject } from '../../api/object.js';
import type { KindDefinition } from '../../api/resource-info.js';
import type { FieldError } from '../../machinery/field-errors.js';
import type { DeleteOptions, RequestContext } from './rest.js';

export interface Strategy {
  readonly kind: KindDefinition;
  /** Whether metadata.generation is maintained (1 on create, +1 on spec change). */
  readonly tracksGeneration: boolean;
  /** Clears what a client may not set on create (e.g. status). */
  prepareForCreate(obj: KubeObject): void;
  /** Keeps what this endpoint may not change (e.g. status on the main resource). */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** Mutating admission run after defaulting (e.g. the default service account). */
  admit?(ctx: RequestContext, obj: KubeObject, old?: KubeObject): Promise<void> | void;
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** Extra create steps that need the store (e.g. allocate a service IP). */
  beforeCreate?(obj: KubeObject): Promise<void> | void;
  /** Grace period of a delete request (seconds); 0 = immediately. Default: 0. */
  gracePeriod?(obj: KubeObject, opts: DeleteOptions): number;
  /** Called on delete before finalizers are considered; returning an object makes deletion pending with it. */
  beforeDelete?(obj: KubeObject, opts: DeleteOptions): KubeObject | undefined;
  /** Whether a deleting object whose metadata.finalizers are empty may be removed now (namespaces: spec.finalizers too). */
  canFinishDeletion?(obj: KubeObject): boolean;
}

/** Fields of an object other than metadata and status: what a spec change means for generation. */
export function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}

/** The default strategy: main resource ignores status; defaults and validation from the kind. */
export function defaultStrategy(kind: KindDefinition, opts: Partial<Strategy> & { hasStatus?: boolean } = {}): Strategy {
  const hasStatus = opts.hasStatus ?? (kind.info.subresources ?? []).includes('status');
  return {
    kind,
    tracksGeneration: false,
    prepareForCreate(obj) { if (hasStatus && kind.info.kind !== 'Namespace' && kind.info.kind !== 'Service') delete obj.status; },
    prepareForUpdate(obj, old) { if (hasStatus) { if (old.status === undefined) delete obj.status; else obj.status = old.status; } },
    validate: (obj) => kind.validate(obj),
    validateUpdate: (obj, old) => (kind.validateUpdate ? kind.validateUpdate(obj, old) : kind.validate(obj)),
    ...opts,
  };
}

/** The status strategy of a resource: only status changes; spec and metadata stay (labels/annotations too, as upstream). */
export function statusStrategy(main: Strategy): Strategy {
  return {
    ...main,
    tracksGeneration: false,
    prepareForCreate() {},
    prepareForUpdate(obj, old) {
      for (const key of Object.keys(obj)) if (key !== 'status' && key !== 'metadata' && key !== 'apiVersion' && key !== 'kind') delete obj[key];
      for (const key of Object.keys(old)) if (key !== 'status' && key !== 'metadata') obj[key] = old[key];
      const rv = obj.metadata.resourceVersion;
      obj.metadata = { ...old.metadata, resourceVersion: rv };
    },
    admit: undefined,
    validateUpdate: (obj, old) => main.kind.validateUpdate?.(obj, old) ?? [],
  };
}
