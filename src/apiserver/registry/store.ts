/**
 * The generic store (upstream k8s.io/apiserver/pkg/registry/generic/registry/store.go):
 * create/get/list/watch/update/patch/delete for every resource over the Storage
 * interface, with the per-resource differences in a {@link Strategy} and the admission
 * chain run at fixed points. The order of steps lives here only:
 *   create: generateName → uid → prepareForCreate → defaults → mutating admission →
 *           validate → validating admission → beforeCreate → system fields → storage.create
 *   update: (inside guaranteedUpdate) resourceVersion check → prepareForUpdate →
 *           defaults → mutating admission → beforeUpdate → validateUpdate → validating admission →
 *           generation → storage write, or delete when a deleting object's last
 *           finalizer is gone
 *   delete: preconditions → validating admission → grace period → finalizers
 *           (pending) or storage.delete
 */
import { randomUUID } from 'node:crypto';
import type { KubeList, KubeObject } from '../../api/object.js';
import { groupVersion, storageDefinitionOf, type ResourceInfo } from '../../api/resource-definition.js';
import type { Storage } from '../../storage/interface.js';
import { alreadyExists, badRequest, isAlreadyExists, conflict, invalid, notFound, OPTIMISTIC_LOCK_MESSAGE, StatusError, type GroupResource } from '../../machinery/errors.js';
import { parseSelector, type Selector } from '../../machinery/labels.js';
import { parseFieldSelector, type FieldSelector } from '../../machinery/fields.js';
import { applyJsonPatch } from '../../machinery/patch/json-patch.js';
import { type FieldError, forbiddenField, notSupported } from '../../machinery/field-errors.js';
import { applyMergePatch } from '../../machinery/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../../machinery/patch/strategic-merge-patch.js';
import { specOf, type Strategy } from './strategy.js';
import type { AdmissionChain } from '../admission/chain.js';
import type { AdmissionAttributes, AdmissionOperation } from '../admission/interface.js';
import { toStatusError } from './storage-errors.js';
import { canonicalizeQuantities } from '../../api/structural/canonical-quantities.js';
import { checkFields, existingUnknownFields } from '../field-validation.js';
import { apply, ApplyConflict, deepEqual, trackUpdate, type SsaSchema } from '../../machinery/ssa/index.js';
import { structuralSchema } from '../../api/structural/structural-schema.js';
import type { DeleteOptions, ListOptions, PatchType, RequestContext, RestStorage, WatchEvent, WatchOptions } from './rest.js';
import { rfc3339 } from '../../machinery/time.js';
import { storageFor } from './conversion.js';
import { randomString } from '../../machinery/rand.js';

/** Seconds-precision RFC 3339 timestamp, as metav1.Time serializes. */
export const now = (clock: () => Date = () => new Date(), plusSeconds = 0): string => rfc3339(clock(), plusSeconds);

/** Tries of a create whose generated name is taken (upstream maxNameGenerationCreateAttempts). */
const MAX_NAME_GENERATION_ATTEMPTS = 8;
const randomSuffix = (): string => randomString(5);

export interface StoreOptions {
  storage: Storage;
  strategy: Strategy;
  /** Admission run on create, update and delete; none when absent. */
  admission?: AdmissionChain;
  /** '' for the main resource; the subresource this store serves otherwise ('status'). */
  subresource?: string;
  clock?: () => Date;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK (ms). Default 60000, as upstream's about once a minute. */
  bookmarkIntervalMs?: number;
}

/** How guaranteedUpdate treats the object `produce` returns. */
export interface UpdateOptions {
  /** A missing object is created (PUT of a new name; server-side apply). Default: the store's rule (false). */
  allowCreate?: boolean;
  /** Registry-internal writes (binding, graceful deletion, finalize): trusted, no strategy/admission/ownership steps. */
  internal?: boolean;
  /** The object comes from server-side apply and carries its managedFields already. */
  applied?: boolean;
}

