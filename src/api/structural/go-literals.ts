/**
 * Checks of string literals that Go decodes with its own parsers, returning the error
 * text Go produces (undefined when the literal is accepted).
 */

/**
 * Go's base64.StdEncoding.Decode (what encoding/json uses for `[]byte`): padding is
 * required, `\r`/`\n` are skipped, the first bad position is reported as
 * `illegal base64 data at input byte N` (N counts bytes of the UTF-8 string).
 */
export function base64Error(s: string): string | undefined {
  const src = Buffer.from(s, 'utf8');
  const valid = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
  const nl = (c: number): boolean => c === 0x0a || c === 0x0d;
  const fail = (at: number): string => `illegal base64 data at input byte ${at}`;
  let si = 0;
  while (si < src.length) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return fail(si - j);
      }
      const c = src[si++];
      if (valid(c)) continue;
      if (nl(c)) { j--; continue; }
      if (c !== 0x3d) return fail(si - 1);
      if (j < 2) return fail(si - 1);
      if (j === 2) {
        while (si < src.length && nl(src[si])) si++;
        if (si === src.length) return fail(src.length);
        if (src[si] !== 0x3d) return fail(si - 1);
        si++;
      }
      while (si < src.length && nl(src[si])) si++;
      if (si < src.length) return fail(si);
      return undefined;
    }
  }
  return undefined;
}

const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIXES = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);

/**
 * resource.ParseQuantity on the (trimmed) text of a JSON string or number: an empty or
 * malformed number gives the "quantities must match the regular expression ..." error,
 * an unknown suffix "unable to parse quantity's suffix".
 */
export function quantityError(text: string): string | undefined {
  const s = text.trim();
  const m = /^[+-]?([0-9]*)(?:\.([0-9]*))?(.*)$/s.exec(s);
  if (!s || !m || (!m[1] && !m[2])) return QUANTITY_FORMAT;
  const suffix = m[3];
  if (SUFFIXES.has(suffix) || /^[eE][+-]?[0-9]+$/.test(suffix)) return undefined;
  if (!/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) return QUANTITY_FORMAT;
  return "unable to parse quantity's suffix";
}

/** time.ParseDuration (metav1.Duration): `time: invalid duration "x"` on failure. */
export function durationError(s: string): string | undefined {
  if (s === '0' || /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(s)) return undefined;
  return `time: invalid duration ${JSON.stringify(s)}`;
}
