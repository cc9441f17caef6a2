import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createRateLimitingQueue } from './rate-limiting-queue.js';

it('a key is queued once and never handed to two workers; re-added while processing comes back after done', async () => {
  const q = createRateLimitingQueue<string>();
  q.add('a'); q.add('a'); q.add('b');
  assert.equal(q.len(), 2);
  const first = await q.get();
  assert.equal(first.key, 'a');
  q.add('a');
  assert.equal(q.len(), 1);
  assert.equal((await q.get()).key, 'b');
  q.done('a');
  assert.equal((await q.get()).key, 'a');
});

it('addAfter and rate limiting delay; shutDown releases waiters', async () => {
  const q = createRateLimitingQueue<string>({ baseDelayMs: 20 });
  const t0 = Date.now();
  q.addAfter('x', 50);
  assert.equal((await q.get()).key, 'x');
  assert.ok(Date.now() - t0 >= 45);
  q.done('x');
  q.addRateLimited('y'); q.addRateLimited('y');
  assert.equal(q.numRequeues('y'), 2);
  q.forget('y');
  assert.equal(q.numRequeues('y'), 0);
  assert.equal((await q.get()).key, 'y');
  const waiting = q.get();
  q.shutDown();
  assert.equal((await waiting).shutdown, true);
});
