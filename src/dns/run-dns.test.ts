/**
 * Integration: the DNS server fed by informers from an in-process apiserver. Services
 * and EndpointSlices created through the API show up in answers; deletion removes them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../test/support/apiserver.js';
import { eventually } from '../../test/support/kubectl.js';
import { createClient } from '../client/rest-client.js';
import { resources, type Client } from '../client/interface.js';
import { endpointSlicesRef, runDnsServer, startClusterDns, type ClusterDns } from './run-dns.js';
import { endpointSlice, query, service, udpAsk } from './test-helpers.js';

describe('dns server with the apiserver', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  let dns: ClusterDns;
  const lines: string[] = [];

  before(async () => {
    server = await startTestApiServer('dns');
    const { pki, api } = server;
    client = createClient({ server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    dns = await startClusterDns({ client, host: '127.0.0.1', port: 0, healthPort: 0, readyPort: 0, upstreams: [], log: (l) => lines.push(l) });
  });
  after(async () => { await dns?.close(); await server?.close(); });

  it('becomes ready once the informers sync', async () => {
    await eventually('ready', async () => (await fetch(`http://127.0.0.1:${dns.readyPort}/ready`)).status === 200, 20_000, 50);
    assert.ok(lines.some((l) => /^\[INFO\] k8ts-dns v\S+ listening on 127\.0\.0\.1:\d+/.test(l)));
  });

  it('a ClusterIP service created through the API resolves to its allocated IP, then NXDOMAIN after deletion', async () => {
    const created = await client.resource(resources.services).create(service('default', 'web', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })) as any;
    const ip = created.spec.clusterIP as string;
    assert.ok(ip && ip !== 'None');
    const a = await eventually('A record', async () => {
      const r = await udpAsk(dns.port, query('web.default.svc.cluster.local', 'A'));
      return r.answers?.length ? r : undefined;
    }, 20_000, 20);
    assert.deepEqual(a.answers!.map((x) => (x as { data: unknown }).data), [ip]);
    const srv = await udpAsk(dns.port, query('_http._tcp.web.default.svc.cluster.local', 'SRV'));
    assert.equal((srv.answers![0] as { data: { port: number } }).data.port, 80);
    await client.resource(resources.services).delete('web', { namespace: 'default' });
    await eventually('NXDOMAIN', async () => (await udpAsk(dns.port, query('web.default.svc.cluster.local', 'A'))).rcode === 'NXDOMAIN', 20_000, 20);
  });

  it('a headless service resolves to the ready addresses of its EndpointSlices', async () => {
    await client.resource(resources.services).create(service('default', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }));
    await client.resource(endpointSlicesRef).create(endpointSlice('default', 'db-x1', 'db', 'IPv4', [
      { addresses: ['10.244.0.7'], hostname: 'db-0', conditions: { ready: true } },
      { addresses: ['10.244.0.8'], conditions: { ready: false } },
    ], [{ name: 'pg', port: 5432, protocol: 'TCP' }]));
    const r = await eventually('headless A', async () => {
      const x = await udpAsk(dns.port, query('db-0.db.default.svc.cluster.local', 'A'));
      return x.answers?.length ? x : undefined;
    }, 20_000, 20);
    assert.equal((r.answers![0] as { data: string }).data, '10.244.0.7');
    const all = await udpAsk(dns.port, query('db.default.svc.cluster.local', 'A'));
    assert.deepEqual(all.answers!.map((x) => (x as { data: unknown }).data), ['10.244.0.7']);
    const ptr = await udpAsk(dns.port, query('7.0.244.10.in-addr.arpa', 'PTR'));
    assert.deepEqual(ptr.answers!.map((x) => (x as { data: unknown }).data), ['db-0.db.default.svc.cluster.local']);
  });

  it('an ExternalName service answers a CNAME', async () => {
    await client.resource(resources.services).create(service('default', 'ext', { type: 'ExternalName', externalName: 'db.example.com' }));
    const r = await eventually('CNAME', async () => {
      const x = await udpAsk(dns.port, query('ext.default.svc.cluster.local', 'CNAME'));
      return x.answers?.length ? x : undefined;
    }, 20_000, 20);
    assert.equal((r.answers![0] as { data: string }).data, 'db.example.com');
  });

  it('runDnsServer returns once its signal aborts', async () => {
    const ac = new AbortController();
    const done = runDnsServer({ client, host: '127.0.0.1', port: 0, healthPort: false, readyPort: false, upstreams: [], log: () => {}, signal: ac.signal });
    ac.abort();
    await done;
  });
});
