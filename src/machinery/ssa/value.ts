/**
 * Value-level operations of server-side apply on plain JSON objects, driven by the schema:
 * equality, the apply merge, pruning of fields, and the comparison of two versions into
 * added / modified / removed field sets.
 * Upstream: sigs.k8s.io/structured-merge-diff typed.Merge (merge.go), RemoveItems
 * (remove.go) and Compare (compare.go, with its container hook).
 */
import { atomOf, fieldSchema, isNamedField, type Atom, type SsaSchema } from './schema.js';
import { fieldElement, keyElement, valueElement, type Path, type PathElement } from './path.js';
import { FieldSet } from './fieldset.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Deep JSON equality (object key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as Obj);
  let nb = 0;
  for (const k in b as Obj) if (has(b as Obj, k) && (b as Obj)[k] !== undefined) nb++;
  let na = 0;
  for (const k of ka) {
    const va = (a as Obj)[k];
    if (va === undefined) continue;
    na++;
    if (!has(b as Obj, k) || !deepEqual(va, (b as Obj)[k])) return false;
  }
  return na === nb;
}

/** Path element of list item `item` at `i` for a set or map-keyed list atom. */
export function itemElement(a: Atom, item: unknown, i: number): PathElement {
  return a.kind === 'set' ? valueElement(item) : keyElement(item, (a as { keys: string[] }).keys, i);
}

/** Items of a list by path element (first occurrence wins) and their order. */
export function indexList(a: Atom, list: unknown[] | undefined): { order: PathElement[]; items: Map<PathElement, unknown> } {
  const items = new Map<PathElement, unknown>();
  const order: PathElement[] = [];
  if (list) list.forEach((item, i) => {
    const e = itemElement(a, item, i);
    if (!items.has(e)) { items.set(e, item); order.push(e); }
  });
  return { order, items };
}

/**
 * Order of a merged associative list (upstream merge.go): items of `rhs` (the config) in
 * its order; items only in `lhs` (live) keep their place relative to the shared items.
 */
export function mergedOrder(lhs: PathElement[], rhs: PathElement[], rhsSet: Map<PathElement, unknown>, lhsSet: Map<PathElement, unknown>): PathElement[] {
  const out: PathElement[] = [];
  const emitted = new Set<PathElement>();
  const shared = rhs.filter((e) => lhsSet.has(e));
  let si = 0;
  const nextShared = () => { while (si < shared.length && emitted.has(shared[si])) si++; return shared[si]; };
  const push = (e: PathElement) => { if (!emitted.has(e)) { emitted.add(e); out.push(e); } };
  let l = 0, r = 0;
  while (l < lhs.length || r < rhs.length) {
    if (l < lhs.length) {
      const e = lhs[l];
      if (emitted.has(e)) { l++; continue; }
      if (!rhsSet.has(e)) { push(e); l++; continue; }
      if (r < rhs.length && rhs[r] === e) { push(e); l++; r++; continue; }
      if (e !== nextShared()) { l++; continue; }
    }
    if (r < rhs.length) push(rhs[r++]);
    else l++;
  }
  return out;
}

/**
 * The apply merge of `config` onto `live` (neither is modified; untouched live subtrees
 * are shared): struct and map fields merge recursively, map-keyed lists merge items by
 * key, sets union, atomic values and lists are replaced. A `null` in config sets null.
 */
export function mergeValues(live: unknown, config: unknown, schema: SsaSchema | undefined): unknown {
  if (config === undefined) return live;
  if (live === undefined || live === null || config === null) return config;
  const a = atomOf(schema);
  switch (a.kind) {
    case 'struct':
    case 'map': {
      if (!isObj(live) || !isObj(config)) return config;
      const out: Obj = { ...live };
      for (const [k, v] of Object.entries(config)) {
        if (v === undefined) continue;
        out[k] = mergeValues(live[k], v, fieldSchema(a.schema, k));
      }
      return out;
    }
    case 'set':
    case 'mapList': {
      if (!Array.isArray(live) || !Array.isArray(config)) return config;
      const L = indexList(a, live), R = indexList(a, config);
      const order = mergedOrder(L.order, R.order, R.items, L.items);
      return order.map((e) => {
        if (!R.items.has(e)) return L.items.get(e);
        if (a.kind === 'set' || !L.items.has(e)) return R.items.get(e);
        return mergeValues(L.items.get(e), R.items.get(e), a.schema.items);
      });
    }
    default:
      return config;
  }
}

/** The child of container `v` at element `e` (struct field, map key or list item). */
function childAt(v: unknown, a: Atom, e: PathElement): unknown {
  if (e.startsWith('f:') && isObj(v)) return v[e.slice(2)];
  if (Array.isArray(v) && (a.kind === 'set' || a.kind === 'mapList')) {
    for (let i = 0; i < v.length; i++) if (itemElement(a, v[i], i) === e) return v[i];
  }
  return undefined;
}

