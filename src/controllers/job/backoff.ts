/**
 * Pod failure back-off of the Job controller (upstream pkg/controller/job
 * backoff_utils.go): after a pod fails, its replacement waits `base · 2^(n−1)`
 * (10 s, 20 s, 40 s, …) capped at `max` (6 min), where n counts the failures seen
 * since the last success. A success resets the count.
 */

/** Upstream's default base delay before replacing a failed pod (ms). */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
/** Upstream's cap on that delay (ms). */
export const MAX_POD_FAILURE_BACKOFF_MS = 6 * 60_000;

/** What the controller remembers per Job: failures since the last success and when the latest one was seen (ms since epoch). */
export interface BackoffRecord { failuresAfterLastSuccess: number; lastFailureTime: number }

/** Delay (ms) owed after `failures` consecutive failures: 0 for none, else base doubled per extra failure, capped at `maxMs`. */
export function failureBackoffDelay(failures: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (failures <= 0) return 0;
  // 2^(n-1) overflows quickly; cap the exponent before multiplying.
  const exp = Math.min(failures - 1, 30);
  return Math.min(baseMs * 2 ** exp, maxMs);
}

/** How long (ms, ≥ 0) pod creation must still wait at `now` under `record`. */
export function remainingBackoff(record: BackoffRecord | undefined, now: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (!record || record.failuresAfterLastSuccess <= 0) return 0;
  return Math.max(0, record.lastFailureTime + failureBackoffDelay(record.failuresAfterLastSuccess, baseMs, maxMs) - now);
}
