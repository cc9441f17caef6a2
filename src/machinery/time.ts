/**
 * API timestamps (meta/v1 Time and MicroTime): RFC 3339 in UTC, seconds precision for
 * Time (`2026-01-02T03:04:05Z`), microseconds for MicroTime (`...05.123000Z`).
 */

/** meta/v1 Time of `date` (default now), optionally `plusSeconds` later. */
export const rfc3339 = (date: Date = new Date(), plusSeconds = 0): string =>
  new Date(Math.floor(date.getTime() / 1000) * 1000 + plusSeconds * 1000).toISOString().replace('.000Z', 'Z');

/** meta/v1 MicroTime of now. */
export const microTime = (date: Date = new Date()): string => date.toISOString().replace('Z', '000Z');

/** Waits `ms` milliseconds or until `signal` aborts, whichever is first; resolves either way and leaves no listener behind. */
export const sleepUntilAborted = (ms: number, signal: AbortSignal): Promise<void> => new Promise((r) => {
  if (signal.aborted) { r(); return; }
  const done = (): void => { clearTimeout(t); signal.removeEventListener('abort', done); r(); };
  const t = setTimeout(done, ms);
  signal.addEventListener('abort', done, { once: true });
});

/**
 * Calls `fn` once when `signal` aborts — at once when it already has (a plain
 * `addEventListener('abort')` never fires for a signal aborted before it was added, which
 * left work started during shutdown running forever). Returns a function that removes
 * the listener.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) { fn(); return () => {}; }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}
