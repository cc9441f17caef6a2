/**
 * Go duration text (Go's time.ParseDuration, unsigned): one or more decimal numbers, each
 * with a unit `ns`, `us`/`µs`, `ms`, `s`, `m` or `h` — e.g. `1h30m`, `90s`, `1.5h`,
 * `500ms`. Used for flags (`--snapshot-interval`, `--cluster-signing-duration`), CronJob
 * `@every` schedules and metrics windows.
 */
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

/** Milliseconds of `text`, or undefined when it is not a Go duration (sign and the bare `0` are not accepted). */
export function parseGoDurationMs(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(PART)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}
