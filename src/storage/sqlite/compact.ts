/**
 * Compaction (kine pkg/logstructured/sqllog compact, as a fact): for the revisions between
 * the watermark and the target, delete every row such a revision superseded and every
 * tombstone among them; the latest state of every live key stays, and each compaction
 * touches only the rows written since the previous one. The watermark is stored in
 * kine_meta so list/watch at older revisions give ResourceExpired, across restarts too.
 *
 * Two triggers keep the file bounded: a timer (`intervalMs`, upstream's
 * --etcd-compaction-interval, 5 min) and size — once more than `retain + everyRevisions`
 * revisions are uncompacted, the next commit schedules a compaction — so churn faster
 * than the timer cannot grow the log without bound. Freed pages are reused by SQLite,
 * and the WAL is truncated to `journal_size_limit` after each checkpoint.
 */
import type { LogContext } from './log-context.js';

/** Compacts at `revision`, capped at the committed revision (no-op when not above the watermark). */
export function compactLog(ctx: LogContext, revision: number): void {
  ctx.ensureOpen('');
  const rev = Math.min(revision, ctx.committedRevision);
  const from = ctx.compactedRevision;
  if (rev <= from) return;
  ctx.db.transaction(() => {
    ctx.stmts.compactSuperseded.run(from, rev);
    ctx.stmts.compactTombstones.run(from, rev);
    ctx.stmts.setMeta.run('compact_rev', rev);
  })();
  ctx.compactedRevision = rev;
}

/** When compaction runs: every `intervalMs` (0: no timer) and once `retain + everyRevisions` revisions are uncompacted (0: no size trigger). */
export interface CompactionPolicy { intervalMs: number; retain: number; everyRevisions: number }

/**
 * Starts the compactor; returns `{ afterCommit, stop }`. `afterCommit()` is called by the
 * backend after each commit and schedules a compaction (outside the commit) when the size
 * trigger fires. Failures are logged and retried at the next trigger; the timer does not
 * keep the process alive.
 */
export function startCompactor(ctx: LogContext, policy: CompactionPolicy): { afterCommit(): void; stop(): void } {
  let scheduled = false;
  let stopped = false;
  const run = (): void => {
    scheduled = false;
    if (stopped) return;
    try {
      if (ctx.committedRevision - policy.retain > ctx.compactedRevision) compactLog(ctx, ctx.committedRevision - policy.retain);
    } catch (err) {
      console.error(`storage: compaction failed: ${(err as Error).message}`);
    }
  };
  const timer = policy.intervalMs > 0 ? setInterval(run, policy.intervalMs) : undefined;
  timer?.unref();
  return {
    afterCommit() {
      if (scheduled || policy.everyRevisions <= 0) return;
      if (ctx.committedRevision - ctx.compactedRevision <= policy.retain + policy.everyRevisions) return;
      scheduled = true;
      setImmediate(run);
    },
    stop() { stopped = true; if (timer) clearInterval(timer); },
  };
}
