/**
 * Opaque library values (a Quantity, a URL) in @bufbuild/cel, which has no way to declare
 * a new runtime type without protobuf messages: a one-entry CEL map whose key names the
 * type (`__k8s.quantity__`) and whose value is the canonical string. Methods are declared
 * on `map(string, dyn)` and check the tag, so a plain map never passes for one.
 */
import { celMap, isCelMap, type CelMap, type CelValue } from '@bufbuild/cel';

/** The tagged map that stands for a value of `type`. */
export function opaque(type: string, value: string): CelMap {
  return celMap(new Map([[`__k8s.${type}__`, value]]));
}

/** The string a tagged map of `type` holds; throws `no such overload` for anything else. */
export function opaqueValue(type: string, v: CelValue): string {
  const key = `__k8s.${type}__`;
  if (!isCelMap(v) || v.size !== 1 || !v.has(key)) throw new Error('no such overload');
  return v.get(key) as string;
}
