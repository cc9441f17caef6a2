/** PrioritySort (QueueSort) and SchedulingGates (PreEnqueue) as plugins of a profile. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { Framework } from '../framework/framework.js';
import type { QueueSortPlugin } from '../framework/interface.js';
import { parseSchedulerConfiguration } from '../config.js';
import { SchedulingQueue, type QueuedPodInfo } from '../queue/scheduling-queue.js';
import { prioritySortLess } from './priority-sort/priority-sort.js';
import { defaultProfile, pluginRegistry } from './registry.js';

const pod = (name: string, priority = 0, gates: string[] = []): Pod =>
  ({ metadata: { name, namespace: 'd', uid: name }, spec: { priority, containers: [{ name: 'c', image: 'i' }], ...(gates.length ? { schedulingGates: gates.map((g) => ({ name: g })) } : {}) } });

/** Pops every pod queued (in `adds` order, one ms apart) from a queue ordered by `less`. */
async function popOrder(adds: Pod[], less?: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean): Promise<string[]> {
  let t = 0;
  const q = new SchedulingQueue({ now: () => t++, ...(less ? { less } : {}) });
  for (const p of adds) q.add(p);
  const out: string[] = [];
  for (let i = 0; i < adds.length; i++) out.push((await q.pop())!.pod.metadata.name!);
  q.close();
  return out;
}

it('PrioritySort: higher priority first, then the earlier queued; it is the default profile\'s QueueSort and the queue\'s default order', async () => {
  assert.equal(prioritySortLess({ pod: pod('a', 10), timestamp: 5 }, { pod: pod('b', 0), timestamp: 1 }), true);
  assert.equal(prioritySortLess({ pod: pod('a', 0), timestamp: 1 }, { pod: pod('b', 0), timestamp: 2 }), true);
  assert.equal(prioritySortLess({ pod: pod('a', 0), timestamp: 2 }, { pod: pod('b', 0), timestamp: 2 }), false, 'equal: not before');
  const fw = new Framework(pluginRegistry, defaultProfile);
  assert.equal(fw.queueSort?.name, 'PrioritySort');
  const adds = [pod('low'), pod('high', 100), pod('low2'), pod('mid', 50)];
  assert.deepEqual(await popOrder(adds, fw.queueSort!.less), ['high', 'mid', 'low', 'low2']);
  assert.deepEqual(await popOrder(adds), ['high', 'mid', 'low', 'low2']);
});

it('a profile\'s own QueueSort plugin orders activeQ', async () => {
  const fifo = (): QueueSortPlugin => ({ name: 'Fifo', less: (a, b) => a.timestamp < b.timestamp });
  const fw = new Framework({ ...pluginRegistry, Fifo: fifo }, [{ name: 'Fifo' }, ...defaultProfile.filter((p) => p.name !== 'PrioritySort')]);
  assert.equal(fw.queueSort?.name, 'Fifo');
  assert.deepEqual(await popOrder([pod('low'), pod('high', 100), pod('low2')], fw.queueSort!.less), ['low', 'high', 'low2']);
});

it('SchedulingGates: a gated pod may not enter the queue, with upstream\'s reason; a profile may disable it at preEnqueue', () => {
  const fw = new Framework(pluginRegistry, defaultProfile);
  assert.deepEqual(fw.runPreEnqueue(pod('g', 0, ['example.com/a', 'example.com/b'])),
    { code: 'UnschedulableAndUnresolvable', reasons: ['waiting for scheduling gates: [example.com/a example.com/b]'], plugin: 'SchedulingGates' });
  assert.equal(fw.runPreEnqueue(pod('free')).code, 'Success');
  const config = parseSchedulerConfiguration(JSON.stringify({
    apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration',
    profiles: [{ schedulerName: 'default-scheduler', plugins: { preEnqueue: { disabled: [{ name: 'SchedulingGates' }] } } }],
  }), defaultProfile, pluginRegistry);
  const ungated = new Framework(pluginRegistry, config.profiles[0].plugins);
  assert.equal(ungated.runPreEnqueue(pod('g', 0, ['example.com/a'])).code, 'Success');
  assert.equal(ungated.queueSort?.name, 'PrioritySort', 'other points unchanged');
});
