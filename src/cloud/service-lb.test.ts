import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../test/support/apiserver.js';
import { createSharedInformerFactory } from '../client/informers/shared-informer-factory.js';
import { resources, type Client } from '../client/interface.js';
import type { Service } from '../api/core/v1/types.js';
import { ServiceLBController, LB_CLEANUP_FINALIZER } from './service-lb.js';
import { isNotFound } from '../machinery/errors.js';

async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const lb = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
  spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port, targetPort: 8080 }], ...extra },
});

for (const mode of ['node addresses (ServiceLB)', 'a pool (MetalLB-like)'] as const) {
  describe(`LoadBalancer Services get ${mode}`, () => {
    let server: TestApiServer;
    let client: Client;
    const abort = new AbortController();
    const pool = mode.startsWith('a pool') ? '10.96.255.0/30' : undefined;
    const svc = (name: string) => client.resource<Service>(resources.services).get(name, { namespace: 'default' });
    const ingress = (s: Service) => ((s.status?.loadBalancer?.ingress ?? []) as Array<{ ip: string }>).map((i) => i.ip);

    before(async () => {
      server = await startTestApiServer('service-lb');
      client = server.adminClient();
      await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
      const node = await client.resource(resources.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
      await client.resource(resources.nodes).patch('n1', { status: { addresses: [{ type: 'InternalIP', address: '10.244.0.1' }], conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] } }, 'application/merge-patch+json', { subresource: 'status' });
      assert.ok(node.metadata.uid);
      const informers = createSharedInformerFactory(client);
      void new ServiceLBController(client, informers, { pool }).run(abort.signal, 2);
      informers.start(abort.signal);
    });
    after(async () => { abort.abort(); await server.close(); });

    it('an address and the cleanup finalizer; the second Service on the same port waits (ServiceLB) or gets the next address (pool)', async () => {
      await client.resource(resources.services).create(lb('a', 80));
      const a = await eventually('a ingress', async () => { const s = await svc('a'); return ingress(s).length ? s : undefined; });
      assert.deepEqual(ingress(a), pool ? ['10.96.255.1'] : ['10.244.0.1']);
      assert.ok(a.metadata.finalizers?.includes(LB_CLEANUP_FINALIZER));
      await client.resource(resources.services).create(lb('b', 80));
      if (pool) {
        const b = await eventually('b ingress', async () => { const s = await svc('b'); return ingress(s).length ? s : undefined; });
        assert.deepEqual(ingress(b), ['10.96.255.2']);
      } else {
        await eventually('b PortInUse event', async () => (await client.resource(resources.events).list({ namespace: 'default' })).items.some((e: any) => e.reason === 'PortInUse' && e.involvedObject.name === 'b'));
        assert.deepEqual(ingress(await svc('b')), []);
      }
    });

    it('turning a Service into ClusterIP clears its address and finalizer; deleting one completes', async () => {
      const a = await svc('a');
      await client.resource<Service>(resources.services).update({ ...a, spec: { ...a.spec, type: 'ClusterIP' } } as Service);
      const cleared = await eventually('a cleared', async () => { const s = await svc('a'); return ingress(s).length === 0 && !s.metadata.finalizers?.includes(LB_CLEANUP_FINALIZER) ? s : undefined; });
      assert.equal(cleared.spec?.ports?.[0].nodePort, undefined, 'the nodePort went with the type (upstream dropTypeDependentFields)');
      // And back: a type that needs a nodePort gets one on update.
      const np = await client.resource<Service>(resources.services).patch('a', { spec: { type: 'NodePort' } }, 'application/merge-patch+json', { namespace: 'default' });
      assert.ok((np.spec?.ports?.[0].nodePort ?? 0) >= 30000);
      await client.resource(resources.services).delete('b', { namespace: 'default' });
      await eventually('b gone', async () => { try { await svc('b'); return false; } catch (e) { return isNotFound(e); } });
    });
  });
}
