/**
 * Kubernetes CEL regex library (upstream k8s.io/apiserver/pkg/cel/library/regex.go):
 * `s.find(re)` (the first match, '' when none), `s.findAll(re)` and `s.findAll(re, n)`
 * (at most n matches; n < 0: all). Patterns are RE2 syntax; JavaScript's RegExp accepts
 * the RE2 subset used in practice (no lookaround is used by RE2), an invalid pattern is
 * an evaluation error as upstream's compile error.
 */
import { celMethod, CelScalar, listType, type CelFunc } from '@bufbuild/cel';

const compile = (re: string, flags = ''): RegExp => {
  try { return new RegExp(re, flags); } catch (err) { throw new Error(`Illegal regex: ${(err as Error).message}`); }
};

/** The regex functions, for the environment's `funcs`. */
export const regexLibrary: CelFunc[] = [
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (re) {
    return compile(re).exec(this)?.[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (re) {
    return [...this.matchAll(compile(re, 'g'))].map((m) => m[0]);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (re, n) {
    const all = [...this.matchAll(compile(re, 'g'))].map((m) => m[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  }),
];
