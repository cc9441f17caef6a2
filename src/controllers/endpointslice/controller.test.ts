/**
 * The EndpointSlice controller (with the garbage collector) against an in-process
 * apiserver: placeholder → endpoints with conditions, readiness flip, terminating pod,
 * deletion, named targetPort, headless label, foreign-managed slices untouched, max per
 * slice, and the slices going with the Service.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import { runControllerManager } from '../manager.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Service } from '../../api/core/v1/types.js';
import type { EndpointSlice } from '../../api/discovery/v1/endpoint-slice.js';

interface Ep { addresses: string[]; conditions: { ready: boolean; serving: boolean; terminating: boolean }; nodeName?: string; zone?: string; targetRef: { name: string; uid: string } }

describe('endpointslice controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';

  before(async () => {
    server = await startTestApiServer('endpointslices');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await client.resource(resources.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
    const informers = createSharedInformerFactory(client);
    void runControllerManager({ client, informers, signal: ac.signal, rootCA: server.pki.ca.certPem, controllers: ['endpointslice', 'garbagecollector'], workers: 2 });
    informers.start(ac.signal);
  });
  after(async () => { ac.abort(); await server.close(); });

  const pods = () => client.resource<Pod>(resources.pods);
  const slicesOf = async (svc: string) => (await client.resource<EndpointSlice>(resources.endpointslices).list({ namespace: ns, labelSelector: `kubernetes.io/service-name=${svc}` })).items;
  const eps = async (svc: string) => (await slicesOf(svc)).flatMap((s) => s.endpoints as Ep[]).sort((a, b) => a.addresses[0].localeCompare(b.addresses[0]));
  async function runPod(name: string, ip: string, ready: boolean, labels: Record<string, string>, ports?: Array<{ name: string; containerPort: number }>): Promise<Pod> {
    await pods().create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels, finalizers: ['test/hold'] }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i', ports }] } });
    return setReady(name, ready, ip);
  }
  async function setReady(name: string, ready: boolean, ip?: string): Promise<Pod> {
    const cur = await pods().get(name, { namespace: ns });
    ip ??= cur.status?.podIP;
    return pods().update({ ...cur, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } }, { subresource: 'status' });
  }
  const release = (name: string) => pods().patch(name, { metadata: { finalizers: null } }, 'application/merge-patch+json', { namespace: ns });
  const createSvc = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>) =>
    client.resource<Service>(resources.services).create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec });

  it('placeholder, endpoints with conditions, readiness flip, terminating, deletion, service deletion', async () => {
    const svc = await createSvc('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }, { team: 'a' });
    const [ph] = await until('placeholder slice', async () => { const s = await slicesOf('web'); return s.length === 1 && s; });
    assert.deepEqual([ph.endpoints ?? [], ph.ports ?? []], [[], []]);
    assert.equal(ph.addressType, 'IPv4');
    assert.equal(ph.metadata.generateName, 'web-');
    assert.deepEqual(ph.metadata.labels, { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(ph.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);

    const a = await runPod('a', '10.1.0.1', true, { app: 'web' });
    await runPod('b', '10.1.0.2', false, { app: 'web' });
    const got = await until('two endpoints', async () => { const e = await eps('web'); return e.length === 2 && e; });
    assert.deepEqual(got[0], { addresses: ['10.1.0.1'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1', zone: 'zone-a', targetRef: { kind: 'Pod', namespace: ns, name: 'a', uid: a.metadata.uid } });
    assert.deepEqual(got[1].conditions, { ready: false, serving: false, terminating: false });
    const [s1] = await slicesOf('web');
    assert.equal(s1.metadata.name, ph.metadata.name, 'the placeholder is reused');
    assert.deepEqual(s1.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.match(s1.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-/);

    const t0 = Date.now();
    await setReady('b', true);
    await until('b ready', async () => (await eps('web'))[1]?.conditions.ready === true);
    assert.ok(Date.now() - t0 < 1000, `readiness propagated in ${Date.now() - t0} ms`);

    await pods().delete('a', { namespace: ns, gracePeriodSeconds: 0 }); // held by the finalizer: terminating
    await until('a terminating', async () => { const c = (await eps('web'))[0]?.conditions; return c?.terminating === true && c.ready === false && c.serving === true; });
    await release('a');
    await until('a gone', async () => (await eps('web')).map((e) => e.targetRef.name).join() === 'b');

    await client.resource(resources.services).delete('web', { namespace: ns });
    await until('slices garbage-collected', async () => (await slicesOf('web')).length === 0);
    await release('b');
  });

  it('named targetPort, headless label, max 100 per slice, foreign slices untouched', async () => {
    const foreign = await client.resource<EndpointSlice>(resources.endpointslices).create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'hand-made', namespace: ns, labels: { 'kubernetes.io/service-name': 'named', 'endpointslice.kubernetes.io/managed-by': 'someone-else' } }, addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.1'] }], ports: [] });
    await Promise.all(Array.from({ length: 105 }, (_, i) => runPod(`n${i}`, `10.2.${Math.floor(i / 200)}.${(i % 200) + 1}`, true, { app: 'named' }, [{ name: 'web', containerPort: 9376 }])));
    await createSvc('named', { clusterIP: 'None', selector: { app: 'named' }, ports: [{ name: 'p', port: 80, targetPort: 'web' }] });
    const mine = await until('105 endpoints in two slices', async () => {
      const s = (await slicesOf('named')).filter((x) => x.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io');
      return s.reduce((n, x) => n + (x.endpoints?.length ?? 0), 0) === 105 && s;
    });
    assert.deepEqual(mine.map((s) => s.endpoints.length).sort((a, b) => a - b), [5, 100]);
    for (const s of mine) {
      assert.equal(s.metadata.labels?.['service.kubernetes.io/headless'], '');
      assert.deepEqual(s.ports, [{ name: 'p', port: 9376, protocol: 'TCP' }]);
    }
    const still = await client.resource<EndpointSlice>(resources.endpointslices).get('hand-made', { namespace: ns });
    assert.equal(still.metadata.resourceVersion, foreign.metadata.resourceVersion);
    await Promise.all(Array.from({ length: 105 }, (_, i) => release(`n${i}`)));
  });
});