export class GenericStore implements RestStorage {
  readonly info;
  /** `info`'s apiVersion (group/version, or the version of the core group). */
  private readonly apiVersion: string;
  /** Names of the storage version's resource (its keys); `info` unless the kind has a storage version. */
  private readonly storedInfo: ResourceInfo;
  readonly gr: GroupResource;
  readonly storage: Storage;
  readonly strategy: Strategy;
  protected readonly clock: () => Date;
  private readonly admission?: AdmissionChain;
  private readonly subresourceName: string;
  private readonly bookmarkIntervalMs: number;

  constructor(private readonly opts: StoreOptions) {
    // A version stored as another (ResourceDefinition.storageVersion) converts at this boundary; every step below sees the served version.
    this.storage = storageFor(opts.storage, opts.strategy.kind);
    this.strategy = opts.strategy;
    this.info = opts.strategy.kind.info;
    this.apiVersion = groupVersion(this.info);
    this.storedInfo = storageDefinitionOf(opts.strategy.kind).info;
    this.gr = { group: this.info.group, resource: this.info.plural };
    this.clock = opts.clock ?? (() => new Date());
    this.admission = opts.admission;
    this.subresourceName = opts.subresource ?? '';
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 60_000;
  }

  private attrs(ctx: RequestContext, operation: AdmissionOperation, name: string, object?: KubeObject, oldObject?: KubeObject): AdmissionAttributes {
    return { operation, resource: this.info, subresource: this.subresourceName, namespace: this.info.namespaced ? ctx.namespace || (object?.metadata.namespace ?? '') : '', name, object, oldObject, user: ctx.user, dryRun: !!ctx.dryRun, warnings: ctx.warnings, auditAnnotate: ctx.auditAnnotate };
  }

  /**
   * The same resource written through a subresource (status, scale): same storage,
   * admission and clock; managedFields entries carry `subresource`.
   */
  forSubresource(subresource: string, strategy: Strategy = this.strategy): GenericStore {
    return new GenericStore({ ...this.opts, strategy, subresource });
  }

  /** Storage key prefix of the resource (with a trailing '/'), optionally of one namespace. */
  prefix(namespace?: string): string {
    const base = `/registry/${this.storedInfo.group ? this.storedInfo.group + '/' : ''}${this.storedInfo.plural}/`;
    return this.info.namespaced && namespace ? `${base}${namespace}/` : base;
  }
  key(namespace: string, name: string): string {
    if (!name) throw badRequest('resource name may not be empty');
    return this.info.namespaced ? `${this.prefix(namespace)}${name}` : `${this.prefix()}${name}`;
  }

  /** Sets apiVersion and kind on an object read from storage. */
  decorate<T extends KubeObject>(obj: T): T {
    const apiVersion = this.apiVersion;
    if (obj.apiVersion === apiVersion && obj.kind === this.info.kind) return obj;
    // Objects from the watch cache are frozen and shared: copy rather than change them.
    if (Object.isFrozen(obj)) return { ...obj, apiVersion, kind: this.info.kind };
    obj.apiVersion = apiVersion;
    obj.kind = this.info.kind;
    return obj;
  }