/**
 * Removes from `v` every path of `remove` (with its subtree), copying containers on the
 * way (input untouched). `keep` decides, for a path of `remove`, whether it must stay
 * after all (its children of `remove` are then still visited). Declared struct fields
 * with children in `remove` count as members too (upstream EnsureNamedFieldsAreMembers).
 */
export function removePaths(v: unknown, schema: SsaSchema | undefined, remove: FieldSet, keep: (n: FieldSet | undefined) => boolean, keepNode?: FieldSet): unknown {
  if (!remove.children || v === null || typeof v !== 'object') return v;
  const a = atomOf(schema);
  if (a.kind === 'struct' || a.kind === 'map') {
    if (!isObj(v)) return v;
    let out: Obj | undefined;
    for (const [e, rc] of remove.children) {
      if (!e.startsWith('f:')) continue;
      const k = e.slice(2);
      if (!has(v, k)) continue;
      const kn = keepNode?.get(e);
      const cs = fieldSchema(a.schema, k);
      const candidate = rc.member || (a.kind === 'struct' && isNamedField(a.schema, k));
      if (candidate && !keep(kn)) { out ??= { ...v }; delete out[k]; continue; }
      const nv = removePaths(v[k], cs, rc, keep, kn);
      if (nv !== v[k]) { out ??= { ...v }; out[k] = nv; }
    }
    return out ?? v;
  }
  if ((a.kind === 'set' || a.kind === 'mapList') && Array.isArray(v)) {
    let changed = false;
    const out: unknown[] = [];
    v.forEach((item, i) => {
      const e = itemElement(a, item, i);
      const rc = remove.children!.get(e);
      if (!rc) { out.push(item); return; }
      const kn = keepNode?.get(e);
      if (rc.member && !keep(kn)) { changed = true; return; }
      const ni = a.kind === 'mapList' ? removePaths(item, a.schema.items, rc, keep, kn) : item;
      if (ni !== item) changed = true;
      out.push(ni);
    });
    return changed ? out : v;
  }
  return v;
}

/** Result of {@link compareValues}: paths added, modified (leaf value changed) and removed. */
export interface Comparison { added: FieldSet; modified: FieldSet; removed: FieldSet }

/**
 * Compares two versions of an object (upstream TypedValue.Compare): leaves (scalars,
 * atomic values, and containers empty on both sides) are added / removed / modified;
 * containers (struct fields, map entries, list items) that appear or disappear as a
 * whole are added / removed themselves too. `skip` paths (e.g. metadata.managedFields)
 * are ignored.
 */
export function compareObjects(lhs: unknown, rhs: unknown, schema: SsaSchema | undefined, skip?: FieldSet): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  cmp(lhs ?? undefined, rhs ?? undefined, schema, [], c, skip, true);
  return c;
}

const emptyish = (v: unknown) => v === undefined || (isObj(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);

function cmp(l: unknown, r: unknown, schema: SsaSchema | undefined, path: Path, c: Comparison, skip: FieldSet | undefined, root = false): void {
  if (l === null) l = undefined;
  if (r === null) r = undefined;
  if (l === undefined && r === undefined) return;
  if (skip?.member) return;
  const a = atomOf(schema);
  const leaf = () => {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
  };
  const isMapAtom = a.kind === 'struct' || a.kind === 'map';
  const isListAtom = a.kind === 'set' || a.kind === 'mapList';
  if (a.kind === 'atomic' || (emptyish(l) && emptyish(r))
    || (isMapAtom && ((l !== undefined && !isObj(l)) || (r !== undefined && !isObj(r))))
    || (isListAtom && ((l !== undefined && !Array.isArray(l)) || (r !== undefined && !Array.isArray(r))))) {
    if (!root) leaf();
    return;
  }
  if (isMapAtom) {
    const lo = (l ?? {}) as Obj, ro = (r ?? {}) as Obj;
    for (const k of Object.keys(lo)) {
      const e = fieldElement(k);
      path.push(e);
      cmp(lo[k], has(ro, k) ? ro[k] : undefined, fieldSchema(a.schema, k), path, c, skip?.get(e));
      path.pop();
    }
    for (const k of Object.keys(ro)) {
      if (has(lo, k)) continue;
      const e = fieldElement(k);
      path.push(e);
      cmp(undefined, ro[k], fieldSchema(a.schema, k), path, c, skip?.get(e));
      path.pop();
    }
  } else {
    const L = indexList(a, l as unknown[] | undefined), R = indexList(a, r as unknown[] | undefined);
    const items = a.kind === 'mapList' ? a.schema.items : undefined;
    for (const e of L.order) {
      path.push(e);
      if (a.kind === 'set') { if (!R.items.has(e)) c.removed.insert(path); }
      else cmp(L.items.get(e), R.items.get(e), items, path, c, skip?.get(e));
      path.pop();
    }
    for (const e of R.order) {
      if (L.items.has(e)) continue;
      path.push(e);
      if (a.kind === 'set') c.added.insert(path);
      else cmp(undefined, R.items.get(e), items, path, c, skip?.get(e));
      path.pop();
    }
  }
  if (!root) {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
  }
}
