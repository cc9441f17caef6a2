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

it('keeps the nodes holding pods with (anti-)affinity', () => {
  const c = new SchedulerCache();
  c.addNode(node('a')); c.addNode(node('b')); c.addNode(node('c'));
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
});

it('keeps image states across heartbeats; updates them only when a node\'s status.images change', () => {
  const withImages = (name: string, images: Array<[string[], number]>, heartbeat = '2026-01-01T00:00:00Z'): Node => ({
    ...node(name), status: { ...node(name).status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat }], images: images.map(([names, sizeBytes]) => ({ names, sizeBytes })) },
  } as Node);
  const c = new SchedulerCache();
  c.addNode(withImages('a', [[['app:v1', 'reg/app@sha256:1'], 10]]));
  c.addNode(withImages('b', [[['app:v1'], 10], [['db:v1'], 30]]));
  const states = c.imageStates();
  const app = states.get('app:v1');
  assert.deepEqual(Object.fromEntries(states), { 'app:v1': { size: 10, numNodes: 2 }, 'reg/app@sha256:1': { size: 10, numNodes: 1 }, 'db:v1': { size: 30, numNodes: 1 } });
  const g = c.imageGeneration;

  // A status heartbeat: new Node objects, same images (rebuilt arrays, as a watch decodes them).
  c.updateNode(withImages('a', [[['app:v1', 'reg/app@sha256:1'], 10]], '2026-01-01T00:00:10Z'));
  c.updateNode(withImages('b', [[['app:v1'], 10], [['db:v1'], 30]], '2026-01-01T00:00:10Z'));
  c.addPod(pod('p', 'a'));
  assert.equal(c.imageGeneration, g, 'no recomputation');
  assert.equal(c.imageStates(), states);
  assert.equal(states.get('app:v1'), app);
  assert.deepEqual(app, { size: 10, numNodes: 2 });

  // The kubelet pulled an image on a and garbage-collected app:v1 there.
  c.updateNode(withImages('a', [[['cache:v2'], 5]], '2026-01-01T00:00:20Z'));
  assert.ok(c.imageGeneration > g);
  assert.equal(c.imageStates(), states, 'updated in place');
  assert.deepEqual(Object.fromEntries(states), { 'app:v1': { size: 10, numNodes: 1 }, 'db:v1': { size: 30, numNodes: 1 }, 'cache:v2': { size: 5, numNodes: 1 } });

  // A node going away takes its images with it; one without images changes nothing.
  c.removeNode('b');
  assert.deepEqual(Object.fromEntries(states), { 'cache:v2': { size: 5, numNodes: 1 } });
  const g2 = c.imageGeneration;
  c.addNode(node('plain')); c.removeNode('plain');
  assert.equal(c.imageGeneration, g2);
});

it('podsWithAntiAffinityMatching: the pods whose required anti-affinity terms a labelled pod may match, each once', () => {
  const c = new SchedulerCache();
  c.addNode(node('a')); c.addNode(node('b'));
  const anti = (uid: string, nodeName: string, ...selectors: Array<Record<string, unknown> | null>): Pod => ({
    ...pod(uid, nodeName),
    spec: { ...pod(uid, nodeName).spec!, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: selectors.map((labelSelector) => ({ labelSelector, topologyKey: 'kubernetes.io/hostname' })) } } },
  } as Pod);
  c.addPod(anti('by-match-labels', 'a', { matchLabels: { app: 'web' } }));
  c.addPod(anti('by-in', 'b', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }));
  c.addPod(anti('two-terms', 'a', { matchLabels: { app: 'web' } }, { matchLabels: { tier: 'front' } }));
  c.assumePod(anti('exists-only', 'b', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }), 'b');
  c.addPod(pod('plain', 'a'));
  const uids = (labels: Record<string, string>) => c.podsWithAntiAffinityMatching(labels).map((x) => x.pod.metadata.uid).sort();
  assert.deepEqual(uids({ app: 'web', tier: 'front' }), ['by-in', 'by-match-labels', 'exists-only', 'two-terms']);
  assert.deepEqual(uids({ tier: 'back' }), ['by-in', 'exists-only']);
  assert.deepEqual(uids({}), ['exists-only']);
  assert.equal(c.podsWithAntiAffinityMatching({ app: 'web' }).find((x) => x.pod.metadata.uid === 'by-match-labels')!.node.node.metadata.name, 'a');
  c.removePod(anti('two-terms', 'a'));
  c.forgetPod('exists-only');
  assert.deepEqual(uids({ app: 'web', tier: 'front' }), ['by-in', 'by-match-labels']);
  c.removeNode('b'); // pods of a node that is gone are left out
  assert.deepEqual(uids({ tier: 'back' }), []);
});

it('nodesWithScoringAffinityPods: nodes holding pods with pod affinity or preferred anti-affinity, not required anti-affinity only', () => {
  const c = new SchedulerCache();
  c.addNode(node('a')); c.addNode(node('b')); c.addNode(node('c'));
  const withAffinity = (uid: string, nodeName: string, affinity: Record<string, unknown>): Pod => ({ ...pod(uid, nodeName), spec: { ...pod(uid, nodeName).spec!, affinity } } as Pod);
  const term = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' };
  c.addPod(withAffinity('required-anti', 'a', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }));
  c.addPod(withAffinity('preferred-anti', 'b', { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] } }));
  assert.deepEqual(c.nodesWithScoringAffinityPods().map((n) => n.node.metadata.name), ['b']);
  c.assumePod(withAffinity('affinity', 'c', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }), 'c');
  assert.deepEqual(c.nodesWithScoringAffinityPods().map((n) => n.node.metadata.name), ['b', 'c']);
  c.forgetPod('affinity');
  c.removePod(withAffinity('preferred-anti', 'b', {}));
  assert.deepEqual(c.nodesWithScoringAffinityPods(), []);
  assert.deepEqual(c.nodesWithAffinityPods().map((n) => n.node.metadata.name), ['a']);
});
