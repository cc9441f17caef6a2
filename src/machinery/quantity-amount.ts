/**
 * Exact quantities (k8s.io/apimachinery/pkg/api/resource Quantity:
 * Add and the canonical String form). Values are held as nano-units in a BigInt (finer
 * values round up to 1n, as upstream), with the format of the first non-zero addend:
 * `DecimalSI` ("500m", "2", "1500k"), `BinarySI` ("1Gi", "1536Mi"; below 1024 or
 * fractional, shown as DecimalSI) or `DecimalExponent` ("1e3").
 * Parsing accepts the syntax of machinery/quantity.ts.
 */
import { isQuantity } from './quantity.js';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A quantity: value in nano-units and its format. */
export interface Amount { nanos: bigint; format: QuantityFormat }

export const ZERO: Amount = { nanos: 0n, format: 'DecimalSI' };

const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POW: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

const pow10 = (e: number): bigint => 10n ** BigInt(e);
/** ceil(a / b) for b > 0. */
const ceilDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? (a + b - 1n) / b : a / b);

/**
 * Parses "250m", "1.5Gi", "1e3", or a number. Throws Error on bad syntax (as
 * machinery/quantity.ts words it).
 */
export function parseAmount(q: string | number): Amount {
  const text = typeof q === 'number' ? String(q) : q.trim();
  const m = RE.exec(text);
  if (!m || !isQuantity(q) || (!m[2] && !m[3])) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const [, sign, whole, frac = '', exp, suffix = ''] = m;
  // digits × 10^-frac.length, in nanos: digits × 10^(9 - frac.length) × multiplier
  const digits = BigInt(`${whole || '0'}${frac}`);
  let num = digits;
  let den = pow10(frac.length);
  let format: QuantityFormat = 'DecimalSI';
  if (exp) { format = 'DecimalExponent'; const e = Number(exp.slice(1)); if (e >= 0) num *= pow10(e); else den *= pow10(-e); }
  else if (suffix in BINARY_POW) { format = 'BinarySI'; num *= 1024n ** BigInt(BINARY_POW[suffix]); }
  else { const e = DECIMAL_EXP[suffix]; if (e >= 0) num *= pow10(e); else den *= pow10(-e); }
  const nanos = ceilDiv(num * pow10(9), den);
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

/** a + b; the result keeps a's format unless a is zero (upstream Quantity.Add). */
export const addAmount = (a: Amount, b: Amount): Amount => ({ nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format });

/** Canonical string (upstream Quantity.String): "0", "500m", "2", "1Gi", "1500Mi", "1e3". */
export function formatAmount(a: Amount): string {
  const { nanos } = a;
  if (nanos === 0n) return '0';
  const abs = nanos < 0n ? -nanos : nanos;
  const sign = nanos < 0n ? '-' : '';
  if (a.format === 'BinarySI' && abs % pow10(9) === 0n && abs / pow10(9) >= 1024n) {
    let v = abs / pow10(9);
    let k = 0;
    while (k < 6 && v % 1024n === 0n) { v /= 1024n; k++; }
    return `${sign}${v}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][k]}`;
  }
  // Largest exponent (a multiple of 3, from -9 to 18) that divides exactly.
  let e = -9;
  let mantissa = abs;
  while (e < 18 && mantissa % 1000n === 0n) { mantissa /= 1000n; e += 3; }
  if (a.format === 'DecimalExponent') return `${sign}${mantissa}${e === 0 ? '' : `e${e}`}`;
  const suffix = Object.entries(DECIMAL_EXP).find(([, x]) => x === e)![0];
  return `${sign}${mantissa}${suffix}`;
}

/** Whether two quantity strings (or numbers) denote the same value; unparsable ones compare as text. */
export function sameQuantity(a: string | number | undefined, b: string | number | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  try { return parseAmount(a).nanos === parseAmount(b).nanos; } catch { return String(a) === String(b); }
}
