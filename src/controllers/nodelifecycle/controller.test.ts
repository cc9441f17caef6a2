/**
 * The node lifecycle controller against an in-process apiserver with a 1.5 s grace
 * period; the test plays the kubelet (Node status and kube-node-lease Leases). A node
 * whose heartbeats stop goes Unknown (NodeNotReady event, pods not ready, unreachable
 * taints) while a node renewing only its Lease stays Ready; a node reporting Ready again
 * loses the taints; Ready False, pressure, NetworkUnavailable and unschedulable give
 * their taints and foreign taints stay.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import { microTime, rfc3339 } from '../../machinery/time.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node, Taint } from '../../api/core/v1/types.js';
import type { Lease } from '../../api/coordination/v1/types.js';
import { NodeLifecycleController } from './controller.js';

describe('node lifecycle controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';
  const timers: NodeJS.Timeout[] = [];

  before(async () => {
    server = await startTestApiServer('nodelifecycle');
    client = server.adminClient();
    for (const name of [ns, 'kube-node-lease']) await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => undefined);
    const informers = createSharedInformerFactory(client);
    void new NodeLifecycleController(client, informers, { nodeMonitorGracePeriodMs: 1_500, nodeMonitorPeriodMs: 100 }).run(ac.signal, 2);
    informers.start(ac.signal);
  });
  after(async () => { for (const t of timers) clearInterval(t); ac.abort(); await server.close(); });

  const nodes = () => client.resource<Node>(resources.nodes);
  const leases = () => client.resource<Lease>(resources.leases);
  const cond = (type: string, status: string) => ({ type, status, lastHeartbeatTime: rfc3339(), lastTransitionTime: rfc3339(), reason: 'Kubelet', message: 'kubelet says so' });
  /** Posts the node status as a kubelet would (all conditions with a fresh heartbeat). */
  async function postStatus(name: string, conditions: Array<[string, string]>): Promise<Node> {
    const cur = await nodes().get(name);
    return nodes().update({ ...cur, status: { ...cur.status, conditions: conditions.map(([t, s]) => cond(t, s)) } }, { subresource: 'status' });
  }
  const healthy: Array<[string, string]> = [['MemoryPressure', 'False'], ['DiskPressure', 'False'], ['PIDPressure', 'False'], ['Ready', 'True']];
  async function createNode(name: string, spec: Node['spec'] = {}): Promise<void> {
    await nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec });
    await postStatus(name, healthy);
    await leases().create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() } });
  }
  const renewLease = (name: string) => leases().patch(name, { spec: { renewTime: microTime() } }, 'application/merge-patch+json', { namespace: 'kube-node-lease' });
  const taintsOf = async (name: string): Promise<string[]> => ((await nodes().get(name)).spec?.taints ?? []).map((t: Taint) => `${t.key}:${t.effect}`).sort();
  const events = async (reason: string, name: string) => ((await client.resource(resources.events).list({ namespace: ns })).items as unknown as Array<{ reason: string; message: string; involvedObject: { name: string; kind: string } }>)
    .filter((e) => e.reason === reason && e.involvedObject.name === name);

  it('a silent node goes Unknown, tainted unreachable, its pods not ready; a Lease alone keeps a node healthy; Ready again removes the taints', async () => {
    await createNode('silent');
    await createNode('leased');
    // 'leased' only renews its Lease (as the kubelet does between status posts).
    timers.push(setInterval(() => { void renewLease('leased').catch(() => undefined); }, 200));
    const pod = await client.resource<Pod>(resources.pods).create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec: { nodeName: 'silent', containers: [{ name: 'c', image: 'i' }] } });
    await client.resource<Pod>(resources.pods).update({ ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339() }] } }, { subresource: 'status' });

    const n = await until('silent node Unknown', async () => { const x = await nodes().get('silent'); return x.status?.conditions?.every((c) => c.status === 'Unknown') && x; });
    for (const c of n.status!.conditions!) {
      assert.equal(c.reason, 'NodeStatusUnknown');
      assert.equal(c.message, 'Kubelet stopped posting node status.');
    }
    await until('unreachable taints', async () => JSON.stringify(await taintsOf('silent')) === JSON.stringify(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']));
    const noExecute = (await nodes().get('silent')).spec!.taints!.find((t) => t.effect === 'NoExecute')!;
    assert.match(noExecute.timeAdded ?? '', /^\d{4}-\d\d-\d\dT/);
    await until('NodeNotReady event on the node', async () => (await events('NodeNotReady', 'silent')).find((e) => e.message === 'Node silent status is now: NodeNotReady' && e.involvedObject.kind === 'Node'));
    await until('pod not ready', async () => (await client.resource<Pod>(resources.pods).get('p', { namespace: ns })).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False');
    await until('NodeNotReady event on the pod', async () => (await events('NodeNotReady', 'p')).find((e) => e.involvedObject.kind === 'Pod'));

    // The Lease-only node stayed healthy and untainted.
    const leased = await nodes().get('leased');
    assert.equal(leased.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.deepEqual(await taintsOf('leased'), []);

    // The kubelet comes back.
    await postStatus('silent', healthy);
    await renewLease('silent');
    timers.push(setInterval(() => { void renewLease('silent').catch(() => undefined); }, 200));
    await until('taints removed', async () => (await taintsOf('silent')).length === 0);
    assert.equal((await nodes().get('silent')).status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  });

  it('Ready False, pressure, NetworkUnavailable and unschedulable give their taints; foreign taints stay', async () => {
    await createNode('sick', { unschedulable: true, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    timers.push(setInterval(() => { void renewLease('sick').catch(() => undefined); }, 200));
    await postStatus('sick', [['MemoryPressure', 'True'], ['DiskPressure', 'True'], ['PIDPressure', 'True'], ['NetworkUnavailable', 'True'], ['Ready', 'False']]);
    const want = ['dedicated:NoSchedule', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/network-unavailable:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule'];
    await until('condition taints', async () => JSON.stringify(await taintsOf('sick')) === JSON.stringify(want));

    const cur = await nodes().get('sick');
    await nodes().update({ ...cur, spec: { ...cur.spec, unschedulable: false } });
    await postStatus('sick', healthy);
    await until('only the foreign taint left', async () => JSON.stringify(await taintsOf('sick')) === JSON.stringify(['dedicated:NoSchedule']));
  });
});
