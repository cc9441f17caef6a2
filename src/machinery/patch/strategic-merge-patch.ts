/**
 * Strategic merge patch, the server half: a port of the apply side of
 * k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (StrategicMergeMapPatch, v1.32)
 * with the error mapping of k8s.io/apiserver/pkg/endpoints/handlers/patch.go
 * (interpretStrategicMergePatchError). Semantics as documented in the community doc
 * "strategic-merge-patch.md" and design-proposals-archive "preserve-order-in-strategic-merge-patch.md":
 *
 * - maps merge key by key; `null` deletes a key;
 * - lists whose schema says `x-kubernetes-patch-strategy: merge` merge element-wise by
 *   `x-kubernetes-patch-merge-key` (lists of maps) or as sets (lists of scalars); every
 *   other list is replaced wholesale;
 * - `$patch: replace` in a map replaces it, `$patch: delete` empties it (any other value,
 *   `merge` included, is "unknown patch type"); as a list element `{$patch: replace}`
 *   replaces the list, `{<key>: v, $patch: delete}` deletes the elements with that key,
 *   `{$patch: merge}` is "merging lists cannot yet be specified in the patch";
 * - `$retainKeys: [...]` clears the keys of the live map not listed (every non-null key of
 *   the patch must be listed), then the patch merges;
 * - `$deleteFromPrimitiveList/<list>: [...]` removes those scalars from a merging list;
 * - `$setElementOrder/<list>: [...]` orders a merging list: patch items in that order,
 *   server-only items keep their live relative order and are interleaved by it.
 *
 * The patch metadata comes from the kind's schema (src/api/schema.ts, src/api/structural/):
 * `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` on the list's schema.
 *
 * Errors are Status objects as upstream's handler answers them: the sentinel format
 * errors of k8s.io/apimachinery/pkg/util/mergepatch/errors.go are 400 BadRequest,
 * "lists of lists are not supported" is the generic 422 Invalid. Every other error
 * (missing merge key, unknown patch type, order mismatch, ...) carries upstream's Go
 * error text; upstream answers those with a 500, but they are the client's malformed
 * patch and k8ts never answers bad input with a 5xx, so they are 400 BadRequest.
 * Go's `%v`/`%s` renderings of the offending values are reproduced.
 *
 * Known differences: a field the schema does not describe merges as a plain map / is
 * replaced as a list, where upstream's struct lookup fails ("unable to find api field in
 * struct ..."), since k8ts schemas admit additional properties; where Go would panic
 * (maps compared as merge-key values or set members) values are simply unequal here.
 */
import type { TSchema } from '@sinclair/typebox';
import { badRequest, StatusError } from '../errors.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

const DIRECTIVE_MARKER = '$patch';
const DELETE_DIRECTIVE = 'delete';
const REPLACE_DIRECTIVE = 'replace';
const MERGE_DIRECTIVE = 'merge';
const RETAIN_KEYS_STRATEGY = 'retainKeys';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

// ---- errors (k8s.io/apimachinery/pkg/util/mergepatch/errors.go, apiserver patch.go) ----

/** mergepatch's sentinel errors that interpretStrategicMergePatchError turns into 400 BadRequest. */
const ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST = 'invalid patch format of setElementOrder list';

