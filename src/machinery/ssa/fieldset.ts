/**
 * Field sets (sets of paths into an object) and their FieldsV1 encoding.
 * A set is a tree: every node is one path; `member` says the path itself is in the set,
 * `children` holds longer paths. Nodes that are neither members nor have children are
 * never kept, so a non-empty node always denotes some path of the set.
 * Upstream: sigs.k8s.io/structured-merge-diff fieldpath.Set (set.go, serialize.go) and
 * typed.ToFieldSet (tofieldset.go).
 */
import { atomOf, fieldSchema, isNamedField, type SsaSchema } from './schema.js';
import { compareElements, fieldElement, keyElement, valueElement, type Path, type PathElement } from './path.js';

/** A set of paths, as a tree of path elements. */
export class FieldSet {
  /** Whether the path of this node is itself in the set (ignored at the root). */
  member = false;
  /** Longer paths, by next element; undefined when none. */
  children: Map<PathElement, FieldSet> | undefined;

  /** True when the set holds no path. */
  isEmpty(): boolean {
    return !this.member && (!this.children || this.children.size === 0);
  }
  /** The child node for `e`, created on demand. */
  ensure(e: PathElement): FieldSet {
    let m = this.children;
    if (!m) m = this.children = new Map();
    let c = m.get(e);
    if (!c) { c = new FieldSet(); m.set(e, c); }
    return c;
  }
  /** The child node for `e`, if the set has paths under it. */
  get(e: PathElement): FieldSet | undefined {
    return this.children?.get(e);
  }
  /** Adds `path` (no-op for the empty path). */
  insert(path: Path): this {
    if (path.length === 0) return this;
    let n: FieldSet = this;
    for (const e of path) n = n.ensure(e);
    n.member = true;
    return this;
  }
  /** Whether `path` is a member. */
  has(path: Path): boolean {
    let n: FieldSet | undefined = this;
    for (const e of path) { n = n.children?.get(e); if (!n) return false; }
    return path.length > 0 && n.member;
  }
  /** Deep copy. */
  clone(): FieldSet {
    const s = new FieldSet();
    s.member = this.member;
    if (this.children) { s.children = new Map(); for (const [e, c] of this.children) s.children.set(e, c.clone()); }
    return s;
  }
  /** Number of member paths. */
  size(): number {
    let n = this.member ? 1 : 0;
    if (this.children) for (const c of this.children.values()) n += c.size();
    return n;
  }
  /** Child elements in upstream order. */
  sortedElements(): PathElement[] {
    return this.children ? [...this.children.keys()].sort(compareElements) : [];
  }
}

/** Drops (in place) nodes that are neither members nor have children; returns `s`. */
export function normalize(s: FieldSet): FieldSet {
  if (s.children) {
    for (const [e, c] of s.children) { normalize(c); if (c.isEmpty()) s.children.delete(e); }
    if (s.children.size === 0) s.children = undefined;
  }
  return s;
}

/** A new set of `paths`. */
export function fieldSetOf(paths: Path[]): FieldSet {
  const s = new FieldSet();
  for (const p of paths) s.insert(p);
  return s;
}

function node(member: boolean, children: Map<PathElement, FieldSet> | undefined): FieldSet | undefined {
  if (!member && (!children || children.size === 0)) return undefined;
  const s = new FieldSet();
  s.member = member;
  if (children && children.size) s.children = children;
  return s;
}

/** a ∪ b (new set; inputs untouched). */
export function union(a: FieldSet, b: FieldSet): FieldSet {
  return unionNode(a, b) ?? new FieldSet();
}
function unionNode(a: FieldSet | undefined, b: FieldSet | undefined): FieldSet | undefined {
  if (!a || a.isEmpty()) return b?.clone();
  if (!b || b.isEmpty()) return a.clone();
  let ch: Map<PathElement, FieldSet> | undefined;
  if (a.children || b.children) {
    ch = new Map();
    if (a.children) for (const [e, c] of a.children) { const u = unionNode(c, b.children?.get(e)); if (u) ch.set(e, u); }
    if (b.children) for (const [e, c] of b.children) if (!a.children?.has(e)) { const u = c.clone(); if (!u.isEmpty()) ch.set(e, u); }
  }
  return node(a.member || b.member, ch);
}

/** a ∖ b: paths of a that are not members of b (descendants of b's members stay). */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  return diffNode(a, b, false) ?? new FieldSet();
}
/** a ∖ b where a member of b also removes every longer path under it (upstream RecursiveDifference). */
export function recursiveDifference(a: FieldSet, b: FieldSet): FieldSet {
  return diffNode(a, b, true) ?? new FieldSet();
}
function diffNode(a: FieldSet, b: FieldSet | undefined, recursive: boolean): FieldSet | undefined {
  if (!b || b.isEmpty()) return a.isEmpty() ? undefined : a.clone();
  let ch: Map<PathElement, FieldSet> | undefined;
  if (a.children) {
    ch = new Map();
    for (const [e, c] of a.children) {
      const bc = b.children?.get(e);
      if (recursive && bc?.member) continue;
      const d = diffNode(c, bc, recursive);
      if (d) ch.set(e, d);
    }
  }
  return node(a.member && !b.member, ch);
}

