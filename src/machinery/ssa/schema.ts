/**
 * Schema classification for server-side apply: turns a kind's JSON schema node into the
 * structured-merge-diff atom kinds (struct / map / list / scalar / atomic).
 * Upstream: sigs.k8s.io/structured-merge-diff schema.Map/List/Scalar, as derived from
 * OpenAPI by k8s.io/kube-openapi (lists without `x-kubernetes-list-type` are atomic).
 */

/** A JSON schema node as the library reads it (plain object, extra keys ignored). */
export interface SsaSchema {
  type?: string | string[];
  properties?: Record<string, SsaSchema>;
  items?: SsaSchema;
  additionalProperties?: SsaSchema | boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [k: string]: unknown;
}

/** The atom a schema node denotes. `atomic` covers scalars, atomic maps/lists and unknown subtrees. */
export type Atom =
  | { kind: 'atomic' }
  | { kind: 'struct'; schema: SsaSchema }
  | { kind: 'map'; schema: SsaSchema }
  | { kind: 'set'; schema: SsaSchema }
  | { kind: 'mapList'; schema: SsaSchema; keys: string[] };

const ATOMIC: Atom = { kind: 'atomic' };
const cache = new WeakMap<object, Atom>();

/** Classifies `schema` (cached per schema object). Undefined schema = atomic leaf. */
export function atomOf(schema: SsaSchema | undefined): Atom {
  if (!schema || typeof schema !== 'object') return ATOMIC;
  const hit = cache.get(schema);
  if (hit) return hit;
  let a: Atom = ATOMIC;
  const t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema['x-kubernetes-preserve-unknown-fields']) a = ATOMIC;
  else if (t === 'array' || (t === undefined && schema.items)) {
    const lt = schema['x-kubernetes-list-type'];
    const keys = schema['x-kubernetes-list-map-keys'];
    if (lt === 'set') a = { kind: 'set', schema };
    else if (lt === 'map' && Array.isArray(keys) && keys.length > 0) a = { kind: 'mapList', schema, keys: [...keys].sort(cmpStr) };
  } else if (t === 'object' || (t === undefined && (schema.properties || schema.additionalProperties))) {
    const hasProps = !!schema.properties && Object.keys(schema.properties).length > 0;
    const ap = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    if (schema['x-kubernetes-map-type'] === 'atomic') a = ATOMIC;
    else if (hasProps) a = { kind: 'struct', schema };
    else if (ap) a = { kind: 'map', schema };
  }
  cache.set(schema, a);
  return a;
}

/**
 * Schema of field `name` of a struct/map node; undefined (treated as an atomic leaf) when
 * the schema declares no such field and has no `additionalProperties`.
 */
export function fieldSchema(schema: SsaSchema, name: string): SsaSchema | undefined {
  const p = schema.properties;
  if (p && Object.prototype.hasOwnProperty.call(p, name)) return p[name];
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** Whether `name` is a declared (named) field of a struct node (not a map key). */
export function isNamedField(schema: SsaSchema | undefined, name: string): boolean {
  return !!schema?.properties && Object.prototype.hasOwnProperty.call(schema.properties, name);
}

/** Bytewise-ish string order (as Go's strings.Compare for BMP text). */
export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