/** ErrNoListOfLists: NewGenericServerResponse(422, ...) keeps only the generic message. */
function errNoListOfLists(): StatusError {
  return new StatusError({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request', details: {} });
}
/** Any other error of the patch: upstream's text, as a 400 (upstream: a 500 with reason Unknown). */
function errUnknown(message: string): StatusError {
  return badRequest(message);
}
/** mergepatch.ErrNoMergeKey. */
const errNoMergeKey = (m: unknown, key: string): StatusError => errUnknown(`map: ${goV(m)} does not contain declared merge key: ${key}`);
/** mergepatch.ErrBadArgType: `expected a <type>, but received a <type>` (reflect type names). */
const errBadArgType = (expected: string, actual: unknown): StatusError => errUnknown(`expected a ${expected}, but received a ${goTypeName(actual)}`);
/** mergepatch.ErrBadPatchType: `unknown patch type: %s in map: %v`. */
const errBadPatchType = (t: unknown, m: Obj): StatusError => errUnknown(`unknown patch type: ${goS(t)} in map: ${goV(m)}`);

const MAP_TYPE = 'map[string]interface {}';
const SLICE_TYPE = '[]interface {}';

/** The Go dynamic type a decoded JSON value has upstream (integers decode as int64: UnmarshalCaseSensitivePreserveInts / ToUnstructured). */
type GoKind = 'nil' | 'map' | 'slice' | 'string' | 'int64' | 'float64' | 'bool';
function goKind(v: unknown): GoKind {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return Number.isInteger(v) ? 'int64' : 'float64';
}
function goTypeName(v: unknown): string {
  const k = goKind(v);
  return k === 'nil' ? '%!s(<nil>)' : k === 'map' ? MAP_TYPE : k === 'slice' ? SLICE_TYPE : k;
}
/** Go's `%v` of a float64 (strconv 'g', shortest; exponent form below 1e-4 and from 1e6). */
function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const [mant, exp] = n.toExponential().split('e') as [string, string];
  const x = Number(exp);
  if (x < -4 || x >= 6) return `${mant}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  return String(n);
}
function goInt(n: number): string {
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}
/** Go's `%v` of a decoded JSON value (maps print `map[k:v ...]` with sorted keys). */
function goV(v: unknown): string {
  switch (goKind(v)) {
    case 'nil': return '<nil>';
    case 'slice': return `[${(v as unknown[]).map(goV).join(' ')}]`;
    case 'map': return `map[${Object.keys(v as Obj).sort().map((k) => `${k}:${goV((v as Obj)[k])}`).join(' ')}]`;
    case 'int64': return goInt(v as number);
    case 'float64': return goFloat(v as number);
    default: return String(v);
  }
}
/** Go's `%s` of a decoded JSON value (non-strings print as `%!s(type=value)`). */
function goS(v: unknown): string {
  switch (goKind(v)) {
    case 'nil': return '%!s(<nil>)';
    case 'string': return v as string;
    case 'slice': return `[${(v as unknown[]).map(goS).join(' ')}]`;
    case 'map': return `map[${Object.keys(v as Obj).sort().map((k) => `${k}:${goS((v as Obj)[k])}`).join(' ')}]`;
    case 'int64': return `%!s(int64=${goInt(v as number)})`;
    case 'float64': return `%!s(float64=${goFloat(v as number)})`;
    default: return `%!s(bool=${String(v)})`;
  }
}

// ---- patch metadata from the schema (upstream: PatchMetaFromStruct over the Go types' patch tags) ----

type S = TSchema & { properties?: Record<string, TSchema>; patternProperties?: Record<string, TSchema>; additionalProperties?: unknown; items?: TSchema; type?: string; format?: string };

/** The schema of property `key` of an object schema (or of a map's values); undefined when unknown. */
function propSchema(schema: TSchema | undefined, key: string): S | undefined {
  if (!schema) return undefined;
  const s = schema as S;
  if (s.properties && hasOwn(s.properties, key)) return s.properties[key] as S;
  if (s.patternProperties) return Object.values(s.patternProperties)[0] as S;
  if (isObject(s.additionalProperties)) return s.additionalProperties as S;
  return undefined;
}

interface PatchMeta { schema: S | undefined; strategy: string; mergeKey: string }

/**
 * The patch strategy (retainKeys taken out, as extractRetainKeysPatchStrategy) and merge
 * key of field `key`, with its schema (for a list: the items' schema).
 */
function lookupPatchMeta(schema: TSchema | undefined, key: string, list: boolean): PatchMeta {
  const s = propSchema(schema, key);
  const strategies = String((s as Obj | undefined)?.['x-kubernetes-patch-strategy'] ?? '').split(',').filter(Boolean);
  const others = strategies.filter((x) => x !== RETAIN_KEYS_STRATEGY);
  if (others.length > 1 || strategies.length > 2) throw errUnknown(`unexpected patch strategy: [${strategies.join(' ')}]`);
  return { schema: list ? s?.items as S | undefined : s, strategy: others[0] ?? '', mergeKey: String((s as Obj | undefined)?.['x-kubernetes-patch-merge-key'] ?? '') };
}
/** PatchMetaFromStruct.Name(): the Go kind of a list's elements, named in "cannot merge lists without merge key for %s". */
function elementKindName(items: S | undefined): string {
  switch (items?.type) {
    case 'string': return 'string';
    case 'integer': return items.format === 'int32' ? 'int32' : 'int64';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
    case 'object': return items.properties ? 'struct' : 'map';
    default: return 'struct';
  }
}

// ---- entry point ----

/**
 * Applies a strategic merge patch to `original` (neither argument is modified) under the
 * kind's `schema`: upstream's StrategicMergeMapPatch with MergeParallelList and
 * IgnoreUnmatchedNulls, as the apiserver's patch handler calls it. Throws a StatusError
 * worded as upstream's for malformed patches.
 */
export function applyStrategicMergePatch<T>(original: T, patch: unknown, schema: TSchema | undefined): T {
  // The handler decodes the body into a map[string]interface{}: `null` leaves it empty, anything else but an object fails.
  if (patch === null || patch === undefined) return structuredClone(original);
  if (!isObject(patch)) {
    const what = Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch === 'number' ? 'number' : 'string';
    throw badRequest(`json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
  }
  const base: Obj = isObject(original) ? structuredClone(original) : {};
  return mergeMap(base, structuredClone(patch), schema) as T;
}

