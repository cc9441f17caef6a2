/**
 * Pure DaemonSet helpers: node eligibility (selector, affinity, taints with the daemon
 * tolerations), the pinning affinity and target node, daemon tolerations, per-node
 * plans (extra pods, failed pods, surge), the rolling-update plan and status counting.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import type { DaemonSet } from '../../api/apps/v1/daemon-set.js';
import { FailedPodBackoff, findUpdatedPodsOnNode, newDaemonPod, nodeShouldRunDaemonPod, replaceNodeNameAffinity, targetNodeName, withDaemonPodTolerations } from './daemon-pods.js';
import { nodesToDaemonPods, podsShouldBeOnNode } from './placement.js';
import { planRollingUpdate, resolveRollingUpdateCounts } from './rolling-update.js';
import { computeDaemonSetStatus } from './status.js';

const node = (name: string, labels: Record<string, string> = {}, taints: Node['spec'] extends infer S ? any[] : never = []): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } }) as Node;
const ds = (spec: Record<string, any> = {}, podSpec: Record<string, any> = {}): DaemonSet => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'ns', uid: 'u1' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }], ...podSpec } }, ...spec },
});
const T0 = Date.parse('2026-01-01T00:00:00Z');
const pod = (name: string, nodeName: string, hash: string, o: { ready?: boolean; created?: number; phase?: string; deleting?: boolean } = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, labels: { 'controller-revision-hash': hash }, creationTimestamp: new Date(T0 + (o.created ?? 0) * 1000).toISOString(), ...(o.deleting ? { deletionTimestamp: new Date(T0).toISOString() } : {}) },
  spec: { containers: [], affinity: replaceNodeNameAffinity(undefined, nodeName) as any },
  status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: new Date(T0).toISOString() }] },
}) as Pod;

describe('daemon pod helpers', () => {
  it('eligibility: nodeSelector, required affinity, taints (NoSchedule keeps running pods, NoExecute does not), daemon tolerations', () => {
    const d = ds({}, { nodeSelector: { role: 'w' } });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { role: 'w' }), d), { shouldRun: true, shouldContinueRunning: true });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { role: 'x' }), d), { shouldRun: false, shouldContinueRunning: false });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { role: 'w' }, [{ key: 'k', effect: 'NoSchedule' }]), d), { shouldRun: false, shouldContinueRunning: true });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { role: 'w' }, [{ key: 'k', effect: 'NoExecute' }]), d), { shouldRun: false, shouldContinueRunning: false });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { role: 'w' }, [{ key: 'k', effect: 'PreferNoSchedule' }]), d).shouldRun, true);
    // Conditions taints are tolerated by every daemon pod.
    for (const key of ['not-ready', 'unreachable']) assert.equal(nodeShouldRunDaemonPod(node('a', { role: 'w' }, [{ key: `node.kubernetes.io/${key}`, effect: 'NoExecute' }]), d).shouldRun, true);
    assert.equal(nodeShouldRunDaemonPod(node('a', { role: 'w' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), d).shouldRun, true);
    assert.equal(nodeShouldRunDaemonPod(node('a', { role: 'w' }, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), d).shouldRun, false);
    assert.equal(nodeShouldRunDaemonPod(node('a', { role: 'w' }, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), ds({}, { nodeSelector: { role: 'w' }, hostNetwork: true })).shouldRun, true);
    const aff = ds({}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } } });
    assert.equal(nodeShouldRunDaemonPod(node('a', { zone: 'z1' }), aff).shouldRun, true);
    assert.equal(nodeShouldRunDaemonPod(node('a', { zone: 'z2' }), aff).shouldRun, false);
    assert.equal(nodeShouldRunDaemonPod(node('b'), ds({}, { nodeName: 'a' })).shouldRun, false);
  });

  it('tolerations replace equal ones and are appended otherwise; network-unavailable only with hostNetwork', () => {
    const t = withDaemonPodTolerations([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'x', operator: 'Exists' }], false);
    assert.deepEqual(t[0], { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
    assert.equal(t.length, 7);
    assert.ok(!t.some((x) => x.key === 'node.kubernetes.io/network-unavailable'));
    assert.ok(withDaemonPodTolerations([], true).some((x) => x.key === 'node.kubernetes.io/network-unavailable' && x.effect === 'NoSchedule'));
  });

  it('the pinning affinity replaces required terms, keeps preferred ones; targetNodeName reads it', () => {
    const a = replaceNodeNameAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'Exists' }] }] }, preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }] } }, 'n1');
    assert.deepEqual(a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]);
    assert.equal(a.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.length, 1);
    const p = newDaemonPod(ds(), ds().spec.template, 'n1', 'h1', { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u1', controller: true });
    assert.equal(p.metadata.generateName, 'ds-');
    assert.deepEqual(p.metadata.labels, { a: 'b', 'controller-revision-hash': 'h1' });
    assert.equal(targetNodeName(p), 'n1');
    assert.equal(targetNodeName({ ...p, spec: { ...p.spec!, nodeName: 'n2' } }), 'n2');
  });

  it('per node: create when missing, keep the oldest of extras, report failed pods, delete all when the node may not keep it', () => {
    const o = { hash: 'h', useSurge: false, minReadySeconds: 0, now: T0 };
    assert.equal(podsShouldBeOnNode({ shouldRun: true, shouldContinueRunning: true }, undefined, o).create, true);
    assert.equal(podsShouldBeOnNode({ shouldRun: true, shouldContinueRunning: true }, [pod('f', 'n', 'h', { phase: 'Failed' })], o).create, false);
    const extra = podsShouldBeOnNode({ shouldRun: true, shouldContinueRunning: true }, [pod('new', 'n', 'h', { created: 5 }), pod('old', 'n', 'h', { created: 1 }), pod('f', 'n', 'h', { phase: 'Failed' })], o);
    assert.deepEqual(extra.deletes.map((p) => p.metadata.name), ['new']);
    assert.deepEqual(extra.failed.map((p) => p.metadata.name), ['f']);
    assert.deepEqual(podsShouldBeOnNode({ shouldRun: false, shouldContinueRunning: false }, [pod('a', 'n', 'h'), pod('b', 'n', 'h', { deleting: true })], o).deletes.map((p) => p.metadata.name), ['a']);
    // Surge: old ready and new not yet available → both kept; new available → old deleted.
    const s = { ...o, useSurge: true };
    assert.deepEqual(podsShouldBeOnNode({ shouldRun: true, shouldContinueRunning: true }, [pod('old', 'n', 'x', { ready: true }), pod('new', 'n', 'h', { created: 1 })], s).deletes, []);
    assert.deepEqual(podsShouldBeOnNode({ shouldRun: true, shouldContinueRunning: true }, [pod('old', 'n', 'x', { ready: true }), pod('new', 'n', 'h', { created: 1, ready: true })], s).deletes.map((p) => p.metadata.name), ['old']);
  });

  it('rolling update: maxUnavailable bounds deletions, unavailable old pods always go; surge creates first', () => {
    const nodes = ['a', 'b', 'c'].map((n) => node(n));
    const old = nodesToDaemonPods(nodes.map((n) => pod(`p-${n.metadata.name}`, n.metadata.name!, 'old', { ready: true })));
    assert.deepEqual(resolveRollingUpdateCounts(ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%' } } }), 3), { maxSurge: 0, maxUnavailable: 2 });
    const d1 = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } });
    assert.equal(planRollingUpdate(d1, nodes, old, 'h', undefined, T0).deletes.length, 1);
    const mixed = nodesToDaemonPods([pod('pa', 'a', 'old', { ready: false }), pod('pb', 'b', 'old', { ready: true }), pod('pc', 'c', 'old', { ready: true })]);
    assert.deepEqual(planRollingUpdate(d1, nodes, mixed, 'h', undefined, T0).deletes.map((p) => p.metadata.name), ['pa']);
    const d2 = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    const plan = planRollingUpdate(d2, nodes, old, 'h', undefined, T0);
    assert.deepEqual(plan, { deletes: [], createOn: ['a'] });
    const surged = nodesToDaemonPods([pod('pa', 'a', 'old', { ready: true }), pod('na', 'a', 'h', { ready: true, created: 1 }), pod('pb', 'b', 'old', { ready: true })]);
    assert.deepEqual(planRollingUpdate(d2, nodes, surged, 'h', undefined, T0), { deletes: [surged.get('a')![0]], createOn: ['b'] });
    // An in-flight surge (new pod not yet available) uses up maxSurge.
    const inflight = nodesToDaemonPods([pod('pa', 'a', 'old', { ready: true }), pod('na', 'a', 'h', { created: 1 }), pod('pb', 'b', 'old', { ready: true }), pod('pc', 'c', 'old', { ready: true })]);
    assert.deepEqual(planRollingUpdate(d2, nodes, inflight, 'h', undefined, T0), { deletes: [], createOn: [] });
    // An old pod on a node that no longer wants it goes only while more than desired are available.
    const two = [node('a'), node('b'), node('x', { off: 'yes' })];
    const d3 = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'off', operator: 'DoesNotExist' }] }] } } } });
    const stray = nodesToDaemonPods([pod('na', 'a', 'h', { ready: true }), pod('nb', 'b', 'h', { ready: true }), pod('px', 'x', 'old', { ready: true })]);
    assert.deepEqual(planRollingUpdate(d3, two, stray, 'h', undefined, T0).deletes.map((p) => p.metadata.name), ['px']);
    const strayShort = nodesToDaemonPods([pod('na', 'a', 'h', { ready: false }), pod('nb', 'b', 'h', { ready: true }), pod('px', 'x', 'old', { ready: true })]);
    assert.deepEqual(planRollingUpdate(d3, two, strayShort, 'h', undefined, T0).deletes, []);
    assert.equal(findUpdatedPodsOnNode([pod('x', 'a', 'h'), pod('y', 'a', 'h')], 'h', undefined).ok, false);
  });

  it('status counts desired, current, misscheduled, ready, available (minReadySeconds), updated', () => {
    const d = ds({ minReadySeconds: 10 }, { nodeSelector: { r: 'w' } });
    const nodes = [node('a', { r: 'w' }), node('b', { r: 'w' }), node('c', { r: 'w' }), node('x')];
    const pods = nodesToDaemonPods([pod('pa', 'a', 'h', { ready: true }), pod('pb', 'b', 'old', { ready: false }), pod('px', 'x', 'h', { ready: true })]);
    assert.deepEqual(computeDaemonSetStatus(d, nodes, pods, 'h', undefined, T0 + 5000), { desiredNumberScheduled: 3, currentNumberScheduled: 2, numberMisscheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 0, numberUnavailable: 3 });
    assert.equal(computeDaemonSetStatus(d, nodes, pods, 'h', undefined, T0 + 11_000).numberAvailable, 1);
  });

  it('failed-pod back-off doubles from 1 s', () => {
    const b = new FailedPodBackoff();
    assert.equal(b.isInBackOffSinceUpdate('k', T0), false);
    b.next('k', T0);
    assert.equal(b.isInBackOffSinceUpdate('k', T0 + 500), true);
    assert.equal(b.isInBackOffSinceUpdate('k', T0 + 1000), false);
    b.next('k', T0 + 1000);
    assert.equal(b.remaining('k', T0 + 1000), 2000);
  });
});
