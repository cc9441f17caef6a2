/**
 * JSON ⇄ CEL values for the admission CEL environment (upstream represents objects as
 * unstructured maps typed by their OpenAPI schema). Here, without schemas: objects become
 * CEL maps with string keys, arrays lists, integral numbers `int` (bigint), other numbers
 * `double`, null `null_type`. So `object.spec.replicas <= 5` compares ints, as upstream.
 */
import { celMap, isCelList, isCelMap, isCelUint, type CelInput, type CelValue } from '@bufbuild/cel';

/** A JSON value (object, array, string, number, boolean, null) as a CEL input. */
export function toCel(v: unknown): CelInput {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(toCel);
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'object') return celMap(new Map(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).map(([k, x]) => [k, toCel(x)])));
  return v as CelInput;
}

/** A CEL result as JSON: bigints become numbers, maps objects, lists arrays. */
export function fromCel(v: CelValue | unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (isCelUint(v)) return Number(v.value);
  if (isCelList(v)) return [...v].map(fromCel);
  if (isCelMap(v)) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), fromCel(x)]));
  return v;
}