  protected namespaceOf(ctx: RequestContext, obj: KubeObject): string {
    if (!this.info.namespaced) { delete obj.metadata.namespace; return ''; }
    const ns = obj.metadata.namespace;
    if (ns && ctx.namespace && ns !== ctx.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    obj.metadata.namespace = ns || ctx.namespace;
    return obj.metadata.namespace;
  }

  /** Quantities in their canonical form, as upstream's decoding into Go types leaves them. */
  private canonicalize(obj: KubeObject): void {
    const message = this.strategy.kind.protobufMessage;
    if (message) canonicalizeQuantities(message, obj);
  }

  protected checkBody(obj: KubeObject): void {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the request body must be a JSON object');
    if (obj.kind && obj.kind !== this.info.kind) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${groupVersion(this.info)})`.replace('the API version in the data', `${obj.kind} in version "${groupVersion(this.info)}" cannot be handled as a ${this.info.kind}: the API version in the data`));
    if (obj.apiVersion && obj.apiVersion !== groupVersion(this.info)) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${groupVersion(this.info)})`);
    if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
  }

  async get(ctx: RequestContext, name: string): Promise<KubeObject> {
    try {
      return this.decorate(await this.storage.get(this.key(ctx.namespace, name)));
    } catch (err) { throw toStatusError(err, this.gr, name); }
  }

  /**
   * Creates the object. A name made from `generateName` that is already taken is made
   * again, up to 8 tries in all (upstream KEP-4420 RetryGenerateName, on by default since
   * 1.31); a taken name the client chose is a 409 at once.
   */
  async create(ctx: RequestContext, input: KubeObject): Promise<KubeObject> {
    this.checkBody(input);
    const generated = !input.metadata.name && !!input.metadata.generateName;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.createOnce(ctx, input);
      } catch (err) {
        if (!generated || attempt >= MAX_NAME_GENERATION_ATTEMPTS || !isAlreadyExists(err)) throw err;
      }
    }
  }

  private async createOnce(ctx: RequestContext, input: KubeObject): Promise<KubeObject> {
    const obj = structuredClone(input);
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomSuffix();
    try {
      await this.newObject(ctx, obj, { checkFreeName: true });
      if (ctx.dryRun) return obj;
      const m = obj.metadata;
      try {
        return this.decorate(await this.storage.create(this.key(m.namespace ?? '', m.name!), obj));
      } catch (err) { throw toStatusError(err, this.gr, m.name!); }
    } finally { this.strategy.afterCreate?.(obj); }
  }

  async update(ctx: RequestContext, name: string, input: KubeObject): Promise<{ object: KubeObject; created: boolean }> {
    this.checkBody(input);
    const obj = structuredClone(input);
    if (obj.metadata.name && obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    obj.metadata.name = name;
    this.namespaceOf(ctx, obj);
    return this.guaranteedUpdate(ctx, name, () => obj);
  }

  async patch(ctx: RequestContext, name: string, type: PatchType, patch: unknown): Promise<KubeObject> {
    if (type === 'apply') return this.serverSideApply(ctx, name, patch);
    const r = await this.guaranteedUpdate(ctx, name, (current) => {
      if (!current) throw notFound(this.gr, name);
      try {
        return this.applyPatch(ctx, name, current, type, patch);
      } catch (err) {
        // Recursion over a patch nested thousands deep exhausts the stack: the patch is refused, not a 500.
        if (err instanceof RangeError) throw badRequest('the patch is nested too deeply to be applied');
        throw err;
      }
    }, { allowCreate: false });
    return r.object;
  }

  /** The kind's schema as server-side apply reads it (list types and map keys). */
  private ssaSchema(): SsaSchema {
    const def = this.strategy.kind;
    return (def.protobufMessage ? structuralSchema(def.protobufMessage, { openApi: true }) : def.schema) as unknown as SsaSchema;
  }

  /** The field manager of a request: `?fieldManager`, else the user agent's product name (as upstream). */
  private managerOf(ctx: RequestContext): string {
    return ctx.fieldManager || (ctx.userAgent ?? '').split('/')[0] || 'unknown';
  }

  /** managedFields after a non-apply write of `next` over `live` (undefined on create): an Update entry of the request's manager. */
  private updateManagedFields(ctx: RequestContext, live: KubeObject | undefined, next: KubeObject): KubeObject['metadata']['managedFields'] {
    const entries = trackUpdate(live, next, {
      manager: this.managerOf(ctx), operation: 'Update', schema: this.ssaSchema(), apiVersion: groupVersion(this.info),
      now: now(this.clock), ...(this.subresourceName ? { subresource: this.subresourceName } : {}),
    });
    return entries.length ? (entries as KubeObject['metadata']['managedFields']) : undefined;
  }

  /**
   * Server-side apply (PATCH application/apply-patch+yaml; KEP-555): merges the applied
   * configuration into the live object (creating it when missing) with field ownership
   * in managedFields. A field another manager owns with a different value is a 409
   * Conflict naming the fields and managers, unless `?force=true` takes them over.
   */
  private async serverSideApply(ctx: RequestContext, name: string, patch: unknown): Promise<KubeObject> {
    if (!ctx.fieldManager) throw badRequest('fieldManager is required for apply requests');
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw badRequest('the applied configuration must be an object');
    const config = patch as KubeObject;
    this.checkBody(config);
    if (config.metadata.name !== undefined && config.metadata.name !== name) throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
    const message = this.strategy.kind.protobufMessage;
    let applied: KubeObject = config;
    if (message) {
      const checked = checkFields(message, JSON.stringify(config), ctx.fieldValidation ?? 'Warn');
      ctx.warnings?.push(...checked.warnings);
      applied = checked.value as KubeObject;
      canonicalizeQuantities(message, applied);
    }
    const r = await this.guaranteedUpdate(ctx, name, (current) => {
      try {
        const base = current ? this.decorate(structuredClone(current)) : undefined;
        const result = apply(base, applied, {
          manager: ctx.fieldManager!, force: !!ctx.force, schema: this.ssaSchema(), apiVersion: groupVersion(this.info), now: now(this.clock),
          ...(this.subresourceName ? { subresource: this.subresourceName } : {}),
        });
        const obj = result.object as KubeObject;
        obj.metadata.name = name;
        if (this.info.namespaced) obj.metadata.namespace = ctx.namespace;
        if (current) obj.metadata.resourceVersion = current.metadata.resourceVersion;
        return obj;
      } catch (err) {
        if (err instanceof ApplyConflict) {
          throw new StatusError({
            code: 409, reason: 'Conflict', message: err.message,
            details: { name, group: this.info.group || undefined, kind: this.info.plural, causes: err.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.path })) },
          });
        }
        throw err;
      }
    }, { allowCreate: true, applied: true });
    return r.object;
  }

  /** The object `patch` of `type` makes of `current`, checked like a request body (field validation). */
  private applyPatch(ctx: RequestContext, name: string, current: KubeObject, type: PatchType, patch: unknown): KubeObject {
    const base = this.decorate(structuredClone(current));
    let next: KubeObject;
    if (type === 'json') next = applyJsonPatch(base, patch);
    else if (type === 'merge') next = applyMergePatch(base, patch);
    else next = applyStrategicMergePatch(base, patch, this.strategy.kind.schema);
    if (!next || typeof next !== 'object' || typeof next.metadata !== 'object' || next.metadata === null) throw badRequest('the patch produced an object without metadata');
    const message = this.strategy.kind.protobufMessage;
    if (message) {
      // The patched object is checked like a body; unknown fields the stored object already had are not the patch's.
      const checked = checkFields(message, JSON.stringify(next), ctx.fieldValidation ?? 'Warn', () => existingUnknownFields(message, base));
      ctx.warnings?.push(...checked.warnings);
      next = checked.value as KubeObject;
    }
    if (next.metadata.name !== undefined && next.metadata.name !== name) throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    return next;
  }

  /**
   * Read-modify-write: `produce(current)` returns the desired object (resourceVersion
   * in it, if any, must match); the strategy's update steps then run on it.
   */
  async guaranteedUpdate(ctx: RequestContext, name: string, produce: (current: KubeObject | null) => KubeObject, opts: UpdateOptions = {}): Promise<{ object: KubeObject; created: boolean }> {
    const { allowCreate = this.allowCreateOnUpdate(), internal = false, applied = false } = opts;
    const key = this.key(ctx.namespace, name);
    let created = false;
    let createdAttempt: KubeObject | undefined;
    let updateAttempt: KubeObject | undefined;
    let deleteAfter = false;
    const s = this.strategy;
    try {
      const result = await this.storage.guaranteedUpdate<KubeObject>(key, async (current) => {
        const obj = structuredClone(produce(current));
        if (!current) {
          if (!allowCreate) throw notFound(this.gr, name);
          created = true;
          createdAttempt = obj;
          const fresh = await this.newObject(ctx, obj, { applied });
          if (ctx.dryRun) throw new DryRunResult(fresh);
          return fresh;
        }
        const rv = obj.metadata.resourceVersion;
        if (rv && rv !== current.metadata.resourceVersion) throw conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
        this.checkBody(obj);
        const attrs = this.attrs(ctx, 'UPDATE', name, obj, current);
        if (!internal) {
          s.prepareForUpdate(obj, current);
          this.canonicalize(obj);
          s.kind.applyDefaults(obj);
          await this.admission?.admit(attrs);
          if (s.beforeUpdate) {
            if (updateAttempt) s.afterUpdate?.(updateAttempt);
            updateAttempt = obj;
            await s.beforeUpdate(obj, current);
          }
        }
        // System fields come from the stored object.
        const m = obj.metadata;
        const o = current.metadata;
        m.uid = o.uid; m.creationTimestamp = o.creationTimestamp; m.namespace = o.namespace; m.name = o.name;
        if (!internal) {
          // Only deletion (an internal update) sets or changes deletionTimestamp.
          if (o.deletionTimestamp) { m.deletionTimestamp = o.deletionTimestamp; m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds; }
          else { delete m.deletionTimestamp; delete m.deletionGracePeriodSeconds; }
        }
        if (!m.generateName && o.generateName) m.generateName = o.generateName;
        // Registry-internal updates (binding, graceful deletion, finalize) are trusted.
        const errs = internal ? [] : s.validateUpdate(obj, current);
        if (errs.length) throw invalid(this.info.group, this.info.kind, name, errs);
        if (!internal) await this.admission?.validate(attrs);
        // Field ownership: an apply brings its own managedFields; other writes are Update operations.
        if (!internal && !applied) m.managedFields = this.updateManagedFields(ctx, current, obj);
        if (s.tracksGeneration) m.generation = (o.generation ?? 1) + (specOf(obj) !== specOf(current) ? 1 : 0);
        else if (o.generation !== undefined) m.generation = o.generation;
        obj.apiVersion = groupVersion(this.info);
        obj.kind = this.info.kind;
        deleteAfter = !!m.deletionTimestamp && !m.deletionGracePeriodSeconds && (m.finalizers ?? []).length === 0 && this.canFinishDeletion(obj);
        if (ctx.dryRun) throw new DryRunResult(obj);
        // An update that changes nothing writes nothing and keeps the resourceVersion (as upstream).
        if (!deleteAfter && sameObject(obj, current)) return current;
        return obj;
      }, { ignoreNotFound: allowCreate });
      if (deleteAfter) {
        try { return { object: this.decorate(await this.storage.delete(key, { preconditions: { uid: result.metadata.uid } })), created: false }; } catch { /* already gone */ }
      }
      return { object: this.decorate(result), created };
    } catch (err) {
      if (err instanceof DryRunResult) return { object: err.object, created };
      throw toStatusError(err, this.gr, name);
    } finally {
      if (createdAttempt) s.afterCreate?.(createdAttempt);
      if (updateAttempt) s.afterUpdate?.(updateAttempt);
    }
  }

  /** Whether an object with deletionTimestamp and no finalizers is removed on update (namespaces also need spec.finalizers empty). */
  protected canFinishDeletion(obj: KubeObject): boolean { return this.strategy.canFinishDeletion(obj); }

  protected allowCreateOnUpdate(): boolean { return false; }

  /**
   * The create steps every way of creating shares (POST, PUT of a new name, apply):
   * prepareForCreate → defaults → mutating admission → validate → validating admission →
   * beforeCreate → ownership (unless `applied` brought its own) → system fields. With
   * `checkFreeName`, an existing name is a 409 before any allocation is made for it.
   */
  private async newObject(ctx: RequestContext, obj: KubeObject, opts: { applied?: boolean; checkFreeName?: boolean }): Promise<KubeObject> {
    const s = this.strategy;
    const ns = this.namespaceOf(ctx, obj);
    // The uid exists before the strategy runs, as upstream's FillObjectMetaSystemFields
    // (a Job's generated selector is made of it).
    obj.metadata.uid = randomUUID();
    s.prepareForCreate(obj, ctx.user);
    this.canonicalize(obj);
    s.kind.applyDefaults(obj);
    const attrs = this.attrs({ ...ctx, namespace: ns }, 'CREATE', obj.metadata.name ?? '', obj);
    await this.admission?.admit(attrs);
    const errs = s.validate(obj);
    if (errs.length) throw invalid(this.info.group, this.info.kind, obj.metadata.name ?? '', errs);
    await this.admission?.validate(attrs);
    if (s.beforeCreate) {
      // Allocations (e.g. a Service IP) must not be judged for an object that exists.
      if (opts.checkFreeName && await this.storage.get(this.key(ns, obj.metadata.name!)).then(() => true, () => false)) throw alreadyExists(this.gr, obj.metadata.name!);
      await s.beforeCreate(obj);
    }
    const m = obj.metadata;
    if (!opts.applied) m.managedFields = this.updateManagedFields(ctx, undefined, obj);
    m.creationTimestamp = now(this.clock);
    delete m.resourceVersion; delete m.deletionTimestamp; delete m.deletionGracePeriodSeconds;
    if (s.tracksGeneration) m.generation = 1; else delete m.generation;
    obj.apiVersion = groupVersion(this.info);
    obj.kind = this.info.kind;
    return obj;
  }

  async delete(ctx: RequestContext, name: string, opts: DeleteOptions): Promise<{ object: KubeObject; deleted: boolean }> {
    const key = this.key(ctx.namespace, name);
    let current: KubeObject;
    try { current = await this.storage.get(key); } catch (err) { throw toStatusError(err, this.gr, name); }
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata.uid) throw conflict(this.gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) throw conflict(this.gr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts = { ...opts, gracePeriodSeconds: 1 };
    await this.admission?.validate(this.attrs(ctx, 'DELETE', name, undefined, current));
    const s = this.strategy;
    const grace = s.gracePeriod(current, opts);
    const policyFinalizer = opts.propagationPolicy === 'Foreground' ? 'foregroundDeletion' : opts.propagationPolicy === 'Orphan' ? 'orphan' : undefined;
    const pendingByStrategy = s.beforeDelete(current);
    const needsPending = grace > 0 || (current.metadata.finalizers ?? []).length > 0 || !!policyFinalizer || !!pendingByStrategy;
    if (!needsPending) {
      if (ctx.dryRun) return { object: this.decorate(current), deleted: true };
      try {
        return { object: this.decorate(await this.storage.delete(key, { preconditions: { uid: current.metadata.uid } })), deleted: true };
      } catch (err) { throw toStatusError(err, this.gr, name); }
    }
    // Graceful deletion / finalizers: mark the object; the responsible component finishes it.
    let finished = false;
    const r = await this.guaranteedUpdate(ctx, name, (cur) => {
      if (!cur) throw notFound(this.gr, name);
      const obj = structuredClone(pendingByStrategy && cur.metadata.resourceVersion === current.metadata.resourceVersion ? pendingByStrategy : cur);
      const m = obj.metadata;
      const fin = new Set(m.finalizers ?? []);
      if (policyFinalizer) { fin.add(policyFinalizer); if (policyFinalizer === 'foregroundDeletion') fin.delete('orphan'); else fin.delete('foregroundDeletion'); }
      m.finalizers = fin.size ? [...fin] : undefined;
      if (!m.finalizers) delete m.finalizers;
      const existing = m.deletionTimestamp ? Date.parse(m.deletionTimestamp) : Infinity;
      const requested = Math.floor(this.clock().getTime() / 1000) * 1000 + grace * 1000;
      if (requested < existing) { m.deletionTimestamp = now(this.clock, grace); m.deletionGracePeriodSeconds = grace; }
      finished = grace === 0 && fin.size === 0 && !pendingByStrategy;
      return obj;
    }, { allowCreate: false, internal: true });
    if (finished && !ctx.dryRun) {
      try { return { object: this.decorate(await this.storage.delete(key, { preconditions: { uid: current.metadata.uid } })), deleted: true }; } catch (err) { throw toStatusError(err, this.gr, name); }
    }
    return { object: r.object, deleted: false };
  }

  async list(ctx: RequestContext, opts: ListOptions): Promise<KubeList> {
    validateListOptions(opts, false);
    const label = parseSelector(opts.labelSelector);
    const field = parseFieldSelector(opts.fieldSelector);
    this.checkFieldSelector(field);
    let start = '';
    let revision = opts.resourceVersion && opts.resourceVersion !== '0' && opts.resourceVersionMatch === 'Exact' ? Number(opts.resourceVersion) : 0;
    if (opts.continue) {
      try {
        const tok = JSON.parse(Buffer.from(opts.continue, 'base64').toString('utf8')) as { rv: number; start: string };
        start = tok.start; revision = tok.rv;
      } catch { throw badRequest('continue key is not valid: illegal base64 data'); }
    }
    const prefix = this.prefix(ctx.namespace);
    const filtering = !label.empty() || !field.empty();
    if (!opts.continue && opts.resourceVersion && opts.resourceVersion !== '0') {
      if (!/^\d+$/.test(opts.resourceVersion)) throw badRequest(`invalid resource version: ${opts.resourceVersion}`);
      await this.waitForRevision(Number(opts.resourceVersion));
    }
    try {
      const res = await this.storage.list(prefix, { revision, continueKey: start ? prefix + start : undefined, limit: filtering ? 0 : opts.limit });
      let items: KubeObject[] = [];
      for (const o of res.items) if (!filtering || this.matches(o, label, field)) items.push(this.decorate(o));
      let cont: string | undefined;
      let remaining: number | undefined;
      if (filtering && opts.limit && items.length > opts.limit) {
        const last = items[opts.limit - 1];
        remaining = items.length - opts.limit;
        items = items.slice(0, opts.limit);
        cont = this.continueToken(res.revision, last, prefix);
      } else if (res.continueKey) {
        cont = this.continueToken(res.revision, items[items.length - 1], prefix);
        remaining = res.remainingItemCount;
      }
      return {
        apiVersion: groupVersion(this.info), kind: this.info.listKind,
        metadata: { resourceVersion: String(res.revision), ...(cont ? { continue: cont, remainingItemCount: remaining } : {}) },
        items,
      };
    } catch (err) { throw toStatusError(err, this.gr, ''); }
  }

  /** Opaque continue token: the revision and the last key returned, relative to the listed prefix. */
  private continueToken(rv: number, last: KubeObject, prefix: string): string {
    const start = this.key(last.metadata.namespace ?? '', last.metadata.name!).slice(prefix.length);
    return Buffer.from(JSON.stringify({ rv, start })).toString('base64');
  }

  /**
   * Waits (up to 3 s, as upstream's watch cache) for the storage to reach `revision`;
   * throws 504 Timeout "Too large resource version" when it does not.
   */
  async waitForRevision(revision: number): Promise<void> {
    const deadline = Date.now() + 3000;
    let current = await this.storage.currentRevision();
    while (current < revision && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      current = await this.storage.currentRevision();
    }
    if (current < revision) {
      throw new StatusError({
        code: 504, reason: 'Timeout', message: `Timeout: Too large resource version: ${revision}, current: ${current}`,
        details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      });
    }
  }

  /** Field values for field selectors: metadata.name, metadata.namespace and the kind's own. */
  fieldsOf(obj: KubeObject): Record<string, string> {
    return { 'metadata.name': obj.metadata.name ?? '', 'metadata.namespace': obj.metadata.namespace ?? '', ...(this.strategy.kind.fieldLabels?.(obj) ?? {}) };
  }

  private checkFieldSelector(field: FieldSelector): void {
    if (field.empty()) return;
    const known = new Set(Object.keys(this.fieldsOf({ metadata: {} })));
    for (const r of field.requirements) if (!known.has(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  }

  matches(obj: KubeObject, label: Selector, field: FieldSelector): boolean {
    return label.matches(obj.metadata.labels) && field.matches(this.fieldsOf(obj));
  }

  watch(ctx: RequestContext, opts: WatchOptions): AsyncIterable<WatchEvent> {
    validateListOptions(opts, true);
    const label = parseSelector(opts.labelSelector);
    const field = parseFieldSelector(opts.fieldSelector);
    this.checkFieldSelector(field);
    const rv = opts.resourceVersion ?? '';
    if (rv && rv !== '0' && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
    const self = this;
    const prefix = this.prefix(ctx.namespace);
    // Validate the start revision before any byte is sent, so a compacted one is a 410.
    let source: AsyncIterable<import('../../storage/interface.js').StorageWatchEvent> | undefined;
    let initial: KubeObject[] = [];
    let startRevision = 0;
    // sendInitialEvents=true (WatchList, KEP-3157): the state as ADDED events, then a
    // bookmark marking their end; without resourceVersion, a watch starts the same way.
    const initialEvents = opts.sendInitialEvents ?? (!rv || rv === '0');
    const bookmark = (revision: number, initialEnd = false): WatchEvent => ({
      type: 'BOOKMARK',
      object: { apiVersion: groupVersion(this.info), kind: this.info.kind, metadata: { resourceVersion: String(revision), ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) } },
    });
    const ready = (async () => {
      if (initialEvents) {
        const asked = rv && rv !== '0' ? Number(rv) : 0;
        const current = await this.storage.currentRevision();
        if (asked > current) await this.waitForRevision(asked);
        const res = await this.storage.list(prefix);
        initial = res.items;
        startRevision = res.revision;
      } else {
        startRevision = Number(rv);
        if (startRevision > await this.storage.currentRevision()) await this.waitForRevision(startRevision);
      }
      source = this.storage.watch(prefix, { revision: startRevision, recursive: true, signal: opts.signal, ...(opts.allowWatchBookmarks ? { progressNotifyMs: this.bookmarkIntervalMs } : {}) });
    })();
    return {
      async *[Symbol.asyncIterator]() {
        try { await ready; } catch (err) { throw toStatusError(err, self.gr, ''); }
        for (const o of initial) if (self.matches(o, label, field)) yield { type: 'ADDED', object: self.decorate(o) };
        if (opts.sendInitialEvents) yield bookmark(startRevision, true);
        try {
          for await (const ev of source!) {
            if (ev.type === 'PROGRESS') { yield bookmark(ev.revision); continue; }
            const now = self.matches(ev.object, label, field);
            const before = ev.prevObject ? self.matches(ev.prevObject, label, field) : false;
            const obj = self.decorate(ev.object);
            if (ev.type === 'ADDED') { if (now) yield { type: 'ADDED', object: obj }; }
            else if (ev.type === 'DELETED') { if (before || now) yield { type: 'DELETED', object: obj }; }
            else if (now && before) yield { type: 'MODIFIED', object: obj };
            else if (now) yield { type: 'ADDED', object: obj };
            else if (before) yield { type: 'DELETED', object: obj };
          }
        } catch (err) { throw toStatusError(err, self.gr, ''); }
      },
    };
  }

  async deleteCollection(ctx: RequestContext, opts: DeleteOptions, listOpts: ListOptions): Promise<KubeList> {
    const list = await this.list(ctx, listOpts);
    const items: KubeObject[] = [];
    for (const o of list.items) {
      try {
        const r = await this.delete({ ...ctx, namespace: o.metadata.namespace ?? '' }, o.metadata.name!, opts);
        items.push(r.object);
      } catch (err) { if (!(err instanceof StatusError && err.code === 404)) throw err; }
    }
    return { ...list, items };
  }
}

/**
 * List and watch option rules (upstream apimachinery ValidateListOptions and
 * validateWatchOptions); violations are 422 Invalid on `ListOptions.meta.k8s.io`.
 */
export function validateListOptions(opts: ListOptions & { sendInitialEvents?: boolean }, watch: boolean): void {
  const errs: FieldError[] = [];
  const match = opts.resourceVersionMatch as string | undefined;
  if (watch) {
    if (opts.sendInitialEvents !== undefined && match !== 'NotOlderThan') errs.push(forbiddenField('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (match) {
      if (opts.sendInitialEvents === undefined) errs.push(forbiddenField('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (opts.continue) errs.push(forbiddenField('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    }
  } else {
    if (match) {
      if (!opts.resourceVersion) errs.push(forbiddenField('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
      if (opts.continue) errs.push(forbiddenField('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
      if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
      if (match === 'Exact' && opts.resourceVersion === '0') errs.push(forbiddenField('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
    if (opts.sendInitialEvents !== undefined) errs.push(forbiddenField('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (errs.length) throw invalid('meta.k8s.io', 'ListOptions', '', errs);
}

/** Equal but for resourceVersion and key order. */
function sameObject(a: KubeObject, b: KubeObject): boolean {
  // JSON equality, stopping at the first difference (a write that changes something is the common case).
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return deepEqual(strip(a), strip(b));
}

/** Internal: carries a dry-run result out of guaranteedUpdate without writing. */
class DryRunResult extends Error {
  constructor(readonly object: KubeObject) { super('dry run'); }
}
