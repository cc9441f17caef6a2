/**
 * ReplicationControllers through the ReplicaSet controller's logic, against an
 * in-process apiserver: pods from the template owned by the RC (apiVersion v1), scale
 * down, status counts.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import { ReplicationManager } from './controller.js';
import type { Pod } from '../../api/core/v1/pod-types.js';

let server: TestApiServer;
let client: Client;
const ac = new AbortController();
before(async () => {
  server = await startTestApiServer('rc');
  client = server.adminClient();
  await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'd' } });
  const informers = createSharedInformerFactory(client);
  void new ReplicationManager(client, informers).run(ac.signal, 2);
  informers.start(ac.signal);
});
after(async () => { ac.abort(); await server.close(); });

it('keeps spec.replicas pods of the template, owned by the ReplicationController, and reports status', async () => {
  const rcs = client.resource<any>(resources.replicationcontrollers);
  await rcs.create({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'nginx', namespace: 'd' }, spec: { replicas: 3, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } });
  const pods = () => client.resource<Pod>(resources.pods).list({ namespace: 'd', labelSelector: 'app=nginx' }).then((l) => l.items.filter((p) => !p.metadata.deletionTimestamp));
  const three = await until('3 pods', async () => { const l = await pods(); return l.length === 3 && l; });
  const ref = three[0].metadata.ownerReferences![0];
  assert.deepEqual([ref.apiVersion, ref.kind, ref.name, ref.controller], ['v1', 'ReplicationController', 'nginx', true]);
  assert.match(three[0].metadata.name!, /^nginx-[a-z0-9]{5}$/);
  await until('status replicas 3', async () => (await rcs.get('nginx', { namespace: 'd' })).status?.replicas === 3);
  await rcs.patch('nginx', { spec: { replicas: 1 } }, 'application/merge-patch+json', { namespace: 'd' });
  await until('1 pod', async () => (await pods()).length === 1);
  const rc = await until('status replicas 1', async () => { const r = await rcs.get('nginx', { namespace: 'd' }); return r.status?.replicas === 1 && r.status?.observedGeneration === 2 && r; });
  assert.equal(rc.status.fullyLabeledReplicas, 1);
});
