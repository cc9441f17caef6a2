/**
 * The disruption controller against an in-process apiserver: minAvailable over Ready
 * pods, evictions spending the budget until a 429, percentage maxUnavailable scaled by a
 * ReplicaSet owner, a pod with an unknown controller (SyncFailed), the events upstream
 * records (NoPods, CalculateExpectedPodCountFailed, UnmanagedPods, NotDeleted), the empty selector;
 * plus the status arithmetic as pure functions (expiry of disruptedPods, rounding).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startControllerHarness, type ControllerHarness } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { isNotFound, StatusError } from '../../machinery/errors.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { KubeObject } from '../../api/object.js';
import type { PodDisruptionBudget } from '../../api/policy/v1/pod-disruption-budget.js';
import { DisruptionController } from './controller.js';
import { countHealthy, expectedAndDesired, nextStatus, pendingDisruptions, scaledValue } from './budget.js';
import { staleDisruption } from './stale-condition.js';

const readyPod = (name: string, extra: Partial<Pod['metadata']> = {}): Pod =>
  ({ metadata: { name, namespace: 'ns', ...extra }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }) as Pod;

describe('budget arithmetic', () => {
  it('rounds percentages up and clamps desiredHealthy at 0', () => {
    assert.equal(scaledValue('50%', 3, true), 2);
    assert.equal(scaledValue(4, 3, true), 4);
    assert.throws(() => scaledValue('x', 3, true));
    const pdb = (spec: object) => ({ metadata: { name: 'b' }, spec }) as PodDisruptionBudget;
    assert.deepEqual(expectedAndDesired(pdb({ maxUnavailable: '30%' }), [], () => 10), { expected: 10, desiredHealthy: 7 });
    assert.deepEqual(expectedAndDesired(pdb({ maxUnavailable: 5 }), [], () => 2), { expected: 2, desiredHealthy: 0 });
    assert.deepEqual(expectedAndDesired(pdb({ minAvailable: 2 }), [readyPod('a')], () => { throw new Error('not asked'); }), { expected: 1, desiredHealthy: 2 });
  });
  it('drops disruptedPods entries that expired, whose pod is gone or deleting; those pending do not count as healthy', () => {
    const now = Date.parse('2026-01-01T00:10:00Z');
    const pdb = { metadata: { name: 'b' }, status: { disruptedPods: { fresh: '2026-01-01T00:09:00Z', old: '2026-01-01T00:07:00Z', gone: '2026-01-01T00:09:30Z', deleting: '2026-01-01T00:09:30Z' } } } as PodDisruptionBudget;
    const pods = [readyPod('fresh'), readyPod('old'), readyPod('deleting', { deletionTimestamp: '2026-01-01T00:09:40Z' }), readyPod('other')];
    const { disrupted, recheckAt, expired } = pendingDisruptions(pdb, pods, now);
    assert.deepEqual(disrupted, { fresh: '2026-01-01T00:09:00Z' });
    assert.deepEqual(expired.map((p) => p.metadata.name), ['old']);
    assert.equal(recheckAt, Date.parse('2026-01-01T00:11:00Z'));
    assert.equal(countHealthy(pods, disrupted, now), 2); // old and other
  });
  it('writes nothing when the status is current; disruptionsAllowed is 0 with no expected pods', () => {
    const pdb = { metadata: { name: 'b', generation: 1 }, status: {} } as PodDisruptionBudget;
    const s = nextStatus(pdb, { currentHealthy: 2, desiredHealthy: 0, expected: 0, disrupted: {} }, '2026-01-01T00:00:00Z')!;
    assert.equal(s.disruptionsAllowed, 0);
    assert.deepEqual(s.conditions!.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'False', 'InsufficientPods']]);
    assert.equal(nextStatus({ ...pdb, status: s }, { currentHealthy: 2, desiredHealthy: 0, expected: 0, disrupted: {} }, '2026-01-01T00:00:01Z'), undefined);
  });
});

describe('stale DisruptionTarget conditions', () => {
  const now = Date.parse('2026-01-01T00:10:00Z');
  const pod = (cond: object, extra: object = {}, phase = 'Running') =>
    ({ metadata: { name: 'p', ...extra }, status: { phase, conditions: [{ type: 'DisruptionTarget', status: 'True', ...cond }] } }) as unknown as Pod;
  it('stale 2 minutes after being set, unless deleting, terminal or set by the kubelet', () => {
    assert.deepEqual(staleDisruption(pod({ lastTransitionTime: '2026-01-01T00:07:00Z' }), now), { stale: true, inMs: 0 });
    assert.deepEqual(staleDisruption(pod({ lastTransitionTime: '2026-01-01T00:09:00Z' }), now), { stale: true, inMs: 60_000 });
    assert.deepEqual(staleDisruption(pod({ lastTransitionTime: '2026-01-01T00:07:00Z' }, { deletionTimestamp: '2026-01-01T00:08:00Z' }), now), { stale: false });
    assert.deepEqual(staleDisruption(pod({ lastTransitionTime: '2026-01-01T00:07:00Z' }, {}, 'Failed'), now), { stale: false });
    assert.deepEqual(staleDisruption(pod({ lastTransitionTime: '2026-01-01T00:07:00Z', reason: 'TerminationByKubelet' }), now), { stale: false });
    assert.deepEqual(staleDisruption(pod({ lastTransitionTime: '2026-01-01T00:07:00Z', status: 'False' }), now), { stale: false });
  });
});

describe('disruption controller', { timeout: 60_000 }, () => {
  let harness: ControllerHarness;
  let client: Client;
  const ns = 'default';

  before(async () => {
    harness = await startControllerHarness('disruption', (c, informers) => [new DisruptionController(c, informers)]);
    client = harness.client;
  });
  after(async () => { await harness.stop(); });

  const pods = () => client.resource<Pod>(resources.pods);
  const pdbs = () => client.resource<PodDisruptionBudget>(resources.poddisruptionbudgets);
  async function createPod(name: string, labels: Record<string, string>, owner?: { kind: string; apiVersion: string; name: string; uid: string }, ready = 'True'): Promise<void> {
    await pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels, ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } });
    const p = await pods().get(name, { namespace: ns });
    await pods().update({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready }] } }, { subresource: 'status' });
  }
  async function createBudget(name: string, spec: object): Promise<void> {
    await pdbs().create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: ns }, spec });
  }
  const status = (name: string, pred: (s: Record<string, any>) => boolean) =>
    until(`${name} status`, async () => { const b = await pdbs().get(name, { namespace: ns }); return b.status && pred(b.status) ? b.status : undefined; });
  /** The first event about `name` of `kind` with `reason`, polled until it exists. */
  const event = (kind: string, name: string, reason: string) =>
    until(`${reason} event on ${kind} ${name}`, async () => (await client.resource<KubeObject & Record<string, any>>(resources.events).list({ namespace: ns })).items
      .find((e) => e.involvedObject?.kind === kind && e.involvedObject?.name === name && e.reason === reason));
  const evict = (name: string) => pods().create({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } }, { namespace: ns, name, subresource: 'eviction' });

  it('minAvailable 2 over 3 Ready pods allows 1; one eviction passes, the next is refused with 429', async () => {
    for (const n of ['a1', 'a2', 'a3']) await createPod(n, { app: 'a' });
    await createBudget('a', { minAvailable: 2, selector: { matchLabels: { app: 'a' } } });
    const s = await status('a', (s) => s.disruptionsAllowed === 1);
    assert.deepEqual([s.expectedPods, s.currentHealthy, s.desiredHealthy, s.observedGeneration], [3, 3, 2, 1]);
    const cond = s.conditions.find((c: { type: string }) => c.type === 'DisruptionAllowed');
    assert.deepEqual([cond.status, cond.reason], ['True', 'SufficientPods']);
    await evict('a1');
    const after = await status('a', (s) => s.disruptionsAllowed === 0 && s.currentHealthy === 2);
    assert.equal(after.conditions.find((c: { type: string }) => c.type === 'DisruptionAllowed').reason, 'InsufficientPods');
    await assert.rejects(evict('a2'), (e: unknown) => e instanceof StatusError && e.status.code === 429);
    assert.ok(await pods().get('a2', { namespace: ns }));
  });

  it('a not-Ready pod is evicted without spending the budget when it is met (IfHealthyBudget) or always with AlwaysAllow', async () => {
    for (const app of ['u', 'v', 'w']) {
      await createPod(`${app}1`, { app }, undefined, 'True');
      await createPod(`${app}2`, { app }, undefined, 'False');
    }
    await createBudget('u', { minAvailable: 1, selector: { matchLabels: { app: 'u' } } });
    await createBudget('v', { minAvailable: 2, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: { app: 'v' } } });
    await createBudget('w', { minAvailable: 2, unhealthyPodEvictionPolicy: 'IfHealthyBudget', selector: { matchLabels: { app: 'w' } } });
    for (const b of ['u', 'v', 'w']) await status(b, (s) => s.expectedPods === 2 && s.currentHealthy === 1);
    await evict('u2');
    await evict('v2');
    await assert.rejects(evict('w2'), (e: unknown) => e instanceof StatusError && e.status.code === 429);
    await assert.rejects(evict('u1'), (e: unknown) => e instanceof StatusError && e.status.code === 429);
    for (const b of ['u', 'v']) assert.deepEqual((await pdbs().get(b, { namespace: ns })).status?.disruptedPods ?? {}, {});
  });

  it('a stale DisruptionTarget condition on a pod not being deleted is set to False', async () => {
    await pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stale', namespace: ns }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } });
    const p = await pods().get('stale', { namespace: ns });
    const old = new Date(Date.now() - 3 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await pods().update({ ...p, status: { phase: 'Running', conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', lastTransitionTime: old }] } }, { subresource: 'status' });
    const c = await until('condition cleared', async () => (await pods().get('stale', { namespace: ns })).status?.conditions?.find((x) => x.type === 'DisruptionTarget' && x.status === 'False'));
    assert.equal(c.reason, 'EvictionByEvictionAPI');
  });

  it('percentage maxUnavailable takes the expected count from the ReplicaSet scale', async () => {
    const rs = await client.resource(resources.replicasets).create({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: ns },
      spec: { replicas: 4, selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    const owner = { kind: 'ReplicaSet', apiVersion: 'apps/v1', name: 'rs', uid: rs.metadata.uid! };
    for (const n of ['r1', 'r2', 'r3']) await createPod(n, { app: 'r' }, owner);
    await createBudget('r', { maxUnavailable: '50%', selector: { matchLabels: { app: 'r' } } });
    const s = await status('r', (s) => s.expectedPods === 4 && s.currentHealthy === 3);
    assert.deepEqual([s.desiredHealthy, s.disruptionsAllowed], [2, 1]);
  });

  it('a pod whose controller cannot be found makes the budget SyncFailed with 0 allowed', async () => {
    await createPod('x1', { app: 'x' }, { kind: 'Widget', apiVersion: 'example.com/v1', name: 'w', uid: 'u-1' });
    await createBudget('x', { minAvailable: '10%', selector: { matchLabels: { app: 'x' } } });
    const s = await status('x', (s) => (s.conditions ?? []).some((c: { reason: string }) => c.reason === 'SyncFailed'));
    assert.equal(s.disruptionsAllowed, 0);
    assert.match(s.conditions[0].message, /found no controllers for pod "x1"/);
    const e = await event('PodDisruptionBudget', 'x', 'CalculateExpectedPodCountFailed');
    assert.deepEqual([e.type, e.message, e.source?.component], ['Warning', 'Failed to calculate the number of expected pods: found no controllers for pod "x1"', 'controllermanager']);
  });

  it('records NoPods for a budget selecting nothing and UnmanagedPods when scaling over pods without a controller', async () => {
    await createBudget('none', { minAvailable: 1, selector: { matchLabels: { app: 'none' } } });
    const e = await event('PodDisruptionBudget', 'none', 'NoPods');
    assert.deepEqual([e.type, e.message], ['Normal', 'No matching pods found']);
    await createPod('um1', { app: 'um' });
    await createBudget('um', { maxUnavailable: 1, selector: { matchLabels: { app: 'um' } } });
    const u = await event('PodDisruptionBudget', 'um', 'UnmanagedPods');
    assert.equal(u.type, 'Warning');
    assert.ok(u.message.startsWith('Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: um,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged.'), u.message);
    assert.ok(!(await client.resource<KubeObject & Record<string, any>>(resources.events).list({ namespace: ns })).items.some((x) => x.involvedObject?.name === 'um' && x.reason === 'NoPods'));
  });

  it('records NotDeleted on a pod still running 2 minutes after its eviction was recorded', async () => {
    await createPod('nd1', { app: 'nd' });
    await createBudget('nd', { minAvailable: 0, selector: { matchLabels: { app: 'nd' } } });
    await status('nd', (s) => s.expectedPods === 1);
    const old = new Date(Date.now() - 3 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const b = await pdbs().get('nd', { namespace: ns });
    await pdbs().update({ ...b, status: { ...b.status, disruptedPods: { nd1: old } } }, { subresource: 'status' });
    const e = await event('Pod', 'nd1', 'NotDeleted');
    assert.deepEqual([e.type, e.message], ['Warning', `Pod was expected by PDB ${ns}/${ns} to be deleted but it wasn't`]);
  });

  it('an empty selector selects every pod of the namespace', async () => {
    await createBudget('all', { minAvailable: 0, selector: {} });
    const total = (await pods().list({ namespace: ns })).items.length;
    const s = await status('all', (s) => s.expectedPods === total);
    assert.ok(s.expectedPods >= 7);
    await pods().delete('x1', { namespace: ns, gracePeriodSeconds: 0 }).catch((e) => { if (!isNotFound(e)) throw e; });
    await status('all', (s) => s.expectedPods < total);
  });
});