// ---- mergeMap and its helpers (patch.go) ----

function setKey(o: Obj, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** mergeMap: merges `patch` into `original` (both owned, mutated). */
function mergeMap(original: Obj, patch: Obj, schema: TSchema | undefined): Obj {
  if (hasOwn(patch, DIRECTIVE_MARKER)) return handleDirectiveInMergeMap(patch[DIRECTIVE_MARKER], patch);
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, schema);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey];
    let k = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      const noPrefixKey = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      isDeleteList = true;
      if (noPrefixKey.length > 0) k = noPrefixKey;
    }
    // null deletes the key (unmatched nulls are ignored on the server).
    if (patchV === null) { delete original[k]; continue; }

    const takePatchValue = (): void => {
      if (isDeleteList) return;
      discardNullValuesFromPatch(patchV);
      const [v, keep] = removeDirectives(patchV);
      if (keep) setKey(original, k, v);
      else delete original[k];
    };
    if (!hasOwn(original, k)) { takePatchValue(); continue; }
    const kind = goKind(original[k]);
    if (kind !== goKind(patchV)) { takePatchValue(); continue; }
    if (kind === 'map') {
      const meta = lookupPatchMeta(schema, k, false);
      setKey(original, k, meta.strategy === REPLACE_DIRECTIVE ? patchV : mergeMap(original[k] as Obj, patchV as Obj, meta.schema));
    } else if (kind === 'slice') {
      setKey(original, k, mergeSliceHandler(original[k] as unknown[], patchV as unknown[], lookupPatchMeta(schema, k, true), isDeleteList));
    } else {
      const [v, keep] = removeDirectives(patchV);
      if (keep) setKey(original, k, v);
      else delete original[k];
    }
  }
  return original;
}

/** handleDirectiveInMergeMap: `$patch: replace` → the patch itself, `delete` → {}, anything else is an unknown patch type. */
function handleDirectiveInMergeMap(directive: unknown, patch: Obj): Obj {
  if (directive === REPLACE_DIRECTIVE) { delete patch[DIRECTIVE_MARKER]; return patch; }
  if (directive === DELETE_DIRECTIVE) return {};
  throw errBadPatchType(directive, patch);
}

/** extractKey: `<prefix>/<field>` → field; a directive key without `/` is a format error. */
function extractKey(s: string, prefix: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX) throw badRequest(ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST);
    if (prefix === SET_ELEMENT_ORDER_PREFIX) throw badRequest(ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST);
    throw errUnknown(`fail to find unknown prefix "${prefix}" in ${s}\n`);
  }
  return s.slice(i + 1);
}

