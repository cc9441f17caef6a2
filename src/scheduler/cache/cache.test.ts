import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { SchedulerCache } from './cache.js';
import { numFeasibleNodesToFind } from '../framework/framework.js';

const node = (name: string, cpu = '4'): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } });
const pod = (uid: string, nodeName?: string, cpu = '500m', phase = 'Running'): Pod => ({
  metadata: { name: uid, namespace: 'd', uid }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }] }, status: { phase },
});
const byName = (c: SchedulerCache) => new Map(c.nodeInfoList().map((n) => [n.node.metadata.name!, n]));

it('keeps each node\'s pods and requested sums as pods are bound, updated, finish and go', () => {
  const c = new SchedulerCache();
  c.addPod(pod('early', 'a'));            // a pod seen before its node
  assert.equal(c.nodeInfoList().length, 0);
  c.addNode(node('a')); c.addNode(node('b'));
  assert.deepEqual([...byName(c).keys()], ['a', 'b']);
  assert.equal(byName(c).get('a')!.requested.cpu, 0.5);
  assert.equal(byName(c).get('a')!.allocatable.cpu, 4);
  c.addPod(pod('p2', 'a', '1'));
  assert.equal(byName(c).get('a')!.requested.cpu, 1.5);
  assert.equal(byName(c).get('a')!.nonZeroRequested.cpu, 1.5);
  c.updatePod(pod('p2', 'a', '1', 'Succeeded'));      // terminal pods hold nothing
  assert.deepEqual(byName(c).get('a')!.pods.map((p) => p.metadata.uid), ['early']);
  c.removePod(pod('early', 'a'));
  assert.equal(byName(c).get('a')!.requested.cpu, 0);
  c.removeNode('b');
  assert.deepEqual([...byName(c).keys()], ['a']);
  c.updateNode(node('a', '8'));
  assert.equal(byName(c).get('a')!.allocatable.cpu, 8);
});

it('assumed pods count at once; the informer\'s bound copy replaces them; a failed bind or the TTL releases them', () => {
  let now = 0;
  const c = new SchedulerCache(30_000, () => now);
  c.addNode(node('a'));
  c.assumePod(pod('x'), 'a');
  assert.ok(c.isAssumed('x'));
  assert.equal(byName(c).get('a')!.requested.cpu, 0.5);
  c.addPod(pod('x', 'a'));                 // confirmed by the informer: counted once
  assert.ok(!c.isAssumed('x'));
  assert.equal(byName(c).get('a')!.pods.length, 1);
  c.assumePod(pod('y'), 'a');
  c.forgetPod('y');                        // bind failed
  assert.equal(byName(c).get('a')!.pods.length, 1);
  c.assumePod(pod('z'), 'a');
  c.finishBinding('z');
  now = 29_999;
  assert.equal(byName(c).get('a')!.pods.length, 2);
  now = 31_000;                            // never confirmed: expired (checked at most once a second)
  assert.equal(byName(c).get('a')!.pods.length, 1);
});

it('numFeasibleNodesToFind follows upstream: all below 100 nodes, adaptive 50 % − nodes/125 (≥ 5 %), never below 100', () => {
  assert.equal(numFeasibleNodesToFind(0, 99), 99);
  assert.equal(numFeasibleNodesToFind(0, 500), 230);    // 46 %
  assert.equal(numFeasibleNodesToFind(0, 5000), 500);   // 10 %
  assert.equal(numFeasibleNodesToFind(0, 10000), 500);  // floor of 5 %
  assert.equal(numFeasibleNodesToFind(0, 150), 100);
  assert.equal(numFeasibleNodesToFind(100, 5000), 5000);
  assert.equal(numFeasibleNodesToFind(20, 5000), 1000);
});

it('keeps the nodes holding pods with (anti-)affinity, and a node generation for per-node summaries', () => {
  const c = new SchedulerCache();
  c.addNode(node('a')); c.addNode(node('b')); c.addNode(node('c'));
  const g0 = c.nodeGeneration;
  const anti = (uid: string, nodeName: string): Pod => ({ ...pod(uid, nodeName), spec: { ...pod(uid, nodeName).spec!, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { a: 'b' } }, topologyKey: 'kubernetes.io/hostname' }] } } } } as Pod);
  c.addPod(pod('plain', 'a'));
  assert.deepEqual(c.nodesWithAffinityPods(), []);
  c.addPod(anti('x', 'b'));
  assert.deepEqual(c.nodesWithAffinityPods().map((n) => n.node.metadata.name), ['b']);
  assert.deepEqual(c.nodesWithRequiredAntiAffinityPods().map((n) => n.node.metadata.name), ['b']);
  c.assumePod(anti('y', 'c'), 'c');
  assert.deepEqual(c.nodesWithRequiredAntiAffinityPods().map((n) => n.node.metadata.name), ['b', 'c']);
  c.removePod(anti('x', 'b'));
  c.forgetPod('y');
  assert.deepEqual(c.nodesWithRequiredAntiAffinityPods(), []);
  assert.equal(c.nodeGeneration, g0, 'pods do not change the node generation');
  c.updateNode({ ...node('a'), metadata: { name: 'a', labels: { x: 'y' } } });
  assert.ok(c.nodeGeneration > g0);
});
