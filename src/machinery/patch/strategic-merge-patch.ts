/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch, and the
 * "strategic-merge-patch" design doc): a merge patch where lists marked with
 * `x-kubernetes-patch-strategy: merge` merge element-wise by
 * `x-kubernetes-patch-merge-key` (or as sets for scalars) instead of being replaced.
 * Directives: `$patch: replace|delete|merge`, `$setElementOrder/<list>`,
 * `$retainKeys`, `$deleteFromPrimitiveList/<list>` — what kubectl apply/edit/scale/set send.
 * The schema is the kind's TypeBox schema (see src/api/schema.ts).
 */
import type { TSchema } from '@sinclair/typebox';
import { badRequest } from '../errors.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema of property `key` of an object schema (or of a map's values); undefined when unknown. */
function propSchema(schema: TSchema | undefined, key: string): TSchema | undefined {
  if (!schema) return undefined;
  const s = schema as TSchema & { properties?: Record<string, TSchema>; patternProperties?: Record<string, TSchema>; additionalProperties?: unknown };
  if (s.properties?.[key]) return s.properties[key];
  if (s.patternProperties) return Object.values(s.patternProperties)[0];
  if (isObject(s.additionalProperties)) return s.additionalProperties as TSchema;
  return undefined;
}
const itemsSchema = (schema: TSchema | undefined): TSchema | undefined => (schema as { items?: TSchema } | undefined)?.items;

/** Applies a strategic merge patch to `original` (not modified) under `schema`. Throws BadRequest on bad directives. */
export function applyStrategicMergePatch<T>(original: T, patch: unknown, schema: TSchema | undefined): T {
  if (!isObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeMap(isObject(original) ? original : {}, patch, schema) as T;
}

function mergeMap(orig: Obj, patch: Obj, schema: TSchema | undefined): Obj {
  const directive = patch['$patch'];
  if (directive === 'replace') { const { $patch: _p, ...rest } = patch; return stripDirectives(rest); }
  if (directive === 'delete') return {};
  if (directive !== undefined && directive !== 'merge') throw badRequest(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  let out: Obj = { ...orig };
  const retain = patch['$retainKeys'];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw badRequest('$retainKeys must be a list of keys');
    out = Object.fromEntries(Object.entries(out).filter(([k]) => retain.includes(k)));
  }
  const orders: Record<string, unknown[]> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) { orders[key.slice('$setElementOrder/'.length)] = value as unknown[]; continue; }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const cur = Array.isArray(out[field]) ? (out[field] as unknown[]) : [];
      out[field] = cur.filter((x) => !(value as unknown[]).includes(x));
      continue;
    }
    if (value === null) { delete out[key]; continue; }
    const sub = propSchema(schema, key);
    const cur = out[key];
    if (Array.isArray(value)) out[key] = mergeList(Array.isArray(cur) ? cur : [], value, sub);
    else if (isObject(value) && isObject(cur)) out[key] = mergeMap(cur, value, sub);
    else if (isObject(value)) out[key] = mergeMap({}, value, sub);
    else out[key] = value;
  }
  for (const [field, order] of Object.entries(orders)) {
    if (Array.isArray(out[field])) out[field] = applyOrder(out[field] as unknown[], order, (propSchema(schema, field) as Obj | undefined)?.['x-kubernetes-patch-merge-key'] as string | undefined);
  }
  return out;
}

function mergeList(orig: unknown[], patch: unknown[], schema: TSchema | undefined): unknown[] {
  const meta = (schema ?? {}) as Obj;
  const strategy = String(meta['x-kubernetes-patch-strategy'] ?? '');
  const mergeKey = meta['x-kubernetes-patch-merge-key'] as string | undefined;
  // A list-level `$patch: replace` element replaces the whole list.
  if (patch.some((p) => isObject(p) && p['$patch'] === 'replace')) return patch.filter((p) => !(isObject(p) && p['$patch'] === 'replace')).map((p) => (isObject(p) ? stripDirectives(p) : p));
  if (!strategy.split(',').includes('merge')) return patch.map((p) => (isObject(p) ? stripDirectives(p) : p));
  if (!mergeKey) {
    // Set of scalars: union, keeping the original order, then new ones.
    const out = [...orig];
    for (const p of patch) if (!out.some((o) => o === p)) out.push(p);
    return out;
  }
  const out = orig.map((o) => o);
  const itemSchema = itemsSchema(schema);
  for (const p of patch) {
    if (!isObject(p)) throw badRequest(`merging list with merge key ${mergeKey}: element is not an object: ${JSON.stringify(p)}`);
    const keyValue = p[mergeKey];
    const idx = out.findIndex((o) => isObject(o) && o[mergeKey] === keyValue);
    if (p['$patch'] === 'delete') { if (idx >= 0) out.splice(idx, 1); continue; }
    if (keyValue === undefined) throw badRequest(`map: ${JSON.stringify(p)} does not contain declared merge key: ${mergeKey}`);
    if (idx >= 0) out[idx] = mergeMap(out[idx] as Obj, p, itemSchema);
    else out.push(mergeMap({}, p, itemSchema));
  }
  return out;
}

function applyOrder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const keyOf = (x: unknown): unknown => (mergeKey && isObject(x) ? x[mergeKey] : x);
  const orderKeys = order.map(keyOf);
  const ranked = list.map((item, i) => ({ item, i, rank: orderKeys.findIndex((k) => k === keyOf(item)) }));
  // Items named in the order come in that order; the others keep their relative place after them.
  const inOrder = ranked.filter((r) => r.rank >= 0).sort((a, b) => a.rank - b.rank);
  const rest = ranked.filter((r) => r.rank < 0);
  return [...inOrder, ...rest].map((r) => r.item);
}

function stripDirectives(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('$')) continue;
    out[k] = isObject(v) ? stripDirectives(v) : Array.isArray(v) ? v.map((x) => (isObject(x) ? stripDirectives(x) : x)) : v;
  }
  return out;
}
