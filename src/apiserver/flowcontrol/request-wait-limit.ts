/**
 * How long a request may wait in its queue (upstream server/filters/priority-and-fairness.go
 * getRequestWaitContext): a quarter of the request's deadline — its `?timeout=` (a Go
 * duration such as `32s`; upstream's default request timeout is 60 s, hence 15 s) — at most
 * one minute. Long-running requests (watches...) have no deadline and get the default.
 */

const MAX_WAIT_MS = 60_000;
const UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, 'µs': 1e-3, ns: 1e-6 };

/** A Go duration (`1m30s`, `500ms`, `2.5s`) in milliseconds; undefined when malformed. */
export function goDurationMs(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, n, u] of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) ms += Number(n) * UNITS[u];
  return ms;
}

/** The wait limit of a request with `query`; `defaultMs` when it has no valid positive `timeout` or is long-running. */
export function requestWaitLimitMs(query: URLSearchParams, opts: { longRunning: boolean; defaultMs: number }): number {
  const timeout = opts.longRunning ? undefined : goDurationMs(query.get('timeout') ?? '');
  return Math.min(timeout && timeout > 0 ? timeout / 4 : opts.defaultMs, MAX_WAIT_MS);
}