/** a ∩ b. */
export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  return interNode(a, b) ?? new FieldSet();
}
function interNode(a: FieldSet, b: FieldSet): FieldSet | undefined {
  let ch: Map<PathElement, FieldSet> | undefined;
  if (a.children && b.children) {
    ch = new Map();
    const [small, big] = a.children.size <= b.children.size ? [a.children, b.children] : [b.children, a.children];
    for (const [e, c] of small) {
      const o = big.get(e);
      if (!o) continue;
      const i = interNode(c, o);
      if (i) ch.set(e, i);
    }
  }
  return node(a.member && b.member, ch);
}

/** Every member path, in upstream iteration order (a node's members first, then its children's paths). */
export function paths(set: FieldSet): Path[] {
  const out: Path[] = [];
  const walk = (n: FieldSet, prefix: Path) => {
    const els = n.sortedElements();
    for (const e of els) if (n.children!.get(e)!.member) out.push([...prefix, e]);
    for (const e of els) { const c = n.children!.get(e)!; if (c.children?.size) walk(c, [...prefix, e]); }
  };
  walk(set, []);
  return out;
}

/**
 * The fields `obj` sets, by `schema` (upstream ToFieldSet): scalars and atomic values are
 * leaves; items of map-keyed lists and sets are members (`k:{..}` / `v:..`); map entries
 * are members; struct fields are members only when null or `{}` (otherwise their
 * leaves stand for them). Non-atomic empty lists add nothing, as upstream.
 */
export function fieldsOf(obj: unknown, schema: SsaSchema | undefined): FieldSet {
  const root = new FieldSet();
  walkValue(obj, schema, root, true);
  return normalize(root);
}

/** Fills `n` (the node of `v`'s path) with the paths `v` sets. */
function walkValue(v: unknown, schema: SsaSchema | undefined, n: FieldSet, isRoot = false): void {
  const a = atomOf(schema);
  if (v === null || v === undefined) { if (!isRoot) n.member = true; return; }
  switch (a.kind) {
    case 'struct':
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) { n.member = true; return; }
      for (const [k, cv] of Object.entries(v as Record<string, unknown>)) {
        if (cv === undefined) continue;
        const c = n.ensure(fieldElement(k));
        const named = a.kind === 'struct' && isNamedField(a.schema, k);
        walkValue(cv, fieldSchema(a.schema, k), c);
        if (!named || cv === null || (typeof cv === 'object' && !Array.isArray(cv) && Object.keys(cv).length === 0)) c.member = true;
      }
      return;
    }
    case 'set':
    case 'mapList': {
      if (!Array.isArray(v)) { n.member = true; return; }
      const items = a.schema.items;
      v.forEach((item, i) => {
        const e = a.kind === 'set' ? valueElement(item) : keyElement(item, a.keys, i);
        const c = n.ensure(e);
        if (a.kind === 'mapList') walkValue(item, items, c);
        c.member = true;
      });
      return;
    }
    default:
      if (!isRoot) n.member = true;
  }
}

/** A FieldsV1 value: nested objects keyed by path element strings, `"."` marking a member that also has children. */
export type FieldsV1 = { [k: string]: FieldsV1 };

/**
 * The FieldsV1 JSON of `set` (upstream serialize.go): keys in path-element order; a
 * member without children is `{}`; a member with children carries `".": {}` first.
 */
export function toFieldsV1(set: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  for (const e of set.sortedElements()) out[e] = encodeNode(set.children!.get(e)!);
  return out;
}
function encodeNode(n: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  if (!n.children || n.children.size === 0) return out;
  if (n.member) out['.'] = {};
  for (const e of n.sortedElements()) out[e] = encodeNode(n.children.get(e)!);
  return out;
}

/** Parses a FieldsV1 value (object or its JSON text) into a set. Throws Error on malformed input. */
export function fromFieldsV1(v: FieldsV1 | string | undefined | null): FieldSet {
  const obj = typeof v === 'string' ? JSON.parse(v) : v;
  const root = new FieldSet();
  if (obj == null) return root;
  if (typeof obj !== 'object' || Array.isArray(obj)) throw new Error('FieldsV1: expected an object');
  decodeInto(obj as Record<string, unknown>, root);
  return normalize(root);
}
function decodeInto(obj: Record<string, unknown>, n: FieldSet): void {
  for (const [k, v] of Object.entries(obj)) {
    if (k === '.') { n.member = true; continue; }
    if (!/^[fkvi]:/.test(k)) throw new Error(`FieldsV1: invalid path element ${JSON.stringify(k)}`);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`FieldsV1: value of ${JSON.stringify(k)} must be an object`);
    const c = n.ensure(k);
    const entries = Object.keys(v);
    if (entries.length === 0) c.member = true;
    else decodeInto(v as Record<string, unknown>, c);
  }
}
