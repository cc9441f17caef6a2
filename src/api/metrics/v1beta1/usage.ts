/**
 * How metrics-server writes usage quantities (metrics-server pkg/storage: cpu as
 * `resource.NewScaledQuantity(nanocores, -9)`, memory as
 * `resource.NewQuantity(bytes, BinarySI)`), in their canonical string form.
 */

const DECIMAL_SUFFIXES = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'];
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * CPU usage in nanocores (a non-negative number; fractions are truncated) as a decimal
 * quantity: the largest suffix that keeps the value whole — 1234567 → "1234567n",
 * 5000000 → "5m", 2000000000 → "2", 0 → "0".
 */
export function formatNanoCores(nanocores: number): string {
  let v = BigInt(Math.max(0, Math.trunc(nanocores)));
  if (v === 0n) return '0';
  let i = 0;
  while (v % 1000n === 0n && i < DECIMAL_SUFFIXES.length - 1) { v /= 1000n; i++; }
  return `${v}${DECIMAL_SUFFIXES[i]}`;
}

/**
 * Memory in bytes (non-negative; fractions truncated) as a binary quantity: the
 * largest power-of-1024 suffix that keeps the value whole — 126418944 → "123456Ki",
 * 1048576 → "1Mi", 1500 → "1500", 0 → "0".
 */
export function formatBytes(bytes: number): string {
  let v = BigInt(Math.max(0, Math.trunc(bytes)));
  if (v === 0n) return '0';
  let i = 0;
  while (v % 1024n === 0n && i < BINARY_SUFFIXES.length - 1) { v /= 1024n; i++; }
  return `${v}${BINARY_SUFFIXES[i]}`;
}

/** A window in ms as a Go duration string ("10s", "10.5s", "1m30s"). */
export function formatWindow(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${+s.toFixed(3)}s`;
  const m = Math.floor(s / 60);
  const rest = +(s - m * 60).toFixed(3);
  return `${m}m${rest}s`;
}