/**
 * applyRetainKeysDirective: with `$retainKeys`, keys of original not listed are cleared;
 * every non-null, non-parallel-list key of the patch must be listed.
 */
function applyRetainKeysDirective(original: Obj, patch: Obj): void {
  if (!hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retainKeys = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retainKeys)) throw badRequest(ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || k.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!retainKeys.includes(k)) throw badRequest(ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!retainKeys.includes(k)) delete original[k];
}

/**
 * mergePatchIntoOriginal: each `$setElementOrder/<list>` merges its list (if patched) and
 * orders the result — $setElementOrder > order in the patch > order in the live list.
 */
function mergePatchIntoOriginal(original: Obj, patch: Obj, schema: TSchema | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType(SLICE_TYPE, order);
    const originalKey = extractKey(key, SET_ELEMENT_ORDER_PREFIX);
    const foundOriginal = hasOwn(original, originalKey);
    const foundPatch = hasOwn(patch, originalKey);
    const originalList = original[originalKey];
    const patchList = patch[originalKey];
    if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType(SLICE_TYPE, originalList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType(SLICE_TYPE, patchList);
    const originalFieldValue = foundOriginal ? (originalList as unknown[]) : [];
    const patchFieldValue = foundPatch ? (patchList as unknown[]) : [];
    const meta = lookupPatchMeta(schema, originalKey, true);
    validatePatchWithSetOrderList(patchFieldValue, order, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalFieldValue;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchFieldValue)[0] as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalFieldValue.slice(), patchFieldValue, meta, false);
    else continue;

    const [patchItems, serverOnlyItems] = meta.mergeKey
      ? partitionMapsByPresentInList(merged, order, meta.mergeKey)
      : partitionPrimitivesByPresentInList(merged, order);
    const kind = sliceElementType(originalFieldValue, patchFieldValue);
    setKey(original, originalKey, normalizeElementOrder(patchItems, serverOnlyItems, order, originalFieldValue, meta.mergeKey, kind));
    delete patch[originalKey];
  }
}

/**
 * validatePatchWithSetOrderList: the patch list's items (deletions and directive
 * elements aside) must appear in the $setElementOrder list, in the same relative order.
 */
