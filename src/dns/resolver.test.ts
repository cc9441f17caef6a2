/**
 * The resolver and query handler from a hand-fed index: every record type of the
 * Kubernetes DNS spec, NXDOMAIN vs NODATA, case-insensitivity, malformed messages.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DnsRecords, reverseName } from './records.js';
import { Resolver, ipFromReverse, podIP } from './resolver.js';
import { QueryHandler } from './handler.js';
import { decode, endpointSlice, query, service, type Reply } from './test-helpers.js';

function setup(): { records: DnsRecords; handler: QueryHandler; ask: (name: string, type: string) => Reply } {
  const records = new DnsRecords();
  const resolver = new Resolver(records, { reverseCidrs: ['10.96.0.0/12', '10.244.0.0/16'] });
  const handler = new QueryHandler({ resolver });
  records.onChange(() => handler.invalidate());
  records.upsertService(service('default', 'web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 9000 }] }));
  records.upsertService(service('default', 'dual', { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11', 'fd00::11'] }));
  records.upsertService(service('db', 'pg', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }));
  records.upsertEndpointSlice(endpointSlice('db', 'pg-abc', 'pg', 'IPv4', [
    { addresses: ['10.244.1.5'], hostname: 'pg-0', conditions: { ready: true } },
    { addresses: ['10.244.1.6'], conditions: { ready: true } },
    { addresses: ['10.244.1.7'], hostname: 'pg-2', conditions: { ready: false } },
  ], [{ name: 'pg', port: 5432, protocol: 'TCP' }]));
  records.upsertService(service('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }));
  records.upsertService(service('default', 'alias', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }));
  const ask = (name: string, type: string): Reply => {
    const r = handler.handle(query(name, type), 'udp');
    assert.ok(Buffer.isBuffer(r), 'answered synchronously');
    return decode(r as Buffer);
  };
  return { records, handler, ask };
}

const data = (r: Reply): unknown[] => (r.answers ?? []).map((a) => (a as { data: unknown }).data);

describe('dns resolver', () => {
  it('A of a ClusterIP service, authoritative, TTL 5, id echoed', () => {
    const { ask } = setup();
    const r = ask('web.default.svc.cluster.local', 'A');
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.flag_aa, true);
    assert.equal(r.flag_qr, true);
    assert.equal(r.flag_rd, true);
    assert.equal(r.id, 4242);
    assert.deepEqual(data(r), ['10.96.0.10']);
    assert.equal((r.answers![0] as { ttl: number }).ttl, 5);
  });

  it('AAAA of a dual-stack service; AAAA of an IPv4-only service is NODATA with the SOA', () => {
    const { ask } = setup();
    assert.deepEqual(data(ask('dual.default.svc.cluster.local', 'AAAA')), ['fd00::11']);
    const r = ask('web.default.svc.cluster.local', 'AAAA');
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.answers!.length, 0);
    assert.equal(r.authorities![0].type, 'SOA');
    assert.equal(r.authorities![0].name, 'cluster.local');
    const soa = (r.authorities![0] as { data: { mname: string; rname: string } }).data;
    assert.equal(soa.mname, 'ns.dns.cluster.local');
    assert.equal(soa.rname, 'hostmaster.cluster.local');
  });

  it('NXDOMAIN for unknown names in the zone, NODATA for empty non-terminals', () => {
    const { ask } = setup();
    const nx = ask('nope.default.svc.cluster.local', 'A');
    assert.equal(nx.rcode, 'NXDOMAIN');
    assert.equal(nx.flag_aa, true);
    assert.equal(nx.authorities![0].type, 'SOA');
    assert.equal(ask('default.svc.cluster.local', 'A').rcode, 'NOERROR');
    assert.equal(ask('svc.cluster.local', 'A').rcode, 'NOERROR');
    assert.equal(ask('_tcp.web.default.svc.cluster.local', 'SRV').rcode, 'NOERROR');
    assert.equal(ask('nons.svc.cluster.local', 'A').rcode, 'NXDOMAIN');
    assert.equal(ask('cluster.local', 'SOA').answers![0].type, 'SOA');
  });

  it('names are case-insensitive and the question keeps the client case', () => {
    const { ask } = setup();
    const r = ask('WeB.Default.SVC.Cluster.Local', 'A');
    assert.deepEqual(data(r), ['10.96.0.10']);
    assert.equal(r.questions![0].name, 'WeB.Default.SVC.Cluster.Local');
    assert.deepEqual(data(ask('web.default.svc.cluster.local', 'A')), ['10.96.0.10']); // cached template, other case
  });

  it('SRV of a named port of a ClusterIP service with the A in the additional section', () => {
    const { ask } = setup();
    const r = ask('_http._tcp.web.default.svc.cluster.local', 'SRV');
    assert.deepEqual(data(r), [{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
    assert.deepEqual(r.additionals!.map((a) => [a.name, a.type, (a as { data: unknown }).data]), [['web.default.svc.cluster.local', 'A', '10.96.0.10']]);
    assert.equal(ask('_9000._tcp.web.default.svc.cluster.local', 'SRV').rcode, 'NXDOMAIN');
  });

  it('headless service: ready endpoint addresses, hostname and dashed-IP names, per-endpoint SRV', () => {
    const { ask } = setup();
    assert.deepEqual(data(ask('pg.db.svc.cluster.local', 'A')).sort(), ['10.244.1.5', '10.244.1.6']);
    assert.deepEqual(data(ask('pg-0.pg.db.svc.cluster.local', 'A')), ['10.244.1.5']);
    assert.deepEqual(data(ask('10-244-1-6.pg.db.svc.cluster.local', 'A')), ['10.244.1.6']);
    assert.equal(ask('pg-2.pg.db.svc.cluster.local', 'A').rcode, 'NXDOMAIN'); // not ready
    const srv = ask('_pg._tcp.pg.db.svc.cluster.local', 'SRV');
    assert.deepEqual((data(srv) as Array<{ target: string; port: number; weight: number }>).map((d) => [d.target, d.port, d.weight]).sort(), [
      ['10-244-1-6.pg.db.svc.cluster.local', 5432, 50], ['pg-0.pg.db.svc.cluster.local', 5432, 50]]);
    assert.equal(srv.additionals!.length, 2);
  });

  it('publishNotReadyAddresses publishes not-ready endpoints; slice deletion removes them', () => {
    const { ask, records } = setup();
    records.upsertService(service('db', 'pg', { clusterIP: 'None', publishNotReadyAddresses: true }));
    assert.deepEqual(data(ask('pg-2.pg.db.svc.cluster.local', 'A')), ['10.244.1.7']);
    records.deleteEndpointSlice(endpointSlice('db', 'pg-abc', 'pg', 'IPv4', []));
    assert.equal(ask('pg.db.svc.cluster.local', 'A').rcode, 'NXDOMAIN'); // spec §2.4.1: no ready endpoints
    assert.equal(ask('pg-0.pg.db.svc.cluster.local', 'A').rcode, 'NXDOMAIN');
  });

  it('ExternalName answers a CNAME; an in-cluster target is followed', () => {
    const { ask } = setup();
    const r = ask('ext.default.svc.cluster.local', 'CNAME');
    assert.deepEqual(r.answers!.map((a) => [a.type, (a as { data: unknown }).data]), [['CNAME', 'example.com']]);
    const alias = ask('alias.default.svc.cluster.local', 'A');
    assert.deepEqual(alias.answers!.map((a) => [a.type, (a as { data: unknown }).data]), [['CNAME', 'web.default.svc.cluster.local'], ['A', '10.96.0.10']]);
  });

  it('ExternalName to an outside name without a forwarder: the CNAME alone', async () => {
    const { handler } = setup();
    const r = decode((await handler.handle(query('ext.default.svc.cluster.local', 'A'), 'udp'))!);
    assert.deepEqual(r.answers!.map((a) => a.type), ['CNAME']);
  });

  it('PTR of ClusterIPs and endpoints; NXDOMAIN inside the cluster CIDRs', () => {
    const { ask } = setup();
    assert.deepEqual(data(ask('10.0.96.10.in-addr.arpa', 'PTR')), ['web.default.svc.cluster.local']);
    assert.deepEqual(data(ask(reverseName('10.244.1.5')!, 'PTR')), ['pg-0.pg.db.svc.cluster.local']);
    assert.deepEqual(data(ask(reverseName('fd00::11')!, 'PTR')), ['dual.default.svc.cluster.local']);
    const nx = ask('99.0.96.10.in-addr.arpa', 'PTR');
    assert.equal(nx.rcode, 'NXDOMAIN');
    assert.equal(nx.authorities![0].name, 'in-addr.arpa');
  });

  it('pod records in insecure mode: IPv4 and IPv6 spelt in the name', () => {
    const { ask } = setup();
    assert.deepEqual(data(ask('10-244-1-9.default.pod.cluster.local', 'A')), ['10.244.1.9']);
    assert.deepEqual(data(ask('fd00--9.default.pod.cluster.local', 'AAAA')), ['fd00::9']);
    assert.equal(ask('10-244-1-9.default.pod.cluster.local', 'AAAA').rcode, 'NOERROR');
    assert.equal(ask('not-an-ip.default.pod.cluster.local', 'A').rcode, 'NXDOMAIN');
  });

  it('pod records in verified mode: only IPs of Pods in that namespace', () => {
    const records = new DnsRecords();
    const handler = new QueryHandler({ resolver: new Resolver(records, { pods: 'verified' }) });
    records.onChange(() => handler.invalidate());
    const ask = (n: string): Reply => decode(handler.handle(query(n, 'A'), 'udp') as Buffer);
    const pod = { metadata: { namespace: 'default', name: 'p' }, status: { podIP: '10.244.1.9', podIPs: [{ ip: '10.244.1.9' }] } } as never;
    assert.equal(ask('10-244-1-9.default.pod.cluster.local').rcode, 'NXDOMAIN');
    records.upsertPod(pod);
    assert.deepEqual(data(ask('10-244-1-9.default.pod.cluster.local')), ['10.244.1.9']);
    assert.equal(ask('10-244-1-9.other.pod.cluster.local').rcode, 'NXDOMAIN');
    records.deletePod(pod);
    assert.equal(ask('10-244-1-9.default.pod.cluster.local').rcode, 'NXDOMAIN');
  });

  it('dns-version TXT', () => {
    const { ask } = setup();
    const r = ask('dns-version.cluster.local', 'TXT');
    assert.deepEqual((r.answers![0] as { data: Buffer[] }).data.map(String), ['1.1.0']);
  });

  it('names outside the zone without a forwarder: SERVFAIL', async () => {
    const { handler } = setup();
    const r = decode((await handler.handle(query('example.com', 'A'), 'udp'))!);
    assert.equal(r.rcode, 'SERVFAIL');
  });

  it('malformed messages: FORMERR or dropped, never a throw', () => {
    const { handler } = setup();
    assert.equal(handler.handle(Buffer.from([1, 2, 3]), 'udp'), undefined);
    const q = query('web.default.svc.cluster.local', 'A');
    const cut = decode(handler.handle(q.subarray(0, 20), 'udp') as Buffer);
    assert.equal(cut.rcode, 'FORMERR');
    assert.equal(cut.id, 4242);
    const twoQ = Buffer.from(q); twoQ.writeUInt16BE(2, 4);
    assert.equal(decode(handler.handle(twoQ, 'udp') as Buffer).rcode, 'FORMERR');
    const response = Buffer.from(q); response.writeUInt16BE(0x8100, 2);
    assert.equal(handler.handle(response, 'udp'), undefined);
    const badLabel = Buffer.from(q); badLabel[12] = 0xc0; // a compression pointer in the question
    assert.equal(decode(handler.handle(badLabel, 'udp') as Buffer).rcode, 'FORMERR');
    for (let i = 0; i < 2000; i++) {
      const junk = Buffer.from(q);
      junk[12 + (i % (junk.length - 12))] = (i * 37) & 0xff;
      const r = handler.handle(junk, 'udp');
      assert.ok(r === undefined || Buffer.isBuffer(r) || r instanceof Promise);
    }
  });

  it('EDNS: OPT echoed; large answers truncated with TC over UDP', () => {
    const { records, handler } = setup();
    const eps = Array.from({ length: 60 }, (_, i) => ({ addresses: [`10.244.2.${i + 1}`], conditions: { ready: true } }));
    records.upsertService(service('big', 'many', { clusterIP: 'None' }));
    records.upsertEndpointSlice(endpointSlice('big', 'many-1', 'many', 'IPv4', eps));
    const small = decode(handler.handle(query('many.big.svc.cluster.local', 'A'), 'udp') as Buffer);
    assert.equal(small.flag_tc, true);
    assert.equal(small.answers!.length, 0);
    const edns = decode(handler.handle(query('many.big.svc.cluster.local', 'A', 7, true), 'udp') as Buffer);
    assert.equal(edns.flag_tc, false);
    assert.equal(edns.answers!.length, 60);
    assert.equal(edns.additionals!.some((a) => a.type === 'OPT'), true);
    const tcp = decode(handler.handle(query('many.big.svc.cluster.local', 'A'), 'tcp') as Buffer);
    assert.equal(tcp.answers!.length, 60);
  });

  it('index updates: service removal and IP change invalidate cached answers', () => {
    const { ask, records } = setup();
    assert.deepEqual(data(ask('web.default.svc.cluster.local', 'A')), ['10.96.0.10']);
    records.upsertService(service('default', 'web', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'] }));
    assert.deepEqual(data(ask('web.default.svc.cluster.local', 'A')), ['10.96.0.20']);
    assert.equal(ask('10.0.96.10.in-addr.arpa', 'PTR').rcode, 'NXDOMAIN');
    records.deleteService(service('default', 'web', {}));
    assert.equal(ask('web.default.svc.cluster.local', 'A').rcode, 'NXDOMAIN');
    assert.equal(ask('default.svc.cluster.local', 'A').rcode, 'NOERROR'); // other services remain in default
  });

  it('an EndpointSlice seen before its Service, and one relabelled to another Service', () => {
    const records = new DnsRecords();
    const r = new Resolver(records);
    const a = (n: string): unknown[] => { const x = r.resolve(n, 1); return x.kind === 'answer' ? x.answers.map((y) => (y as { data: unknown }).data) : []; };
    records.upsertEndpointSlice(endpointSlice('ns', 's1', 'one', 'IPv4', [{ addresses: ['10.244.0.1'] }]));
    assert.deepEqual(a('one.ns.svc.cluster.local'), []);
    records.upsertService(service('ns', 'one', { clusterIP: 'None' }));
    records.upsertService(service('ns', 'two', { clusterIP: 'None' }));
    assert.deepEqual(a('one.ns.svc.cluster.local'), ['10.244.0.1']);
    records.upsertEndpointSlice(endpointSlice('ns', 's1', 'two', 'IPv4', [{ addresses: ['10.244.0.1'] }]));
    assert.deepEqual(a('one.ns.svc.cluster.local'), []);
    assert.deepEqual(a('two.ns.svc.cluster.local'), ['10.244.0.1']);
    records.upsertService(service('ns', 'two', { clusterIP: '10.96.0.2', clusterIPs: ['10.96.0.2'] }));
    assert.deepEqual(a('two.ns.svc.cluster.local'), ['10.96.0.2']);
    assert.deepEqual(a('10-244-0-1.two.ns.svc.cluster.local'), []);
  });

  it('before the informers synced, unknown names are SERVFAIL, not NXDOMAIN', () => {
    const records = new DnsRecords({ synced: false });
    const handler = new QueryHandler({ resolver: new Resolver(records) });
    records.onChange(() => handler.invalidate());
    assert.equal(decode(handler.handle(query('web.default.svc.cluster.local', 'A'), 'udp') as Buffer).rcode, 'SERVFAIL');
    records.markSynced();
    assert.equal(decode(handler.handle(query('web.default.svc.cluster.local', 'A'), 'udp') as Buffer).rcode, 'NXDOMAIN');
  });

  it('zone transfers are refused', () => {
    const { ask } = setup();
    assert.equal(ask('cluster.local', 'AXFR').rcode, 'REFUSED');
  });

  it('helpers: reverse names and dashed IPs round-trip', () => {
    assert.equal(reverseName('10.1.2.3'), '3.2.1.10.in-addr.arpa');
    assert.equal(ipFromReverse('3.2.1.10.in-addr.arpa'), '10.1.2.3');
    assert.equal(ipFromReverse(reverseName('fd00::11')!), 'fd00:0000:0000:0000:0000:0000:0000:0011');
    assert.equal(podIP('10-1-2-3'), '10.1.2.3');
    assert.equal(podIP('1-2-3'), undefined);
  });
});
