/**
 * Ownership tracking for non-apply writes (create, update, patch): fields a write adds
 * or changes become owned by its manager's Update entry and leave every other set;
 * fields it removes leave every set.
 * Upstream: merge.Updater.Update plus fieldmanager's managedFieldsUpdater (the write's
 * fields join the manager's previous entry; its time changes only when it took fields).
 */
import { difference, recursiveDifference, union, fieldSetOf, type FieldSet } from './fieldset.js';
import {
  decodeManagedFields, defaultIgnoredFields, encodeManagedFields, keepTimesIfUnchanged, managerId, stripAndPrune,
  withoutManagedFields, zeroObject, STRIPPED_FIELDS, type ManagedFieldsEntry, type ManagerFields,
} from './managed.js';
import type { SsaSchema } from './schema.js';
import { compareObjects, deepEqual, type Comparison } from './value.js';

/** What both ways of gaining field ownership (apply, update) are given. */
export interface OwnershipOptions {
  /** Field manager name (e.g. `kubectl-client-side-apply`). */
  manager: string;
  /** The kind's JSON schema. */
  schema: SsaSchema;
  /** apiVersion of the request, e.g. `apps/v1`. */
  apiVersion: string;
  /** RFC 3339 time for the entry (e.g. `2024-01-01T00:00:00Z`). */
  now: string;
  subresource?: string;
  /** Fields the writer does not gain (reset fields); default {@link defaultIgnoredFields}. */
  ignoredFields?: FieldSet;
  /** The "before" object of a create; default {@link zeroObject} of the schema. */
  createBase?: object;
}

/** Options of {@link trackUpdate}. */
export interface UpdateOptions extends OwnershipOptions {
  operation: 'Update';
}

/** metadata.managedFields itself never takes part in comparisons. */
export const SKIP_MANAGED = fieldSetOf([['f:metadata', 'f:managedFields']]);

/** Compares live and next bodies and drops ignored fields from the result. */
export function compareFiltered(live: unknown, next: unknown, schema: SsaSchema, ignored: FieldSet): Comparison {
  const c = compareObjects(withoutManagedFields(live), withoutManagedFields(next), schema, SKIP_MANAGED);
  return {
    added: recursiveDifference(c.added, ignored),
    modified: recursiveDifference(c.modified, ignored),
    removed: recursiveDifference(c.removed, ignored),
  };
}

/**
 * Applies an Update of `live` → `next` by `entry` to `managers` (in place).
 * Returns whether the manager took any field.
 */
export function updateManagers(managers: Map<string, ManagerFields>, live: unknown, next: unknown, schema: SsaSchema,
  entry: ManagerFields['entry'], ignored: FieldSet): boolean {
  const c = compareFiltered(live, next, schema, ignored);
  const changed = union(c.added, c.modified);
  for (const m of managers.values()) m.set = difference(difference(m.set, changed), c.removed);
  const taken = difference(changed, STRIPPED_FIELDS);
  let took = false;
  if (!taken.isEmpty()) {
    const id = managerId(entry);
    const prev = managers.get(id);
    managers.set(id, { id, entry: { ...entry }, set: prev ? union(prev.set, taken) : taken });
    took = true;
  }
  stripAndPrune(managers);
  return took;
}

/**
 * The managedFields after a non-apply write of `next` over `live` (undefined on create).
 * Existing entries come from `live.metadata.managedFields`; `next`'s own managedFields
 * are ignored (a caller honouring client-sent managedFields must do so itself).
 */
export function trackUpdate(live: object | undefined, next: object, opts: UpdateOptions): ManagedFieldsEntry[] {
  const prevMf = (live as { metadata?: { managedFields?: unknown } } | undefined)?.metadata?.managedFields;
  const managers = decodeManagedFields(prevMf);
  const ignored = opts.ignoredFields ?? defaultIgnoredFields(opts.subresource);
  const base = live ?? opts.createBase ?? zeroObject(opts.schema);
  const entry: ManagerFields['entry'] = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, time: opts.now };
  if (opts.subresource) entry.subresource = opts.subresource;
  updateManagers(managers, base, next, opts.schema, entry, ignored);
  const out = encodeManagedFields(managers);
  if (live && deepEqual(withoutManagedFields(live), withoutManagedFields(next))) return keepTimesIfUnchanged(prevMf, out);
  return out;
}
