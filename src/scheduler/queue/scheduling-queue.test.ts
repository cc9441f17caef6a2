import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { isPodUpdated, SchedulingQueue } from './scheduling-queue.js';

const pod = (name: string, priority?: number): Pod => ({ metadata: { name, namespace: 'd', uid: name }, spec: { containers: [], ...(priority !== undefined ? { priority } : {}) } });

async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('SchedulingQueue', () => {
  it('pops by priority, then in arrival order; a duplicate add is ignored', async () => {
    let t = 0;
    const q = new SchedulingQueue({ now: () => t++ });
    q.add(pod('a'));
    q.add(pod('b', 10));
    q.add(pod('c'));
    q.add(pod('a'));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await q.pop())!.key);
    assert.deepEqual(order, ['d/b', 'd/a', 'd/c']);
    assert.equal(q.stats().inFlight, 3);
    q.close();
  });

  it('pop waits for an add; close ends a waiting pop', async () => {
    const q = new SchedulingQueue();
    const waiting = q.pop();
    q.add(pod('x'));
    assert.equal((await waiting)?.key, 'd/x');
    const ended = q.pop();
    q.close();
    assert.equal(await ended, undefined);
  });

  it('backoff doubles per attempt up to the cap', () => {
    const q = new SchedulingQueue({ initialBackoffMs: 1000, maxBackoffMs: 10_000, now: () => 0 });
    const info = { key: 'd/x', pod: pod('x'), attempts: 1, timestamp: 0, initialAttemptTimestamp: 0 };
    assert.equal(q.backoffExpiry(info), 1000);
    assert.equal(q.backoffExpiry({ ...info, attempts: 3 }), 4000);
    assert.equal(q.backoffExpiry({ ...info, attempts: 10 }), 10_000);
    q.close();
  });

  it('an unschedulable pod waits for a cluster event, then returns after its backoff', async () => {
    const q = new SchedulingQueue({ initialBackoffMs: 30, maxBackoffMs: 100 });
    q.add(pod('x'));
    const info = (await q.pop())!;
    q.addUnschedulable(info, q.schedulingCycle());
    assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
    q.moveAllToActiveOrBackoff('NodeAdd');
    assert.equal(q.stats().unschedulable, 0);
    const started = Date.now();
    const again = await q.pop();
    assert.equal(again?.key, 'd/x');
    assert.equal(again?.attempts, 2);
    assert.ok(Date.now() - started >= 20, 'returned before its backoff');
    q.close();
  });

  it('a move request during the attempt sends the failed pod to backoff, not the unschedulable pool', async () => {
    const q = new SchedulingQueue({ initialBackoffMs: 10 });
    q.add(pod('x'));
    const info = (await q.pop())!;
    const cycle = q.schedulingCycle();
    q.moveAllToActiveOrBackoff('NodeAdd');
    q.addUnschedulable(info, cycle);
    assert.equal(q.stats().backoff, 1);
    await waitFor(() => q.stats().active === 1);
    q.close();
  });

  it('a pod deleted while in flight is dropped; an updated unschedulable pod is retried', async () => {
    const q = new SchedulingQueue({ initialBackoffMs: 1 });
    q.add(pod('x'));
    const info = (await q.pop())!;
    q.delete(pod('x'));
    q.addUnschedulable(info, q.schedulingCycle());
    assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
    q.add(pod('y'));
    const y = (await q.pop())!;
    q.addUnschedulable(y, q.schedulingCycle());
    assert.equal(q.stats().unschedulable, 1);
    q.update({ ...pod('y'), metadata: { ...pod('y').metadata, labels: { changed: 'yes' } } });
    const again = await q.pop();
    assert.equal(again?.pod.metadata.labels?.changed, 'yes');
    q.close();
  });

  it('unschedulable pods are retried after maxInUnschedulableMs even without events', async () => {
    const q = new SchedulingQueue({ initialBackoffMs: 1, maxInUnschedulableMs: 20 });
    q.add(pod('x'));
    q.addUnschedulable((await q.pop())!, q.schedulingCycle());
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 2000);
    assert.equal((await q.pop(ac.signal))?.key, 'd/x');
    clearTimeout(timer);
    q.close();
  });

  it('an unschedulable pod stays parked on its own status writes, and moves on a spec or label change (upstream isPodUpdated)', async () => {
    const q = new SchedulingQueue({ initialBackoffMs: 1, maxBackoffMs: 1 });
    const p = pod('u');
    q.add(p);
    const info = (await q.pop())!;
    q.addUnschedulable(info, q.schedulingCycle());
    assert.equal(q.stats().unschedulable, 1);
    const statusOnly: Pod = { ...p, metadata: { ...p.metadata, resourceVersion: '2' }, status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } } as Pod;
    assert.equal(isPodUpdated(p, statusOnly), false);
    q.update(statusOnly);
    assert.equal(q.stats().unschedulable, 1, 'still parked');
    const relabelled: Pod = { ...statusOnly, metadata: { ...statusOnly.metadata, resourceVersion: '3', labels: { tier: 'x' } } };
    assert.equal(isPodUpdated(statusOnly, relabelled), true);
    q.update(relabelled);
    assert.equal(q.stats().unschedulable, 0);
    assert.equal((await q.pop())?.pod.metadata.labels?.tier, 'x');
    q.close();
  });
});
