/**
 * The UDP and TCP listeners on 127.0.0.1 (port 0), the log lines, the health
 * endpoints, and forwarding to fake upstream servers on loopback.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { DnsRecords } from './records.js';
import { Resolver } from './resolver.js';
import { QueryHandler } from './handler.js';
import { Forwarder, defaultUpstreams, parseUpstream } from './forwarder.js';
import { startDnsServer, type DnsServer } from './server.js';
import { startHealthServers } from './health.js';
import { decode, endpointSlice, query, service, udpAsk, type Reply } from './test-helpers.js';

/** Sends `msgs` on one TCP connection (written byte by byte halves to exercise framing); resolves to the replies. */
function tcpAsk(port: number, msgs: Buffer[]): Promise<Reply[]> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const out: Reply[] = [];
    let buf = Buffer.alloc(0);
    const t = setTimeout(() => { sock.destroy(); reject(new Error('tcp timeout')); }, 3000);
    sock.on('data', (c) => {
      buf = Buffer.concat([buf, c]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (out.length === msgs.length) { clearTimeout(t); sock.end(); resolve(out); }
    });
    sock.on('error', reject);
    const framed = Buffer.concat(msgs.map((m) => { const p = Buffer.alloc(2); p.writeUInt16BE(m.length); return Buffer.concat([p, m]); }));
    const half = Math.floor(framed.length / 2);
    sock.write(framed.subarray(0, half));
    setImmediate(() => sock.write(framed.subarray(half)));
  });
}

/** A fake upstream: answers A queries with 192.0.2.1 (or stays silent); counts queries. */
async function fakeUpstream(silent = false): Promise<{ port: number; seen: string[]; close(): void }> {
  const s = dgram.createSocket('udp4');
  const seen: string[] = [];
  s.on('message', (m, r) => {
    const q = dnsPacket.decode(m);
    seen.push(q.questions![0].name);
    if (silent) return;
    const name = q.questions![0].name;
    s.send(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: q.questions,
      answers: q.questions![0].type === 'A' ? [{ name, type: 'A', ttl: 60, class: 'IN', data: '192.0.2.1' }] : [] }), r.port, r.address);
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  // The same answers over TCP on the same port number (best effort: the port may be taken).
  const tcp = net.createServer((c) => {
    let buf = Buffer.alloc(0);
    c.on('error', () => {});
    c.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
      const q = dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      seen.push(`tcp:${q.questions![0].name}`);
      if (silent) return;
      c.end(dnsPacket.streamEncode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: q.questions,
        answers: [{ name: q.questions![0].name, type: 'A', ttl: 60, class: 'IN', data: '192.0.2.2' }] }));
    });
  });
  await new Promise<void>((r) => { tcp.once('error', () => r()); tcp.listen(s.address().port, '127.0.0.1', () => r()); });
  return { port: s.address().port, seen, close: () => { s.close(); tcp.close(); } };
}

