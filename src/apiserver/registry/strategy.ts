/**
 * A resource's strategy (upstream pkg/registry/<group>/<resource>/strategy.go) as the
 * generic store uses it: the definition's typed StrategyHooks with the defaults filled
 * in (a kind with a `status` subresource clears status on create and keeps it on update
 * of the main resource) and the definition's validation.
 */
import type { KubeObject } from '../../api/object.js';
import type { RequestUser, ResourceDefinition, StrategyDeps } from '../../api/resource-definition.js';
import type { FieldError } from '../../machinery/field-errors.js';
import type { DeleteOptions } from './rest.js';

export interface Strategy {
  readonly kind: ResourceDefinition;
  /** Whether metadata.generation is maintained (1 on create, +1 on spec change). */
  readonly tracksGeneration: boolean;
  /** Clears what a client may not set on create (e.g. status); `user` is the requesting user (absent for internal writes). */
  prepareForCreate(obj: KubeObject, user?: RequestUser): void;
  /** Keeps what this endpoint may not change (e.g. status on the main resource). */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** Extra create steps that need other objects (e.g. allocate a service IP). */
  beforeCreate?(obj: KubeObject): Promise<void> | void;
  /** After a create attempt, whatever its outcome: releases what beforeCreate held. */
  afterCreate?(obj: KubeObject): void;
  /** Extra update steps that need other objects (main resource only, not status). */
  beforeUpdate?(obj: KubeObject, old: KubeObject): Promise<void> | void;
  /** After an update attempt, whatever its outcome: releases what beforeUpdate held. */
  afterUpdate?(obj: KubeObject): void;
  /** Grace period of a delete request (seconds); 0 = immediately. */
  gracePeriod(obj: KubeObject, opts: DeleteOptions): number;
  /** Called on delete before finalizers are considered; returning an object makes deletion pending with it. */
  beforeDelete(obj: KubeObject): KubeObject | undefined;
  /** Whether a deleting object whose metadata.finalizers are empty may be removed now. */
  canFinishDeletion(obj: KubeObject): boolean;
}

/** The strategy of `def`: its hooks over the defaults described in the module doc. */
export function strategyFor(def: ResourceDefinition, deps: StrategyDeps): Strategy {
  const hooks = def.strategy ?? {};
  const hasStatus = (def.info.subresources ?? []).includes('status');
  return {
    kind: def,
    tracksGeneration: hooks.tracksGeneration ?? false,
    prepareForCreate: hooks.prepareForCreate ? (obj, user) => hooks.prepareForCreate!(obj, deps, user) : (obj) => {
      if (!hasStatus) return;
      delete obj.status;
      copyAnnotations(hooks.statusAnnotations, { metadata: {} }, obj);
    },
    prepareForUpdate: hooks.prepareForUpdate ? (obj, old) => hooks.prepareForUpdate!(obj, old, deps) : (obj, old) => {
      if (!hasStatus) return;
      if (old.status === undefined) delete obj.status; else obj.status = old.status;
      copyAnnotations(hooks.statusAnnotations, old, obj);
    },
    validate: (obj) => def.validate(obj),
    validateUpdate: (obj, old) => (def.validateUpdate ? def.validateUpdate(obj, old) : def.validate(obj)),
    beforeCreate: hooks.beforeCreate ? (obj) => hooks.beforeCreate!(obj, deps) : undefined,
    afterCreate: hooks.afterCreate ? (obj) => hooks.afterCreate!(obj, deps) : undefined,
    beforeUpdate: hooks.beforeUpdate ? (obj, old) => hooks.beforeUpdate!(obj, old, deps) : undefined,
    afterUpdate: hooks.afterUpdate ? (obj) => hooks.afterUpdate!(obj, deps) : undefined,
    gracePeriod: (obj, opts) => hooks.gracePeriod?.(obj, opts) ?? 0,
    beforeDelete: (obj) => hooks.beforeDelete?.(obj, deps),
    canFinishDeletion: (obj) => hooks.canFinishDeletion?.(obj) ?? true,
  };
}

/** Sets (or removes) `keys` of `to`'s annotations as `from` has them; an empty annotations map goes. */
function copyAnnotations(keys: string[] | undefined, from: Pick<KubeObject, 'metadata'>, to: KubeObject): void {
  if (!keys?.length) return;
  const a: Record<string, string> = { ...(to.metadata.annotations ?? {}) };
  for (const k of keys) {
    const v = from.metadata.annotations?.[k];
    if (v === undefined) delete a[k]; else a[k] = v;
  }
  if (Object.keys(a).length) to.metadata.annotations = a; else delete to.metadata.annotations;
}

/** Fields of an object other than metadata and status: what a spec change means for generation. */
export function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}

/** The status strategy of a resource: only status changes; spec and metadata stay (labels/annotations too, as upstream). */
export function statusStrategy(main: Strategy): Strategy {
  return {
    ...main,
    tracksGeneration: false,
    prepareForCreate() {},
    beforeUpdate: undefined,
    afterUpdate: undefined,
    prepareForUpdate(obj, old) {
      for (const key of Object.keys(obj)) if (key !== 'status' && key !== 'metadata' && key !== 'apiVersion' && key !== 'kind') delete obj[key];
      for (const key of Object.keys(old)) if (key !== 'status' && key !== 'metadata') obj[key] = old[key];
      const rv = obj.metadata.resourceVersion;
      const requested = { metadata: obj.metadata };
      obj.metadata = { ...old.metadata, resourceVersion: rv };
      copyAnnotations(main.kind.strategy?.statusAnnotations, requested, obj);
    },
    validateUpdate: (obj, old) => main.kind.validateUpdate?.(obj, old) ?? [],
  };
}
