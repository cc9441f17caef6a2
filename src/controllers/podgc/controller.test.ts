/**
 * The PodGC controller against an in-process apiserver with short periods: terminated
 * pods beyond the threshold (oldest first), orphaned pods after the node quarantine
 * (Failed + DisruptionTarget, then deleted), a node that comes back in time, terminating
 * pods on an out-of-service node, unscheduled
 * terminating pods; plus the ordering of terminated pods as a pure function.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import { isNotFound } from '../../machinery/errors.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { PodGCController, terminatedPodsToDelete } from './controller.js';

describe('terminatedPodsToDelete', () => {
  const pod = (name: string, created: string, phase: string, reason?: string): Pod =>
    ({ metadata: { name, creationTimestamp: created }, status: { phase, ...(reason ? { reason } : {}) } }) as Pod;
  it('evicted first, then oldest by creationTimestamp, ties by name; running pods never', () => {
    const pods = [
      pod('new', '2026-01-01T00:03:00Z', 'Succeeded'), pod('old', '2026-01-01T00:01:00Z', 'Failed'),
      pod('evicted', '2026-01-01T00:05:00Z', 'Failed', 'Evicted'), pod('b', '2026-01-01T00:02:00Z', 'Succeeded'),
      pod('a', '2026-01-01T00:02:00Z', 'Succeeded'), pod('running', '2026-01-01T00:00:00Z', 'Running'),
    ];
    assert.deepEqual(terminatedPodsToDelete(pods, 2).map((p) => p.metadata.name), ['evicted', 'old', 'a']);
    assert.deepEqual(terminatedPodsToDelete(pods, 5), []);
    assert.deepEqual(terminatedPodsToDelete(pods, 0), []);
  });
});

describe('podgc controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';
  const quarantineMs = 1_000;

  before(async () => {
    server = await startTestApiServer('podgc');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => undefined);
    await client.resource(resources.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    const informers = createSharedInformerFactory(client);
    void new PodGCController(client, informers, { terminatedPodThreshold: 2, quarantineMs, periodMs: 100 }).run(ac.signal, 1);
    informers.start(ac.signal);
  });
  after(async () => {
    ac.abort();
    for (const p of (await pods().list({ namespace: ns })).items) {
      if (p.metadata.finalizers?.length) await pods().patch(p.metadata.name!, { metadata: { finalizers: null } }, 'application/merge-patch+json', { namespace: ns }).catch(() => undefined);
    }
    await server.close();
  });

  const pods = () => client.resource<Pod>(resources.pods);
  const getPod = (name: string) => pods().get(name, { namespace: ns }).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
  async function createPod(name: string, nodeName?: string, finalizers?: string[]): Promise<Pod> {
    return pods().create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, finalizers }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'i' }] } });
  }
  async function setPhase(name: string, phase: string): Promise<void> {
    const p = await pods().get(name, { namespace: ns });
    await pods().update({ ...p, status: { ...p.status, phase } }, { subresource: 'status' });
  }

  it('deletes the oldest terminated pods beyond the threshold', async () => {
    for (const name of ['t1', 't2', 't3', 't4', 'live']) await createPod(name, 'n1');
    await setPhase('live', 'Running');
    for (const name of ['t1', 't2', 't3', 't4']) await setPhase(name, 'Succeeded');
    await until('t1 and t2 deleted', async () => !(await getPod('t1')) && !(await getPod('t2')));
    assert.ok(await getPod('t3'));
    assert.ok(await getPod('t4'));
    assert.ok(await getPod('live'));
    for (const name of ['t3', 't4', 'live']) await pods().delete(name, { namespace: ns, gracePeriodSeconds: 0 });
  });

  it('orphaned pods: after the quarantine, Failed with DisruptionTarget, then deleted; a node back in time saves its pods', async () => {
    const t0 = Date.now();
    await createPod('orphan', 'gone', ['test.k8ts.io/hold']);
    await setPhase('orphan', 'Running');
    await createPod('returning', 'late-node');
    await client.resource(resources.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'late-node' } });
    const p = await until('orphan marked and deleted', async () => { const o = await getPod('orphan'); return o?.metadata.deletionTimestamp ? o : undefined; });
    assert.ok(Date.now() - t0 >= quarantineMs, 'not before the quarantine');
    assert.equal(p.status?.phase, 'Failed');
    const cond = p.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual(cond && { status: cond.status, reason: cond.reason, message: cond.message }, { status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
    assert.equal(p.metadata.deletionGracePeriodSeconds ?? 0, 0);
    const returning = await getPod('returning');
    assert.ok(returning && !returning.metadata.deletionTimestamp);
  });

  it('terminating pods on a NotReady out-of-service node are force-deleted; elsewhere they wait for the kubelet', async () => {
    await client.resource(resources.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'oos' }, spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } });
    await createPod('stuck', 'oos', ['test.k8ts.io/hold']);
    await setPhase('stuck', 'Running');
    await createPod('graceful', 'n1', ['test.k8ts.io/hold']);
    await setPhase('graceful', 'Running');
    await pods().delete('graceful', { namespace: ns, gracePeriodSeconds: 30 });
    await pods().delete('stuck', { namespace: ns, gracePeriodSeconds: 30 });
    const p = await until('stuck pod force-deleted', async () => { const o = await getPod('stuck'); return o?.status?.phase === 'Failed' && o.metadata.deletionGracePeriodSeconds === 0 ? o : undefined; });
    assert.ok(!p.status?.conditions?.some((c) => c.type === 'DisruptionTarget'));
    const g = await getPod('graceful');
    assert.deepEqual([g?.status?.phase, g?.metadata.deletionGracePeriodSeconds], ['Running', 30]);
  });

  it('unscheduled terminating pods are marked Failed and deleted', async () => {
    await createPod('waiting');
    await createPod('pending', undefined, ['test.k8ts.io/hold']);
    await pods().delete('pending', { namespace: ns });
    const p = await until('pending marked Failed', async () => { const o = await getPod('pending'); return o?.status?.phase === 'Failed' && o; });
    assert.ok(p.metadata.deletionTimestamp);
    // An unscheduled pod not being deleted is left alone.
    const waiting = await getPod('waiting');
    assert.ok(waiting && !waiting.metadata.deletionTimestamp && waiting.status?.phase !== 'Failed');
  });
});
