/**
 * Kubernetes CEL list library (upstream k8s.io/apiserver/pkg/cel/library/lists.go):
 * `l.isSorted()`, `l.sum()`, `l.min()`, `l.max()`, `l.indexOf(x)`, `l.lastIndexOf(x)`
 * over lists of ints, doubles or strings. `min`/`max` of an empty list is an error
 * (upstream: `min called on empty list`); `sum` of an empty list is 0.
 */
import { celMethod, CelScalar, listType, type CelFunc, type CelList, type CelValue } from '@bufbuild/cel';

const dynList = listType(CelScalar.DYN);

/** -1, 0, 1 for comparable scalars (int, double, string, bool); throws for others. */
export function compareScalars(a: CelValue, b: CelValue): number {
  const ok = (v: unknown) => ['bigint', 'number', 'string', 'boolean'].includes(typeof v);
  if (!ok(a) || !ok(b)) throw new Error('no such overload');
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a !== 'string' || typeof b !== 'string') throw new Error('no such overload');
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = a as number | bigint | boolean;
  const y = b as number | bigint | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
}

const equal = (a: CelValue, b: CelValue): boolean => {
  try { return compareScalars(a, b) === 0; } catch { return a === b; }
};

function extreme(list: CelList, name: string, sign: 1 | -1): CelValue {
  const items = [...list];
  if (!items.length) throw new Error(`${name} called on empty list`);
  return items.reduce((m, v) => (compareScalars(v, m) * sign > 0 ? v : m));
}

/** The list functions, for the environment's `funcs`. */
export const listsLibrary: CelFunc[] = [
  celMethod('isSorted', dynList, [], CelScalar.BOOL, function () {
    const items = [...this];
    for (let i = 1; i < items.length; i++) if (compareScalars(items[i - 1], items[i]) > 0) return false;
    return true;
  }),
  celMethod('sum', dynList, [], CelScalar.DYN, function () {
    const items = [...this];
    if (!items.length) return 0n;
    if (items.every((v) => typeof v === 'bigint')) return (items as bigint[]).reduce((a, b) => a + b, 0n);
    if (items.every((v) => typeof v === 'number')) return (items as number[]).reduce((a, b) => a + b, 0);
    throw new Error('no such overload');
  }),
  celMethod('min', dynList, [], CelScalar.DYN, function () { return extreme(this, 'min', -1); }),
  celMethod('max', dynList, [], CelScalar.DYN, function () { return extreme(this, 'max', 1); }),
  celMethod('indexOf', dynList, [CelScalar.DYN], CelScalar.INT, function (x) {
    const items = [...this];
    return BigInt(items.findIndex((v) => equal(v, x)));
  }),
  celMethod('lastIndexOf', dynList, [CelScalar.DYN], CelScalar.INT, function (x) {
    const items = [...this];
    for (let i = items.length - 1; i >= 0; i--) if (equal(items[i], x)) return BigInt(i);
    return -1n;
  }),
];
