/**
 * The node-failure path across controllers, against an in-process apiserver (the test
 * plays the kubelets): node lifecycle (1.5 s grace period) + taint eviction + ReplicaSet.
 * A node stops heartbeating → Ready Unknown → unreachable NoExecute taint → its pod,
 * tolerating unreachable for 1 s, gets DisruptionTarget and is deleted → the ReplicaSet
 * creates a replacement. A node that never posted status goes Unknown with
 * NodeStatusNeverUpdated.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import { rfc3339 } from '../../machinery/time.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import type { ReplicaSet } from '../../api/apps/v1/types.js';
import { ReplicaSetController } from '../replicaset/controller.js';
import { TaintEvictionController } from '../tainteviction/controller.js';
import { NodeLifecycleController } from './controller.js';

describe('node heartbeat loss', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';

  before(async () => {
    server = await startTestApiServer('heartbeat-loss');
    client = server.adminClient();
    for (const name of [ns, 'kube-node-lease']) await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => undefined);
    const informers = createSharedInformerFactory(client);
    void new NodeLifecycleController(client, informers, { nodeMonitorGracePeriodMs: 1_500, nodeMonitorPeriodMs: 100 }).run(ac.signal, 1);
    void new TaintEvictionController(client, informers).run(ac.signal, 1);
    void new ReplicaSetController(client, informers).run(ac.signal, 1);
    informers.start(ac.signal);
  });
  after(async () => { ac.abort(); await server.close(); });

  const nodes = () => client.resource<Node>(resources.nodes);
  const pods = () => client.resource<Pod>(resources.pods);

  it('NotReady after the grace period, NoExecute taint, pod evicted and replaced', async () => {
    const n = await nodes().create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1' } });
    await nodes().update({ ...n, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: rfc3339(), lastTransitionTime: rfc3339() }] } }, { subresource: 'status' });
    await client.resource<ReplicaSet>(resources.replicasets).create({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: ns },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: {
        tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }],
        containers: [{ name: 'c', image: 'i' }] } } },
    });
    // Play the scheduler: bind the first pod to w1.
    const first = await until('first pod', async () => (await pods().list({ namespace: ns })).items[0]);
    await pods().create(
      { apiVersion: 'v1', kind: 'Binding', metadata: { name: first.metadata.name, namespace: ns }, target: { kind: 'Node', name: 'w1' } } as never,
      { namespace: ns, name: first.metadata.name, subresource: 'binding' });

    await until('w1 Ready Unknown', async () => (await nodes().get('w1')).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown');
    await until('unreachable NoExecute taint', async () => (await nodes().get('w1')).spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute'));
    const evicted = await until('first pod evicted', async () => { const p = await pods().get(first.metadata.name!, { namespace: ns }); return p.metadata.deletionTimestamp ? p : undefined; });
    assert.equal(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
    const replacement = await until('replacement pod', async () => (await pods().list({ namespace: ns })).items.find((p) => p.metadata.name !== first.metadata.name && !p.metadata.deletionTimestamp));
    assert.equal(replacement.spec?.nodeName, undefined);
  });

  it('a node that never posted status goes Unknown with NodeStatusNeverUpdated', async () => {
    await nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'mute' } });
    const ready = await until('mute Ready Unknown', async () => (await nodes().get('mute')).status?.conditions?.find((c) => c.type === 'Ready'));
    assert.equal(ready.status, 'Unknown');
    assert.equal(ready.reason, 'NodeStatusNeverUpdated');
    assert.equal(ready.message, 'Kubelet never posted node status.');
  });
});
