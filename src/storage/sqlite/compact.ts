/**
 * Compaction (kine pkg/logstructured/sqllog compact): delete every row at or below a
 * revision that a later row of the same name (at or below it) supersedes, and every
 * tombstone at or below it; the latest state of every live key stays. The watermark is
 * stored in kine_meta so list/watch at older revisions give ResourceExpired, across
 * restarts too. The periodic compactor keeps the last `retain` revisions.
 */
import type { LogContext } from './log-context.js';

/** Compacts at `revision` (no-op when not above the watermark). */
export function compactLog(ctx: LogContext, revision: number): void {
  ctx.ensureOpen('');
  const current = ctx.stmts.currentRevision.get()?.rev ?? 0;
  const rev = Math.min(revision, current);
  if (rev <= ctx.compactedRevision) return;
  ctx.db.transaction(() => {
    ctx.stmts.compact.run(rev, rev);
    ctx.stmts.setMeta.run('compact_rev', rev);
  })();
  ctx.compactedRevision = rev;
}

/**
 * Starts compacting every `intervalMs` ms (0 disables) at `current - retain`. Returns a
 * stop function. Failures are logged and retried at the next tick; the timer does not
 * keep the process alive.
 */
export function startCompactor(ctx: LogContext, intervalMs: number, retain: number): () => void {
  if (intervalMs <= 0) return () => undefined;
  const timer = setInterval(() => {
    try {
      const current = ctx.stmts.currentRevision.get()?.rev ?? 0;
      if (current - retain > ctx.compactedRevision) compactLog(ctx, current - retain);
    } catch (err) {
      console.error(`storage: compaction failed: ${(err as Error).message}`);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
