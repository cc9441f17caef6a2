/**
 * Resource quantities (k8s.io/apimachinery/pkg/api/resource): `100m`, `0.5`, `1Gi`,
 * `128Mi`, `1e3`, `1k`. {@link parseQuantity} returns the value as a number
 * (cpu `100m` → 0.1, memory `1Ki` → 1024). Throws Error on bad syntax.
 */
const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

const RE = /^([+-]?[0-9.]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** True when `q` is valid quantity syntax. */
export function isQuantity(q: unknown): boolean {
  if (typeof q === 'number') return Number.isFinite(q);
  return typeof q === 'string' && RE.test(q.trim()) && !Number.isNaN(Number(RE.exec(q.trim())![1]));
}

/** Value of a quantity; numbers pass through. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = RE.exec(q.trim());
  if (!m || Number.isNaN(Number(m[1]))) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? ''];
}

/** Milli-units (cpu cores → millicores), rounded up as upstream's MilliValue. */
export const milliValue = (q: string | number): number => Math.ceil(parseQuantity(q) * 1000 - 1e-9);