function validatePatchWithSetOrderList(patchList: unknown[], setOrderList: unknown[], mergeKey: string): void {
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let p = 0;
  let o = 0;
  while (p < nonDelete.length && o < setOrderList.length) {
    if (isObject(nonDelete[p]) && hasOwn(nonDelete[p] as Obj, DIRECTIVE_MARKER)) { p++; continue; }
    if (mergeKeyValueEqual(nonDelete[p], setOrderList[o], mergeKey)) p++;
    o++;
  }
  if (p < nonDelete.length && o >= setOrderList.length) {
    throw errUnknown(`The order in patch list:\n${goV(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goV(setOrderList)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isObject(left)) throw errBadArgType(MAP_TYPE, left);
  if (!isObject(right)) throw errBadArgType(MAP_TYPE, right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** extractToDeleteItems: splits a list of maps into kept items and `$patch: delete` items. */
function extractToDeleteItems(l: unknown[]): [unknown[], unknown[]] {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of l) {
    if (!isObject(v)) throw errBadArgType(MAP_TYPE, v);
    if (hasOwn(v, DIRECTIVE_MARKER) && v[DIRECTIVE_MARKER] === DELETE_DIRECTIVE) toDelete.push(v);
    else nonDelete.push(v);
  }
  return [nonDelete, toDelete];
}

/** discardNullValuesFromPatch: nulls in a value taken from the patch are dropped (IgnoreUnmatchedNulls). */
function discardNullValuesFromPatch(v: unknown): void {
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNullValuesFromPatch(x);
    }
  } else if (Array.isArray(v)) {
    for (const x of v) discardNullValuesFromPatch(x);
  }
}

/**
 * removeDirectives: a value taken from the patch as is loses every map carrying `$patch`
 * (the field or list element is dropped); other `$` keys stay, as upstream.
 */
function removeDirectives(obj: unknown): [unknown, boolean] {
  if (isObject(obj)) {
    if (hasOwn(obj, DIRECTIVE_MARKER)) return [undefined, false];
    for (const k of Object.keys(obj)) {
      const [v, keep] = removeDirectives(obj[k]);
      if (keep) setKey(obj, k, v);
      else delete obj[k];
    }
    return [obj, true];
  }
  if (Array.isArray(obj)) {
    const res: unknown[] = [];
    for (const v of obj) {
      const [nv, keep] = removeDirectives(v);
      if (keep) res.push(nv);
    }
    return [res, true];
  }
  return [obj, true];
}

// ---- lists (mergeSliceHandler, mergeSlice and helpers) ----

/**
 * mergeSliceHandler: lists merge only under the `merge` strategy, otherwise the patch list
 * replaces the live one; a `$deleteFromPrimitiveList` list applies whatever the strategy.
 */
function mergeSliceHandler(original: unknown[], patch: unknown[], meta: PatchMeta, isDeleteList: boolean): unknown[] {
  if (meta.strategy === MERGE_DIRECTIVE || isDeleteList) return mergeSlice(original, patch, meta, isDeleteList);
  return patch;
}

/** mergeSlice: scalars union (or `$deleteFromPrimitiveList` removal), maps merge by key; then the order is normalized. */
function mergeSlice(original: unknown[], patch: unknown[], meta: PatchMeta, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementType(original, patch);
  const mergeKey = meta.mergeKey;
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw errUnknown(`cannot merge lists without merge key for ${elementKindName(meta.schema)}`);
    [original, patch] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, meta.schema);
  }
  const [patchItems, serverOnlyItems] = mergeKey
    ? partitionMapsByPresentInList(merged, patch, mergeKey)
    : partitionPrimitivesByPresentInList(merged, patch);
  return normalizeElementOrder(patchItems, serverOnlyItems, patch, original, mergeKey, kind);
}

/** sliceElementType: all elements of the lists share one type, which is not a list. */
function sliceElementType(...slices: unknown[][]): GoKind {
  let prev: GoKind | undefined;
  for (const s of slices) {
    for (const v of s) {
      const cur = goKind(v);
      if (prev === undefined) {
        prev = cur;
        if (prev === 'slice') throw errNoListOfLists();
      } else if (prev !== cur) {
        throw errUnknown(`list element types are not identical: ${goV(slices)}`);
      }
    }
  }
  if (prev === undefined) throw errUnknown('no elements in any of the given slices');
  return prev;
}

/** mergeSliceWithSpecialElements: applies `$patch` list elements (delete by key, replace the whole list). */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const typed = v as Obj;
    if (!hasOwn(typed, DIRECTIVE_MARKER)) { plain.push(v); continue; }
    const patchType = typed[DIRECTIVE_MARKER];
    if (patchType === DELETE_DIRECTIVE) {
      if (!hasOwn(typed, mergeKey)) throw errNoMergeKey(typed, mergeKey);
      original = deleteMatchingEntries(original, mergeKey, typed[mergeKey]);
    } else if (patchType === REPLACE_DIRECTIVE) {
      replace = true; // keep going to prune the other $patch elements
    } else if (patchType === MERGE_DIRECTIVE) {
      throw errUnknown('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(patchType, typed);
    }
  }
  return replace ? [plain, []] : [original, plain];
}

function deleteMatchingEntries(original: unknown[], mergeKey: string, mergeValue: unknown): unknown[] {
  const out = original.slice();
  for (;;) {
    const [, idx, found] = findMapInSliceBasedOnKeyValue(out, mergeKey, mergeValue);
    if (!found) return out;
    out.splice(idx, 1);
  }
}

/** mergeSliceWithoutSpecialElements: each patch element merges into the live element with its key, or is appended. */
function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, itemSchema: TSchema | undefined): unknown[] {
  const out = original.slice();
  for (const v of patch) {
    const typed = v as Obj;
    if (!hasOwn(typed, mergeKey)) throw errNoMergeKey(typed, mergeKey);
    const [found, idx, ok] = findMapInSliceBasedOnKeyValue(out, mergeKey, typed[mergeKey]);
    if (ok) out[idx] = mergeMap(found!, typed, itemSchema);
    else out.push(v);
  }
  return out;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  return current.filter((v) => !toDelete.includes(v));
}

function findMapInSliceBasedOnKeyValue(m: unknown[], key: string, value: unknown): [Obj | undefined, number, boolean] {
  for (let k = 0; k < m.length; k++) {
    const v = m[k];
    if (!isObject(v)) throw errUnknown(`value for key ${k} is not a map.`);
    if (hasOwn(v, key) && v[key] === value) return [v, k, true];
  }
  return [undefined, 0, false];
}

/** deduplicateScalars: upstream's in-place dedup (moves the last element into a duplicate's slot). */
function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function partitionPrimitivesByPresentInList(original: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) (partitionBy.includes(v) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

function partitionMapsByPresentInList(original: unknown[], partitionBy: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) {
    if (!isObject(v)) throw errBadArgType(MAP_TYPE, v);
    if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    const [, , found] = findMapInSliceBasedOnKeyValue(partitionBy, mergeKey, v[mergeKey]);
    (found ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

/**
 * normalizeElementOrder: patch items sorted by `patchOrder`, server-only items by
 * `serverOrder`, then interleaved by the live order (mergeSortedSlice).
 */
function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: GoKind): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/**
 * mergeSortedSlice: a server-only item goes before the next patch item only when both are
 * in the live list and it came first there; new patch items therefore precede the
 * server-only items that follow the last live patch item.
 */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: GoKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** index: position of an item in `l`, by merge key value for maps, by value otherwise. */
function indexOf(l: unknown[], val: unknown, mergeKey: string, kind: GoKind): number {
  const get = kind === 'map' ? (x: unknown): unknown => (isObject(x) ? (x[mergeKey] ?? null) : null) : (x: unknown): unknown => x;
  const want = get(val);
  return l.findIndex((v) => get(v) === want);
}

/** normalizeSliceOrder: sort.SliceStable by position in `order`; `$patch: delete` items go last. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: GoKind): unknown[] {
  let toDelete: unknown[] = [];
  let items = toSort.slice();
  if (kind === 'map') {
    for (const list of [items, order]) {
      for (const item of list) {
        if (!isObject(item)) throw errBadArgType(MAP_TYPE, item);
        if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      }
    }
    [items, toDelete] = extractToDeleteItems(items);
  }
  goSliceStable(items, (a, b) => {
    const ii = indexOf(order, a, mergeKey, kind);
    if (ii >= 0) {
      const ij = indexOf(order, b, mergeKey, kind);
      if (ij >= 0) return ii < ij;
    }
    return true;
  });
  return [...items, ...toDelete];
}

/**
 * Go's sort.SliceStable (insertion sort in blocks of 20, then SymMerge), reproduced so
 * that upstream's not-quite-strict comparator orders exactly as it does there.
 */
function goSliceStable(data: unknown[], lessItems: (a: unknown, b: unknown) => boolean): void {
  const less = (i: number, j: number): boolean => lessItems(data[i], data[j]);
  const swap = (i: number, j: number): void => { const t = data[i]; data[i] = data[j]; data[j] = t; };
  const insertionSort = (a: number, b: number): void => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && less(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, n: number): void => { for (let i = 0; i < n; i++) swap(a + i, b + i); };
  const rotate = (a: number, m: number, b: number): void => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) { swapRange(m - i, m, j); i -= j; } else { swapRange(m - i, m + j - i, i); j -= i; }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) { const h = (i + j) >>> 1; if (less(h, a)) i = h + 1; else j = h; }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) { const h = (i + j) >>> 1; if (!less(m, h)) i = h + 1; else j = h; }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const n = mid + m;
    let start: number;
    let r: number;
    if (m > mid) { start = n - b; r = mid; } else { start = a; r = m; }
    const p = n - 1;
    while (start < r) { const c = (start + r) >>> 1; if (!less(p - c, c)) start = c + 1; else r = c; }
    const end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  const n = data.length;
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) { insertionSort(a, b); a = b; b += blockSize; }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) { symMerge(a, a + blockSize, b); a = b; b += 2 * blockSize; }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}
