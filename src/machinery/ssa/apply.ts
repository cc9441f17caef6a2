/**
 * Server-side apply (KEP-555): merges an applied configuration into the live object,
 * removes fields the manager stopped applying, detects conflicts with other managers
 * and computes the new managedFields.
 * Upstream: merge.Updater.Apply / prune / update (sigs.k8s.io/structured-merge-diff) and
 * k8s.io/apiserver fieldmanager (conflict messages, before-first-apply, stripped fields).
 */
import { difference, fieldsOf, intersection, paths, recursiveDifference, union, type FieldSet } from './fieldset.js';
import {
  decodeManagedFields, defaultIgnoredFields, encodeManagedFields, keepTimesIfUnchanged, managerId, printManager, stripAndPrune,
  withManagedFields, withoutManagedFields, zeroObject, type ManagedFieldsEntry, type ManagerFields,
} from './managed.js';
import { pathToString } from './path.js';
import type { SsaSchema } from './schema.js';
import { compareFiltered, updateManagers, type OwnershipOptions } from './update.js';
import { deepEqual, mergeValues, removePaths } from './value.js';

/** Options of {@link apply}. */
export interface ApplyOptions extends OwnershipOptions {
  /** Take ownership of conflicting fields instead of failing. */
  force: boolean;
}

/** One conflicting field. */
export interface Conflict {
  /** Manager name of the entry owning the field. */
  manager: string;
  operation: string;
  apiVersion?: string;
  subresource?: string;
  /** Path as upstream prints it, e.g. `.spec.template.spec.containers[name="c"].image`. */
  path: string;
  /** Upstream StatusCause message, e.g. `conflict with "x" using apps/v1`. */
  message: string;
}

/** Apply conflict (HTTP 409, reason Conflict, causes of type FieldManagerConflict). */
export class ApplyConflict extends Error {
  readonly code = 409;
  readonly reason = 'Conflict';
  constructor(readonly conflicts: Conflict[], message: string) {
    super(message);
    this.name = 'ApplyConflict';
  }
}

/** Result of {@link apply}. */
export interface ApplyResult {
  /** The merged object, metadata.managedFields set to `managedFields` (absent when empty). */
  object: Record<string, unknown>;
  managedFields: ManagedFieldsEntry[];
  /** Whether the object (ignoring managedFields) differs from live. */
  changed: boolean;
}

/** Builds the upstream message (getConflictMessage) for conflicts grouped by manager identity. */
export function conflictMessage(groups: { id: string; entry: ManagerFields['entry']; paths: string[] }[]): string {
  const total = groups.reduce((n, g) => n + g.paths.length, 0);
  if (total === 1) {
    const g = groups.find((x) => x.paths.length)!;
    return `Apply failed with 1 conflict: conflict with ${printManager(g.entry)}: ${g.paths[0]}`;
  }
  const lines: string[] = [];
  for (const g of [...groups].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!g.paths.length) continue;
    lines.push(`conflicts with ${printManager(g.entry)}:`);
    for (const p of g.paths) lines.push(`- ${p}`);
  }
  return `Apply failed with ${total} conflicts: ${lines.join('\n')}`;
}

/**
 * Applies `config` for `opts.manager` onto `live` (undefined = create). Throws
 * {@link ApplyConflict} when a field the config changes is owned by another entry and
 * `force` is false. Inputs are not modified.
 */
export function apply(live: object | undefined, config: object, opts: ApplyOptions): ApplyResult {
  const { schema } = opts;
  const prevMf = (live as { metadata?: { managedFields?: unknown } } | undefined)?.metadata?.managedFields;
  const managers = decodeManagedFields(prevMf);
  const ignored = opts.ignoredFields ?? defaultIgnoredFields(opts.subresource);
  if (live && managers.size === 0) {
    // An object nobody tracked yet: everything in it belongs to "before-first-apply".
    updateManagers(managers, opts.createBase ?? zeroObject(schema), live, schema,
      { manager: 'before-first-apply', operation: 'Update', apiVersion: opts.apiVersion, time: opts.now }, ignored);
  }
  const liveBody = withoutManagedFields(live) ?? {};
  const configBody = withoutManagedFields(config) ?? {};

  const entry: ManagerFields['entry'] = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, time: opts.now };
  if (opts.subresource) entry.subresource = opts.subresource;
  const id = managerId(entry);
  const lastSet = managers.get(id)?.set;
  const configSet = recursiveDifference(fieldsOf(configBody, schema), ignored);

  let merged = mergeValues(liveBody, configBody, schema) as Record<string, unknown>;
  if (lastSet && !lastSet.isEmpty()) {
    // Prune: what the manager applied last time and nobody (incl. this config) owns now.
    let owned: FieldSet = configSet;
    for (const m of managers.values()) if (m.id !== id) owned = union(owned, m.set);
    merged = removePaths(merged, schema, lastSet, (n) => !!n && !n.isEmpty(), owned) as Record<string, unknown>;
  }

  const c = compareFiltered(liveBody, merged, schema, ignored);
  const changedSet = union(c.added, c.modified);
  const groups: { id: string; entry: ManagerFields['entry']; paths: string[]; set: FieldSet }[] = [];
  for (const m of managers.values()) {
    if (m.id === id) continue;
    const conflict = intersection(m.set, changedSet);
    if (!conflict.isEmpty()) groups.push({ id: m.id, entry: m.entry, set: conflict, paths: paths(conflict).map(pathToString) });
  }
  if (groups.length && !opts.force) {
    const conflicts: Conflict[] = groups.flatMap((g) => g.paths.map((p) => ({
      manager: g.entry.manager ?? '', operation: g.entry.operation ?? '',
      ...(g.entry.operation === 'Update' ? { apiVersion: g.entry.apiVersion } : {}),
      ...(g.entry.subresource ? { subresource: g.entry.subresource } : {}),
      path: p, message: `conflict with ${printManager(g.entry)}`,
    })));
    throw new ApplyConflict(conflicts, conflictMessage(groups));
  }
  for (const g of groups) { const m = managers.get(g.id)!; m.set = difference(m.set, g.set); }
  if (!c.removed.isEmpty()) for (const m of managers.values()) if (m.id !== id) m.set = difference(m.set, c.removed);
  managers.set(id, { id, entry, set: configSet });
  stripAndPrune(managers);

  const changed = !deepEqual(liveBody, merged);
  let mf = encodeManagedFields(managers);
  if (live && !changed) mf = keepTimesIfUnchanged(prevMf, mf);
  return { object: withManagedFields(merged, mf), managedFields: mf, changed };
}
