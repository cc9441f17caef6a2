/**
 * Path elements of field sets, in their FieldsV1 string form: `f:<field>` (struct field or
 * map key), `k:<json object of the list-map-keys, sorted by name>` (map-keyed list item),
 * `v:<json value>` (set item), `i:<index>` (list item by position).
 * Upstream: sigs.k8s.io/structured-merge-diff fieldpath.PathElement (serialize-pe.go,
 * element.go: String and Compare).
 */
import { cmpStr } from './schema.js';

/** One path element in FieldsV1 string form. */
export type PathElement = string;
/** A path from the object root. */
export type Path = PathElement[];

/** `f:<name>`. */
export const fieldElement = (name: string): PathElement => 'f:' + name;
/** `v:<json>` for a set item. */
export const valueElement = (v: unknown): PathElement => 'v:' + JSON.stringify(v);
/** `i:<n>`. */
export const indexElement = (i: number): PathElement => 'i:' + i;

/**
 * `k:{...}` for an item of a map-keyed list (`keys` sorted by name). Keys the item lacks
 * are left out; an item with none of them gets `i:<index>` (upstream rejects such items).
 */
export function keyElement(item: unknown, keys: string[], index: number): PathElement {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return indexElement(index);
  const o = item as Record<string, unknown>;
  let s = '';
  for (const k of keys) {
    const v = o[k];
    if (v === undefined) continue;
    s += (s ? ',' : '') + JSON.stringify(k) + ':' + JSON.stringify(v);
  }
  return s ? 'k:{' + s + '}' : indexElement(index);
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };
const parsed = new Map<string, unknown>();
function parse(s: string): unknown {
  let v = parsed.get(s);
  if (v === undefined && !parsed.has(s)) {
    try { v = JSON.parse(s); } catch { v = s; }
    if (parsed.size > 50_000) parsed.clear();
    parsed.set(s, v);
  }
  return v;
}

function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case 'boolean': return 1;
    case 'number': return 2;
    case 'string': return 3;
    default: return Array.isArray(v) ? 4 : 5;
  }
}

/** Orders JSON values (null < bool < number < string < list < map; same-type natural order). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a), rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return (a as number) - (b as number);
  if (typeof a === 'string') return cmpStr(a, b as string);
  if (typeof a === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    for (let i = 0; i < a.length && i < bb.length; i++) { const c = compareValues(a[i], bb[i]); if (c) return c; }
    return a.length - bb.length;
  }
  if (a && typeof a === 'object') {
    const ea = Object.entries(a).sort((x, y) => cmpStr(x[0], y[0]));
    const eb = Object.entries(b as object).sort((x, y) => cmpStr(x[0], y[0]));
    for (let i = 0; i < ea.length && i < eb.length; i++) {
      const c = cmpStr(ea[i][0], eb[i][0]) || compareValues(ea[i][1], eb[i][1]);
      if (c) return c;
    }
    return ea.length - eb.length;
  }
  return 0;
}

/** Upstream's PathElement order: fields (by name) < keys < values < indexes. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a === b) return 0;
  const ta = RANK[a[0]] ?? 4, tb = RANK[b[0]] ?? 4;
  if (ta !== tb) return ta - tb;
  const ra = a.slice(2), rb = b.slice(2);
  switch (a[0]) {
    case 'f': return cmpStr(ra, rb);
    case 'i': return Number(ra) - Number(rb);
    case 'k': {
      // Key field lists: compared field by field (name, then value), shorter first.
      const ea = Object.entries(parse(ra) as object), eb = Object.entries(parse(rb) as object);
      for (let i = 0; i < ea.length && i < eb.length; i++) {
        const c = cmpStr(ea[i][0], eb[i][0]) || compareValues(ea[i][1], eb[i][1]);
        if (c) return c;
      }
      return ea.length - eb.length;
    }
    default: return compareValues(parse(ra), parse(rb)) || cmpStr(ra, rb);
  }
}

/** Go-style `%q`/`%v` rendering of a key or set value (upstream value.ToString). */
function valueToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(valueToString).join(',') + ']';
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}=${valueToString(x)}`).join('');
  return String(v);
}

/** Human form of one element: `.name`, `[name="c",port=80]`, `[="v"]`, `[3]`. */
export function elementToString(e: PathElement): string {
  const rest = e.slice(2);
  switch (e[0]) {
    case 'f': return '.' + rest;
    case 'k': return '[' + Object.entries(parse(rest) as object).map(([k, v]) => `${k}=${valueToString(v)}`).join(',') + ']';
    case 'v': return '[=' + valueToString(parse(rest)) + ']';
    case 'i': return '[' + rest + ']';
    default: return '{{invalid path element}}';
  }
}

/** Human form of a path as in conflict messages, e.g. `.spec.template.spec.containers[name="c"].image`. */
export const pathToString = (p: Path): string => p.map(elementToString).join('');
