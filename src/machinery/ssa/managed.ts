/**
 * metadata.managedFields entries: decoding into per-manager field sets, manager
 * identities, stripping of fields nobody owns, and encoding back in upstream order.
 * Upstream: k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager (managedfields.go,
 * stripmeta.go, conflict.go printManager, BuildManagerIdentifier).
 */
import { difference, fieldSetOf, fromFieldsV1, toFieldsV1, type FieldSet, type FieldsV1 } from './fieldset.js';
import { atomOf, type SsaSchema } from './schema.js';
import { deepEqual } from './value.js';

/** One metadata.managedFields entry (metav1.ManagedFieldsEntry). */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update' | string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldsV1;
  subresource?: string;
}

/** A decoded entry: its identity, its metadata (without fields) and its field set. */
export interface ManagerFields {
  id: string;
  entry: Omit<ManagedFieldsEntry, 'fieldsV1' | 'fieldsType'>;
  set: FieldSet;
}

/**
 * The identity of an entry (upstream BuildManagerIdentifier): JSON of manager, operation,
 * apiVersion (Update entries only) and subresource, e.g.
 * `{"manager":"kubectl","operation":"Update","apiVersion":"apps/v1"}`.
 */
export function managerId(e: { manager?: string; operation?: string; apiVersion?: string; subresource?: string }): string {
  const o: Record<string, string> = {};
  if (e.manager) o.manager = e.manager;
  if (e.operation) o.operation = e.operation;
  if (e.apiVersion && e.operation !== 'Apply') o.apiVersion = e.apiVersion;
  if (e.subresource) o.subresource = e.subresource;
  return JSON.stringify(o);
}

/** How conflict messages name an entry (upstream printManager): `"x"`, `"x" with subresource "status"`, `"x" using apps/v1`. */
export function printManager(e: ManagerFields['entry']): string {
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion ?? ''}`;
  return s;
}

/** Decodes managedFields (entries of another fieldsType are dropped; a later duplicate identity wins). Throws Error on malformed FieldsV1. */
export function decodeManagedFields(list: unknown): Map<string, ManagerFields> {
  const out = new Map<string, ManagerFields>();
  if (!Array.isArray(list)) return out;
  for (const raw of list as ManagedFieldsEntry[]) {
    if (!raw || typeof raw !== 'object') continue;
    if (raw.fieldsType !== undefined && raw.fieldsType !== 'FieldsV1') continue;
    const { fieldsV1, fieldsType: _ft, ...entry } = raw;
    const id = managerId(entry);
    out.set(id, { id, entry, set: fromFieldsV1(fieldsV1) });
  }
  return out;
}

/**
 * Encodes the sets back into entries, dropping empty ones, sorted as upstream: by
 * operation (Apply first), time, manager, apiVersion, subresource.
 */
export function encodeManagedFields(managers: Map<string, ManagerFields>): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const m of managers.values()) {
    if (m.set.isEmpty()) continue;
    const e: ManagedFieldsEntry = { manager: m.entry.manager, operation: m.entry.operation, apiVersion: m.entry.apiVersion };
    if (m.entry.time !== undefined) e.time = m.entry.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = toFieldsV1(m.set);
    if (m.entry.subresource) e.subresource = m.entry.subresource;
    out.push(e);
  }
  const secs = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);
  const c = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((p, q) => c(p.operation, q.operation) || secs(p.time) - secs(q.time)
    || c(p.manager, q.manager) || c(p.apiVersion, q.apiVersion) || c(p.subresource, q.subresource));
}

/** Paths no manager ever owns (upstream stripmeta.go; exact paths, not subtrees). */
export const STRIPPED_FIELDS: FieldSet = fieldSetOf([
  ['f:apiVersion'], ['f:kind'], ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((f) => ['f:metadata', 'f:' + f]),
]);

/** Removes {@link STRIPPED_FIELDS} from every set (in place) and drops empty entries. */
export function stripAndPrune(managers: Map<string, ManagerFields>): void {
  for (const [id, m] of managers) {
    m.set = difference(m.set, STRIPPED_FIELDS);
    if (m.set.isEmpty()) managers.delete(id);
  }
}

/**
 * Default fields a write's manager does not own (upstream: the strategy's reset fields):
 * `status` for the main resource, `spec` for the `status` subresource, none otherwise.
 */
export function defaultIgnoredFields(subresource?: string): FieldSet {
  if (!subresource) return fieldSetOf([['f:status']]);
  if (subresource === 'status') return fieldSetOf([['f:spec']]);
  return fieldSetOf([]);
}

/**
 * The stand-in for "the object before creation" (upstream: the zero value of the Go
 * type): `{}` with top-level struct fields `metadata`, `spec` and `status` present as
 * `{}` when the schema declares them as structs.
 */
export function zeroObject(schema: SsaSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['metadata', 'spec', 'status']) {
    const s = schema?.properties?.[k];
    if (s && atomOf(s).kind === 'struct') out[k] = {};
  }
  return out;
}

/** The object without metadata.managedFields (shallow copies; input untouched). */
export function withoutManagedFields(obj: unknown): Record<string, unknown> | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  const md = o.metadata as Record<string, unknown> | undefined;
  if (!md || typeof md !== 'object' || !('managedFields' in md)) return o;
  const { managedFields: _mf, ...rest } = md;
  return { ...o, metadata: rest };
}

/** `obj` with metadata.managedFields set to `mf` (removed when empty). */
export function withManagedFields(obj: Record<string, unknown>, mf: ManagedFieldsEntry[]): Record<string, unknown> {
  const md = { ...((obj.metadata as Record<string, unknown> | undefined) ?? {}) };
  if (mf.length) md.managedFields = mf; else delete md.managedFields;
  return { ...obj, metadata: md };
}

/**
 * `next` unless it equals `prev` except for entry times, in which case `prev` (upstream
 * keeps managedFields when only timestamps would change, so no-op writes stay no-ops).
 */
export function keepTimesIfUnchanged(prev: unknown, next: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  if (!Array.isArray(prev) || prev.length !== next.length) return next;
  const noTime = (e: ManagedFieldsEntry) => { const { time: _t, ...r } = e; return r; };
  const a = [...(prev as ManagedFieldsEntry[])].map(noTime), b = next.map(noTime);
  const key = (e: object) => JSON.stringify(e);
  a.sort((x, y) => (key(x) < key(y) ? -1 : 1)); b.sort((x, y) => (key(x) < key(y) ? -1 : 1));
  return deepEqual(a, b) ? (prev as ManagedFieldsEntry[]) : next;
}
