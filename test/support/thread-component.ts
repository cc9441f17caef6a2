/**
 * A component for component-thread.test.ts: behaves as its options say, so the test can
 * check the thread machinery (stop, log, call, failure, a blocked event loop).
 */
import type { ComponentThreadContext } from '../../src/server/component-thread-runtime.js';

/** Options of {@link runTestComponent}. */
export interface TestComponentOptions {
  /** Blocks the thread's event loop for this many ms (a busy component), then waits. */
  busyMs?: number;
  /** Throws this message at once. */
  fail?: string;
  /** Calls the main thread's `echo` handler with this value and logs the answer. */
  echo?: string;
  /** Calls a handler the main thread does not have and logs the error. */
  callMissing?: boolean;
  /** Ignores the stop signal (never returns). */
  ignoreStop?: boolean;
}

/** Logs `started in thread <id>`, then does what `o` says and returns when stopped. */
export async function runTestComponent(o: TestComponentOptions, ctx: ComponentThreadContext): Promise<void> {
  const { threadId } = await import('node:worker_threads');
  ctx.log(`started in thread ${threadId}`);
  if (o.fail) throw new Error(o.fail);
  if (o.echo !== undefined) ctx.log(`echo answered ${await ctx.call<string>('echo', o.echo)}`);
  if (o.callMissing) await ctx.call('missing').catch((err: Error) => ctx.log(`call failed: ${err.message}`));
  if (o.busyMs) {
    const end = Date.now() + o.busyMs;
    while (Date.now() < end) { /* a busy event loop */ }
    ctx.log('busy loop over');
  }
  if (o.ignoreStop) await new Promise(() => setInterval(() => undefined, 1000));
  await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  ctx.log('stopped');
}
