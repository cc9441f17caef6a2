import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FairQueueSet, type Admission } from './fair-queue-set.js';
import { dealHand, flowHash } from './shuffle-sharding.js';

const A = flowHash('fs', 'a');
const B = flowHash('fs', 'b');
/** A flow whose one-card hand out of 8 differs from A's, so that the two flows never share a queue. */
const B1 = [...Array(50).keys()].map((i) => flowHash('fs', `b${i}`)).find((h) => dealHand(h, 8, 1)[0] !== dealHand(A, 8, 1)[0])!;
const tick = () => new Promise((r) => setImmediate(r));

test('fair queuing: two flows alternate although one queued far more', async () => {
  const qs = new FairQueueSet({ limit: 1, queuing: { queues: 8, handSize: 1, queueLengthLimit: 50 } });
  const order: string[] = [];
  const running: Array<Admission & { dispatched: true }> = [];
  const submit = (name: string, hash: bigint) => qs.admit({ flowHash: hash, seats: 1, waitLimitMs: 10_000 }).then((a) => {
    assert.ok(a.dispatched);
    order.push(name);
    running.push(a);
  });
  const all = [...Array.from({ length: 10 }, () => submit('a', A)), ...Array.from({ length: 3 }, () => submit('b', B1))];
  await tick();
  while (order.length < 13) { running.shift()?.release(); await tick(); }
  await Promise.all(all);
  // The first a ran at once (and counts); b goes next, then they take turns until b has nothing left.
  assert.equal(order[1], 'b');
  assert.equal(order.slice(1, 7).filter((x) => x === 'b').length, 3);
  assert.deepEqual(order.slice(7), ['a', 'a', 'a', 'a', 'a', 'a']);
  assert.equal(qs.waitingCount, 0);
});

test('wide requests take several seats; one wider than the limit runs alone', async () => {
  const qs = new FairQueueSet({ limit: 4, queuing: { queues: 4, handSize: 2, queueLengthLimit: 10 } });
  const a = await qs.admit({ flowHash: A, seats: 3, waitLimitMs: 1000 });
  assert.ok(a.dispatched);
  let wideRan = false;
  const wide = qs.admit({ flowHash: B, seats: 10, waitLimitMs: 1000 }).then((x) => { wideRan = true; return x; });
  await tick();
  assert.equal(wideRan, false);
  a.release();
  const w = await wide;
  assert.ok(w.dispatched);
  assert.equal(qs.executingSeats, 10);
  w.release();
  assert.equal(qs.executingSeats, 0);
});

test('refusals: queue-full, time-out, cancelled; a Reject level refuses at once', async () => {
  const qs = new FairQueueSet({ limit: 1, queuing: { queues: 1, handSize: 1, queueLengthLimit: 2 } });
  const first = await qs.admit({ flowHash: A, seats: 1, waitLimitMs: 1000 });
  assert.ok(first.dispatched);
  const queued = [qs.admit({ flowHash: A, seats: 1, waitLimitMs: 50 }), qs.admit({ flowHash: B, seats: 1, waitLimitMs: 5000 })];
  const full = await qs.admit({ flowHash: B, seats: 1, waitLimitMs: 1000 });
  assert.deepEqual(full.dispatched ? 'ran' : full.reason, 'queue-full');
  const timedOut = await queued[0];
  assert.equal(timedOut.dispatched ? 'ran' : timedOut.reason, 'time-out');
  assert.ok(timedOut.waitedMs >= 40);
  const ac = new AbortController();
  const cancelled = qs.admit({ flowHash: A, seats: 1, waitLimitMs: 5000, signal: ac.signal });
  ac.abort();
  const c = await cancelled;
  assert.equal(c.dispatched ? 'ran' : c.reason, 'cancelled');
  first.release();
  const b = await queued[1];
  assert.ok(b.dispatched);
  b.release();

  const reject = new FairQueueSet({ limit: 2 });
  const r1 = await reject.admit({ flowHash: A, seats: 2, waitLimitMs: 1000 });
  const r2 = await reject.admit({ flowHash: B, seats: 1, waitLimitMs: 1000 });
  assert.ok(r1.dispatched);
  assert.equal(r2.dispatched ? 'ran' : r2.reason, 'concurrency-limit');
});

test('reconfiguring keeps waiting requests and applies the new limit', async () => {
  const qs = new FairQueueSet({ limit: 1, queuing: { queues: 4, handSize: 2, queueLengthLimit: 10 } });
  const first = await qs.admit({ flowHash: A, seats: 1, waitLimitMs: 1000 });
  const waiting = [qs.admit({ flowHash: A, seats: 1, waitLimitMs: 5000 }), qs.admit({ flowHash: B, seats: 1, waitLimitMs: 5000 })];
  await tick();
  assert.equal(qs.waitingCount, 2);
  qs.configure({ queues: 16, handSize: 4, queueLengthLimit: 10 }, 3);
  const [x, y] = await Promise.all(waiting);
  assert.ok(x.dispatched && y.dispatched);
  assert.equal(qs.executingSeats, 3);
  for (const a of [first, x, y]) if (a.dispatched) a.release();
  assert.equal(qs.executingSeats, 0);
});
