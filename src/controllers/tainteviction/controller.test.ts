/**
 * The taint eviction controller: when a pod must go for a node's NoExecute taints (pure),
 * and against an in-process apiserver: an intolerant pod is deleted at once with the
 * DisruptionTarget condition and the TaintManagerEviction event, a pod tolerating for
 * 2 s goes after 2 s, one tolerating forever stays, and removing the taint in time
 * cancels a scheduled deletion.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startControllerHarness, type ControllerHarness } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { rfc3339 } from '../../machinery/time.js';
import type { Pod, Toleration } from '../../api/core/v1/pod-types.js';
import type { Node, Taint } from '../../api/core/v1/types.js';
import { evictionTime, TaintEvictionController } from './controller.js';

describe('evictionTime', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' };
  const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:10Z' };
  const tol = (key: string, seconds?: number): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) });
  it('now when not tolerated; undefined without NoExecute taints or when tolerated forever', () => {
    const now = t0 + 5000;
    assert.equal(evictionTime([], [unreachable], now), now);
    assert.equal(evictionTime([tol(unreachable.key)], [unreachable, notReady], now), now);
    assert.equal(evictionTime([], [{ key: 'x', effect: 'NoSchedule' }], now), undefined);
    assert.equal(evictionTime([tol(unreachable.key)], [unreachable], now), undefined);
    assert.equal(evictionTime([{ operator: 'Exists' }], [unreachable, notReady], now), undefined);
  });
  it('the earliest timeAdded + tolerationSeconds over the taints; <= 0 means at once; no timeAdded counts from first sight', () => {
    const now = t0 + 1000;
    assert.equal(evictionTime([tol(unreachable.key, 300)], [unreachable], now), t0 + 300_000);
    assert.equal(evictionTime([tol(unreachable.key, 300), tol(notReady.key, 60)], [unreachable, notReady], now), t0 + 70_000);
    assert.equal(evictionTime([tol(unreachable.key, -5)], [unreachable], now), t0);
    assert.equal(evictionTime([tol('k', 30)], [{ key: 'k', effect: 'NoExecute' }], now, () => t0 + 500), t0 + 30_500);
  });
});

describe('taint eviction controller', { timeout: 60_000 }, () => {
  let harness: ControllerHarness;
  let client: Client;
  const ns = 'default';

  before(async () => {
    harness = await startControllerHarness('tainteviction', (c, informers) => [new TaintEvictionController(c, informers)]);
    client = harness.client;
  });
  after(async () => { await harness.stop(); });

  const nodes = () => client.resource<Node>(resources.nodes);
  const pods = () => client.resource<Pod>(resources.pods);
  const createPod = (name: string, nodeName: string, tolerations: Toleration[] = []) =>
    pods().create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'i' }] } });
  const getPod = (name: string) => pods().get(name, { namespace: ns });
  const setTaints = async (name: string, taints: Taint[]) => { const n = await nodes().get(name); await nodes().update({ ...n, spec: { ...n.spec, taints } }); };
  const events = async (name: string) => ((await client.resource(resources.events).list({ namespace: ns })).items as unknown as Array<{ reason: string; message: string; involvedObject: { name: string } }>)
    .filter((e) => e.reason === 'TaintManagerEviction' && e.involvedObject.name === name).map((e) => e.message);
  const unreachable = (): Taint => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: rfc3339() });

  it('deletes intolerant pods at once and tolerating ones after tolerationSeconds; forever stays', async () => {
    await nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    // The apiserver's DefaultTolerationSeconds gives every pod 300 s for unreachable/not-ready,
    // so the pod that must go at once is intolerant of a second taint.
    await createPod('intolerant', 'n1', [{ key: 'example.com/maintenance', operator: 'Exists', effect: 'NoSchedule' }]);
    await createPod('two-seconds', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }, { key: 'example.com/maintenance', operator: 'Exists' }]);
    await createPod('forever', 'n1', [{ operator: 'Exists' }]);
    await createPod('elsewhere', 'n2');
    const tainted = await (async () => { await setTaints('n1', [unreachable(), { key: 'example.com/maintenance', effect: 'NoExecute' }]); return Date.now(); })();

    const gone = await until('intolerant pod deleted', async () => { const p = await getPod('intolerant'); return p.metadata.deletionTimestamp ? p : undefined; });
    assert.deepEqual((gone.status?.conditions ?? []).filter((c) => c.type === 'DisruptionTarget').map(({ lastTransitionTime: _t, ...c }) => c),
      [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }]);
    await until('eviction event', async () => (await events('intolerant')).includes(`Marking for deletion Pod ${ns}/intolerant`));
    assert.equal((await getPod('two-seconds')).metadata.deletionTimestamp, undefined);

    await until('two-seconds pod deleted', async () => (await getPod('two-seconds')).metadata.deletionTimestamp, 8_000);
    // timeAdded has seconds precision: the deletion comes no earlier than ~1 s after the taint.
    assert.ok(Date.now() - tainted >= 1_000, `deleted after ${Date.now() - tainted} ms`);
    assert.equal((await getPod('forever')).metadata.deletionTimestamp, undefined);
    assert.equal((await getPod('elsewhere')).metadata.deletionTimestamp, undefined);
  });

  it('removing the taint before tolerationSeconds cancels the deletion', async () => {
    await nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n3' } });
    await createPod('patient', 'n3', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3 }]);
    await createPod('probe', 'n3', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }]);
    await setTaints('n3', [unreachable()]);
    await until('probe deleted (the controller has seen the taint)', async () => (await getPod('probe')).metadata.deletionTimestamp);
    await setTaints('n3', [{ key: 'other', value: 'x', effect: 'NoSchedule' }]);
    await until('cancel event', async () => (await events('patient')).includes(`Cancelling deletion of Pod ${ns}/patient`));
    // Past the original deadline: still there.
    await new Promise((r) => setTimeout(r, 3_500));
    assert.equal((await getPod('patient')).metadata.deletionTimestamp, undefined);
    assert.deepEqual(await events('patient'), [`Cancelling deletion of Pod ${ns}/patient`]);
  });
});