describe('dns server', () => {
  let server: DnsServer;
  const lines: string[] = [];
  let upstream: Awaited<ReturnType<typeof fakeUpstream>>;
  let silent: Awaited<ReturnType<typeof fakeUpstream>>;
  let forwarder: Forwarder;

  before(async () => {
    upstream = await fakeUpstream();
    silent = await fakeUpstream(true);
    const records = new DnsRecords();
    records.upsertService(service('default', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80 }] }));
    records.upsertService(service('default', 'ext', { type: 'ExternalName', externalName: 'www.example.org' }));
    records.upsertService(service('db', 'pg', { clusterIP: 'None' }));
    records.upsertEndpointSlice(endpointSlice('db', 'pg-1', 'pg', 'IPv4', [{ addresses: ['10.244.0.5'], hostname: 'pg-0' }]));
    forwarder = new Forwarder({ upstreams: [`127.0.0.1:${silent.port}`, `127.0.0.1:${upstream.port}`], timeoutMs: 200 });
    const handler = new QueryHandler({ resolver: new Resolver(records), forwarder });
    server = await startDnsServer({ host: '127.0.0.1', port: 0, handler, log: (l) => lines.push(l) });
  });
  after(async () => { await server.close(); forwarder.close(); upstream.close(); silent.close(); });

  it('answers over UDP and logs a CoreDNS-style line', async () => {
    const r = await udpAsk(server.port, query('web.default.svc.cluster.local', 'A', 77));
    assert.equal(r.id, 77);
    assert.deepEqual(r.answers!.map((a) => (a as { data: unknown }).data), ['10.96.0.10']);
    const line = lines.find((l) => l.includes('web.default.svc.cluster.local.'))!;
    assert.match(line, /^\[INFO\] 127\.0\.0\.1:\d+ - 77 "A IN web\.default\.svc\.cluster\.local\. udp \d+ false 512" NOERROR qr,aa,rd \d+ \d+\.\d+s$/);
  });

  it('answers several pipelined queries on one TCP connection', async () => {
    const replies = await tcpAsk(server.port, [
      query('web.default.svc.cluster.local', 'A', 1),
      query('_http._tcp.web.default.svc.cluster.local', 'SRV', 2),
      query('pg-0.pg.db.svc.cluster.local', 'A', 3),
      query('nope.default.svc.cluster.local', 'A', 4),
    ]);
    const byId = new Map(replies.map((r) => [r.id, r]));
    assert.equal(byId.get(1)!.answers!.length, 1);
    assert.equal(byId.get(2)!.answers![0].type, 'SRV');
    assert.equal((byId.get(3)!.answers![0] as { data: string }).data, '10.244.0.5');
    assert.equal(byId.get(4)!.rcode, 'NXDOMAIN');
    assert.ok(lines.some((l) => / tcp \d+ false 65535" NXDOMAIN /.test(l)));
  });

  it('answers a real stub resolver (c-ares, node:dns)', async () => {
    const r = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
    r.setServers([`127.0.0.1:${server.port}`]);
    assert.deepEqual(await r.resolve4('web.default.svc.cluster.local'), ['10.96.0.10']);
    assert.deepEqual(await r.resolveSrv('_http._tcp.web.default.svc.cluster.local'), [{ name: 'web.default.svc.cluster.local', port: 80, priority: 0, weight: 100 }]);
    assert.deepEqual(await r.reverse('10.244.0.5'), ['pg-0.pg.db.svc.cluster.local']);
    assert.deepEqual(await r.resolveCname('ext.default.svc.cluster.local'), ['www.example.org']);
    await assert.rejects(r.resolve4('nope.default.svc.cluster.local'), { code: 'ENOTFOUND' });
    await assert.rejects(r.resolve6('web.default.svc.cluster.local'), { code: 'ENODATA' });
  });

  it('survives malformed datagrams and keeps serving', async () => {
    const s = dgram.createSocket('udp4');
    const formerr = new Promise<Reply>((resolve) => s.on('message', (m) => resolve(decode(m))));
    s.send(Buffer.from([0, 1]), server.port, '127.0.0.1');
    const q = query('web.default.svc.cluster.local', 'A', 99);
    s.send(q.subarray(0, 15), server.port, '127.0.0.1');
    const r = await formerr;
    s.close();
    assert.equal(r.id, 99);
    assert.equal(r.rcode, 'FORMERR');
    assert.equal((await udpAsk(server.port, query('web.default.svc.cluster.local', 'A'))).rcode, 'NOERROR');
  });

  it('forwards names outside the zone, skipping an upstream that times out, with the client id', async () => {
    const r = await udpAsk(server.port, query('www.example.com', 'A', 1234));
    assert.equal(r.id, 1234);
    assert.equal(r.rcode, 'NOERROR');
    assert.deepEqual(r.answers!.map((a) => (a as { data: unknown }).data), ['192.0.2.1']);
    assert.ok(silent.seen.includes('www.example.com'));
    assert.ok(upstream.seen.includes('www.example.com'));
  });

  it('forwards over TCP for a TCP client', async () => {
    const [r] = await tcpAsk(server.port, [query('big.example.com', 'A', 4321)]);
    assert.equal(r.id, 4321);
    assert.deepEqual(r.answers!.map((a) => (a as { data: unknown }).data), ['192.0.2.2']);
    assert.ok(upstream.seen.includes('tcp:big.example.com'));
  });

  it('forwards reverse names outside the indexed addresses', async () => {
    const r = await udpAsk(server.port, query('1.2.0.192.in-addr.arpa', 'PTR', 5));
    assert.equal(r.rcode, 'NOERROR');
    assert.ok(upstream.seen.includes('1.2.0.192.in-addr.arpa'));
  });

  it('ExternalName to an outside name: CNAME plus the upstream answer for the target', async () => {
    const r = await udpAsk(server.port, query('ext.default.svc.cluster.local', 'A', 6));
    assert.deepEqual(r.answers!.map((a) => [a.name, a.type, (a as { data: unknown }).data]), [
      ['ext.default.svc.cluster.local', 'CNAME', 'www.example.org'], ['www.example.org', 'A', '192.0.2.1']]);
  });

  it('SERVFAIL when every upstream times out', async () => {
    const only = new Forwarder({ upstreams: [`127.0.0.1:${silent.port}`], timeoutMs: 100 });
    const handler = new QueryHandler({ resolver: new Resolver(new DnsRecords()), forwarder: only });
    const srv = await startDnsServer({ host: '127.0.0.1', port: 0, handler });
    try {
      const r = await udpAsk(srv.port, query('slow.example.net', 'A', 8));
      assert.equal(r.rcode, 'SERVFAIL');
      assert.equal(r.id, 8);
    } finally { await srv.close(); only.close(); }
  });

  it('health and ready endpoints', async () => {
    let ready = false;
    const h = await startHealthServers({ host: '127.0.0.1', healthPort: 0, readyPort: 0, ready: () => ready });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${h.healthPort}/health`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${h.readyPort}/ready`)).status, 503);
      ready = true;
      const res = await fetch(`http://127.0.0.1:${h.readyPort}/ready`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'OK');
    } finally { await h.close(); }
  });

  it('upstream parsing and resolv.conf defaults', () => {
    assert.deepEqual(parseUpstream('10.0.0.1'), { host: '10.0.0.1', port: 53 });
    assert.deepEqual(parseUpstream('10.0.0.1:5353'), { host: '10.0.0.1', port: 5353 });
    assert.deepEqual(parseUpstream('[fd00::1]:5353'), { host: 'fd00::1', port: 5353 });
    assert.deepEqual(parseUpstream('fd00::1'), { host: 'fd00::1', port: 53 });
    assert.throws(() => parseUpstream('dns.example'));
    assert.deepEqual(defaultUpstreams([], '/nonexistent/resolv.conf'), []);
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-dns-'));
    try {
      const path = join(dir, 'resolv.conf');
      writeFileSync(path, 'search default.svc.cluster.local\nnameserver 10.96.0.10\nnameserver 192.0.2.53\n# nameserver 1.1.1.1\nnameserver fd00::53\noptions ndots:5\n');
      assert.deepEqual(defaultUpstreams(['10.96.0.10'], path), ['192.0.2.53', 'fd00::53']);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
