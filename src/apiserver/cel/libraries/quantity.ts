/**
 * Kubernetes CEL quantity library, the basics (upstream
 * k8s.io/apiserver/pkg/cel/library/quantity.go): `quantity(s)`, `isQuantity(s)`, and on a
 * quantity `isLessThan(q)`, `isGreaterThan(q)`, `compareTo(q)`, `add(q|int)`,
 * `sub(q|int)`, `sign()`, `isInteger()`, `asInteger()`, `asApproximateFloat()`. Values are
 * compared as JavaScript numbers (exact for the sizes seen in resources; upstream uses
 * arbitrary precision). A bad string is an evaluation error.
 */
import { celFunc, celMethod, CelScalar, mapType, type CelFunc } from '@bufbuild/cel';
import { isQuantity, parseQuantity } from '../../../machinery/quantity.js';
import { opaque, opaqueValue } from './opaque.js';

const Q = mapType(CelScalar.STRING, CelScalar.DYN);
const valueOf = (q: unknown): number => parseQuantity(opaqueValue('quantity', q as never));
const make = (s: string) => {
  if (!isQuantity(s)) throw new Error('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
  return opaque('quantity', s);
};
const cmp = (a: number, b: number) => BigInt(a < b ? -1 : a > b ? 1 : 0);

/** The quantity functions, for the environment's `funcs`. */
export const quantityLibrary: CelFunc[] = [
  celFunc('quantity', [CelScalar.STRING], Q, (s) => make(s)),
  celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, (s) => isQuantity(s)),
  celMethod('isLessThan', Q, [Q], CelScalar.BOOL, function (o) { return valueOf(this) < valueOf(o); }),
  celMethod('isGreaterThan', Q, [Q], CelScalar.BOOL, function (o) { return valueOf(this) > valueOf(o); }),
  celMethod('compareTo', Q, [Q], CelScalar.INT, function (o) { return cmp(valueOf(this), valueOf(o)); }),
  celMethod('add', Q, [Q], Q, function (o) { return make(String(valueOf(this) + valueOf(o))); }),
  celMethod('add', Q, [CelScalar.INT], Q, function (n) { return make(String(valueOf(this) + Number(n))); }),
  celMethod('sub', Q, [Q], Q, function (o) { return make(String(valueOf(this) - valueOf(o))); }),
  celMethod('sub', Q, [CelScalar.INT], Q, function (n) { return make(String(valueOf(this) - Number(n))); }),
  celMethod('sign', Q, [], CelScalar.INT, function () { return cmp(valueOf(this), 0); }),
  celMethod('isInteger', Q, [], CelScalar.BOOL, function () { const v = valueOf(this); return Number.isInteger(v) && Number.isSafeInteger(v); }),
  celMethod('asInteger', Q, [], CelScalar.INT, function () {
    const v = valueOf(this);
    if (!Number.isInteger(v) || !Number.isSafeInteger(v)) throw new Error('cannot convert value to integer');
    return BigInt(v);
  }),
  celMethod('asApproximateFloat', Q, [], CelScalar.DOUBLE, function () { return valueOf(this); }),
];
