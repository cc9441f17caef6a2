/**
 * The Endpoints controller against an in-process apiserver: Service + pods (status
 * written through pods/status) → Endpoints; readiness flips, pod deletion, named
 * targetPort, headless label, selector-less services left alone, service deletion.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import { runControllerManager } from '../manager.js';
import { isNotFound } from '../../machinery/errors.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Endpoints, Service } from '../../api/core/v1/types.js';

describe('endpoint controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';

  before(async () => {
    server = await startTestApiServer('endpoints');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    // Left over from a Service deleted while no controller ran: cleaned up at start.
    await client.resource(resources.endpoints).create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'orphan', namespace: ns } });
    const informers = createSharedInformerFactory(client);
    void runControllerManager({ client, informers, signal: ac.signal, rootCA: server.pki.ca.certPem, controllers: ['endpoint'], workers: 2 });
    informers.start(ac.signal);
  });
  after(async () => { ac.abort(); await server.close(); });

  const pods = () => client.resource<Pod>(resources.pods);
  const getEp = (name: string) => client.resource<Endpoints>(resources.endpoints).get(name, { namespace: ns }).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
  async function runPod(name: string, ip: string, ready: boolean, labels = { app: 'web' }, ports?: Array<{ name: string; containerPort: number }>): Promise<Pod> {
    const p = await pods().create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i', ports }] } });
    return setReady(p, ready, ip);
  }
  async function setReady(p: Pod, ready: boolean, ip = p.status?.podIP): Promise<Pod> {
    const cur = await pods().get(p.metadata.name!, { namespace: ns });
    return pods().update({ ...cur, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } }, { subresource: 'status' });
  }
  const createSvc = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>) =>
    client.resource<Service>(resources.services).create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec });
  const ips = (ep: Endpoints | undefined, which: 'addresses' | 'notReadyAddresses') => (ep?.subsets ?? []).flatMap((s) => (s[which] ?? []).map((a) => a.ip)).sort().join(',');

  it('lists ready and not-ready pods, follows readiness and deletion, goes with the service', async () => {
    await createSvc('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }, { team: 'a' });
    const a = await runPod('a', '10.1.0.1', true);
    await runPod('b', '10.1.0.2', false);
    await runPod('other', '10.1.0.9', true, { app: 'other' } as never);
    const ep = await until('endpoints with a ready and b not ready', async () => { const e = await getEp('web'); return ips(e, 'addresses') === '10.1.0.1' && ips(e, 'notReadyAddresses') === '10.1.0.2' && e; });
    assert.deepEqual(ep.subsets![0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(ep.subsets![0].addresses![0], { ip: '10.1.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: ns, name: 'a', uid: a.metadata.uid } });
    assert.deepEqual(ep.metadata.labels, { team: 'a' });
    assert.match(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT/);

    await setReady(a, false);
    await until('a not ready', async () => { const e = await getEp('web'); return ips(e, 'addresses') === '' && ips(e, 'notReadyAddresses') === '10.1.0.1,10.1.0.2'; });
    await pods().delete('b', { namespace: ns, gracePeriodSeconds: 0 });
    await until('b removed', async () => { const e = await getEp('web'); return ips(e, 'notReadyAddresses') === '10.1.0.1'; });
    // Nothing changed → no write (resourceVersion stays).
    const rv = (await getEp('web'))!.metadata.resourceVersion;
    await client.resource<Service>(resources.services).patch('web', { metadata: { annotations: { touched: 'yes' } } }, 'application/merge-patch+json', { namespace: ns });
    await createSvc('probe', { selector: { app: 'none' }, ports: [{ port: 1 }] });
    await until('probe endpoints (the queue has moved past web)', () => getEp('probe'));
    assert.equal((await getEp('web'))!.metadata.resourceVersion, rv);

    await client.resource(resources.services).delete('web', { namespace: ns });
    await until('endpoints deleted', async () => (await getEp('web')) === undefined);
  });

  it('named targetPort, headless label, publishNotReadyAddresses', async () => {
    await runPod('n1', '10.2.0.1', true, { app: 'named' } as never, [{ name: 'web', containerPort: 9376 }]);
    await runPod('n2', '10.2.0.2', false, { app: 'named' } as never);
    await createSvc('named', { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'named' }, ports: [{ name: 'p', port: 80, targetPort: 'web' }] });
    const ep = await until('named endpoints', async () => { const e = await getEp('named'); return ips(e, 'addresses') === '10.2.0.1' && e; });
    assert.deepEqual(ep.subsets!.map((s) => s.ports), [[{ name: 'p', port: 9376, protocol: 'TCP' }]]);
    assert.equal(ep.metadata.labels?.['service.kubernetes.io/headless'], '');
  });

  it('cleans up Endpoints without a Service at start', async () => {
    await until('orphan deleted', async () => (await getEp('orphan')) === undefined);
  });

  it('leaves selector-less services alone; none for ExternalName', async () => {
    await createSvc('ext', { type: 'ExternalName', externalName: 'example.com', selector: { app: 'web' } });
    await createSvc('manual', { ports: [{ port: 80 }] });
    await client.resource(resources.endpoints).create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual', namespace: ns }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] });
    await createSvc('probe2', { selector: { app: 'none' }, ports: [{ port: 1 }] });
    await until('probe2 endpoints', () => getEp('probe2'));
    assert.equal(ips(await getEp('manual'), 'addresses'), '192.0.2.1');
    assert.equal(await getEp('ext'), undefined);
  });
});
