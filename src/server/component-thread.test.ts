import { test } from 'node:test';
import assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import { startComponentThread } from './component-thread.js';
import type { TestComponentOptions } from '../../test/support/thread-component.js';
import { until } from '../../test/support/apiserver.js';

const ENTRY = new URL('../../test/support/thread-component-entry.ts', import.meta.url);

/** Starts the test component; its log lines are collected in `lines`. */
async function start(options: TestComponentOptions, handlers?: Record<string, (...args: never[]) => unknown>) {
  const lines: string[] = [];
  const thread = await startComponentThread({ name: 'test-component', entry: ENTRY, options, handlers, log: (m) => lines.push(m) });
  return { thread, lines };
}


test('component thread: runs on its own thread, logs through the main thread, stops when asked', async () => {
  const { thread, lines } = await start({});
  await until('the start line', async () => lines.some((l) => l.startsWith('started')), 20_000);
  assert.equal(lines[0], `started in thread ${thread.threadId}`);
  assert.notEqual(thread.threadId, threadId, 'not the main thread');
  await thread.stop();
  await thread.done;
  assert.deepEqual(lines, [`started in thread ${thread.threadId}`, 'stopped']);
});

test('component thread: calls reach the main thread\'s handlers; a missing handler is an error in the thread', async () => {
  const { thread, lines } = await start({ echo: 'ping', callMissing: true }, { echo: (v: string) => `${v}-pong` });
  await until('the failed call', async () => lines.some((l) => l.startsWith('call failed')), 20_000);
  assert.ok(lines.includes('echo answered ping-pong'), lines.join('\n'));
  assert.ok(lines.includes('call failed: the main thread has no handler missing'), lines.join('\n'));
  await thread.stop();
});

test('component thread: a failing component rejects done with its error; the thread ends', async () => {
  const { thread } = await start({ fail: 'the component broke' });
  await assert.rejects(thread.done, /test-component: Error: the component broke/);
  await thread.stop();
});

test('component thread: one that ignores stop is terminated after the grace period', async () => {
  const { thread, lines } = await start({ ignoreStop: true });
  await until('the start line', async () => lines.length > 0, 20_000);
  const t0 = Date.now();
  await thread.stop(300);
  assert.ok(Date.now() - t0 < 5000);
  await assert.rejects(thread.done, /terminated after 300 ms/);
  assert.ok(lines.includes('test-component: did not stop within 300 ms; thread terminated'), lines.join('\n'));
});

test('component thread: a busy component does not block the main thread\'s event loop', async () => {
  const { thread, lines } = await start({ busyMs: 1500 });
  await until('the start line', async () => lines.length > 0, 20_000);
  // While the thread spins for 1.5 s, the main thread's timers keep firing on time.
  let worstGap = 0;
  let last = Date.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
      if (lines.includes('busy loop over')) { clearInterval(timer); resolve(); }
    }, 10);
  });
  assert.ok(worstGap < 500, `main thread's timer gap ${worstGap} ms while the component was busy`);
  await thread.stop();
});
