/**
 * DefaultPreemption end to end against an in-process apiserver: priorities come from
 * PriorityClasses (Priority admission), a high-priority pod that fits nowhere makes the
 * scheduler mark (DisruptionTarget/PreemptionByScheduler) and delete a lower-priority
 * pod, nominate the node and bind there once the victim is gone; a PodDisruptionBudget
 * with disruptionsAllowed 0 (status written here: no disruption controller runs) steers
 * preemption away from the pod it protects. A stand-in kubelet finishes graceful
 * deletions (force-deletes pods once they carry a deletionTimestamp).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../../test/support/apiserver.js';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import type { KubeObject } from '../../../api/object.js';
import { createSharedInformerFactory } from '../../../client/informers/shared-informer-factory.js';
import { resources, type Client } from '../../../client/interface.js';
import { isNotFound } from '../../../machinery/errors.js';
import { runScheduler } from '../../scheduler.js';
import { PDB_RESOURCE } from './default-preemption.js';

describe('DefaultPreemption against an apiserver', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  let scheduler: Promise<void>;
  let kubelet: NodeJS.Timeout;
  const ns = 'default';
  const pods = () => client.resource<Pod>(resources.pods);
  const getPod = (name: string) => pods().get(name, { namespace: ns }).catch((e) => { if (isNotFound(e)) return undefined; throw e; });

  async function createNode(name: string, cpu: string): Promise<void> {
    const n = await client.resource<Node>(resources.nodes).create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
    await client.resource<Node>(resources.nodes).update({ ...n, status: { allocatable: { cpu, memory: '4Gi', pods: '110' }, capacity: { cpu, memory: '4Gi', pods: '110' } } }, { subresource: 'status' });
  }
  async function createPod(name: string, priorityClassName: string, cpu: string, extra: { nodeName?: string; labels?: Record<string, string> } = {}): Promise<Pod> {
    return pods().create<Pod>({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: extra.labels },
      spec: { priorityClassName, ...(extra.nodeName ? { nodeName: extra.nodeName } : {}), containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }] },
    });
  }

  before(async () => {
    server = await startTestApiServer('preemption');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => undefined);
    const pcs = client.resource({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' });
    for (const [name, value] of [['low', 10], ['mid', 100], ['high', 1000]] as const) {
      await pcs.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value } as KubeObject);
    }
    const informers = createSharedInformerFactory(client);
    scheduler = runScheduler({ client, informers, signal: ac.signal, queue: { initialBackoffMs: 20, maxBackoffMs: 200 } });
    informers.start(ac.signal);
    // The stand-in kubelet: a pod marked for deletion is gone at once.
    kubelet = setInterval(() => {
      void pods().list({ namespace: ns }).then(async (l) => {
        for (const p of l.items) if (p.metadata.deletionTimestamp) await pods().delete(p.metadata.name!, { namespace: ns, gracePeriodSeconds: 0 }).catch(() => undefined);
      }).catch(() => undefined);
    }, 20);
  });
  after(async () => {
    clearInterval(kubelet);
    ac.abort();
    await scheduler;
    await server.close();
  });

  it('a high-priority pod preempts a low-priority pod on a full node', async () => {
    await createNode('n1', '1');
    await createPod('victim', 'low', '600m');
    await until('victim bound', async () => (await getPod('victim'))?.spec?.nodeName === 'n1');
    // Every version of the victim, from a watch (it is gone moments after being marked).
    const watched: Pod[] = [];
    const stopWatch = new AbortController();
    const victimRv = (await getPod('victim'))!.metadata.resourceVersion;
    const watching = (async () => {
      try {
        for await (const ev of pods().watch({ namespace: ns, fieldSelector: 'metadata.name=victim', resourceVersion: victimRv, signal: stopWatch.signal })) watched.push(ev.object);
      } catch { /* aborted */ }
    })();
    try {
      await createPod('preemptor', 'high', '600m');
      const bound = await until('preemptor bound to n1', async () => { const p = await getPod('preemptor'); return p?.spec?.nodeName === 'n1' ? p : undefined; });
      assert.equal(bound.spec?.priority, 1000);
      assert.equal(bound.status?.nominatedNodeName, 'n1');
      assert.equal(await getPod('victim'), undefined);
      await until('victim deletion watched', async () => watched.some((p) => p.metadata.deletionTimestamp));
    } finally { stopWatch.abort(); await watching; }
    const marked = watched.map((p) => p.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).find((c) => c);
    assert.deepEqual(marked && { status: marked.status, reason: marked.reason, message: marked.message },
      { status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' });
    await pods().delete('preemptor', { namespace: ns, gracePeriodSeconds: 0 });
  });

  it('a PodDisruptionBudget with disruptionsAllowed 0 keeps its pod: the other node is preempted', async () => {
    await createNode('n2', '1');
    await createNode('n3', '1');
    // Without the PDB n2 would be chosen: its victim has the lower priority.
    await createPod('guarded', 'low', '600m', { nodeName: 'n2', labels: { app: 'guarded' } });
    await createPod('plain', 'mid', '600m', { nodeName: 'n3' });
    // n1 is taken by a pod the preemptor cannot preempt.
    await createPod('equal', 'high', '600m', { nodeName: 'n1' });
    const pdbs = client.resource(PDB_RESOURCE);
    const pdb = await pdbs.create<KubeObject & Record<string, unknown>>({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guard', namespace: ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } } as KubeObject);
    await pdbs.update({ ...pdb, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, observedGeneration: pdb.metadata.generation } } as KubeObject, { subresource: 'status' });
    assert.equal(((await pdbs.get('guard', { namespace: ns })) as KubeObject & { status?: { disruptionsAllowed?: number } }).status?.disruptionsAllowed, 0);

    await createPod('urgent', 'high', '600m');
    const bound = await until('urgent bound', async () => { const p = await getPod('urgent'); return p?.spec?.nodeName ? p : undefined; });
    assert.equal(bound.spec?.nodeName, 'n3');
    assert.equal(bound.status?.nominatedNodeName, 'n3');
    assert.equal(await getPod('plain'), undefined);
    const guarded = await getPod('guarded');
    assert.ok(guarded && !guarded.metadata.deletionTimestamp);
    assert.ok(!(guarded.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget'));
  });
});
