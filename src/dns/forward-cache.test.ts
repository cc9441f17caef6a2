/** The cache of forwarded replies: TTL cap and decrement, negative caching, what is not cached, and the handler using it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { ForwardCache } from './forward-cache.js';
import { Forwarder } from './forwarder.js';
import { QueryHandler } from './handler.js';
import { DnsRecords } from './records.js';
import { Resolver } from './resolver.js';
import { decode, query } from './test-helpers.js';
import { parseQuery, type ParsedQuery } from './wire.js';

const parsed = (b: Buffer): ParsedQuery => parseQuery(b) as ParsedQuery;
const reply = (name: string, rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL', answers: dnsPacket.Answer[], authorities: dnsPacket.Answer[] = []): Buffer => {
  const b = dnsPacket.encode({ type: 'response', id: 4242, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: [{ name, type: 'A', class: 'IN' }], answers, authorities });
  b.writeUInt16BE((b.readUInt16BE(2) & ~0xf) | { NOERROR: 0, NXDOMAIN: 3, SERVFAIL: 2 }[rcode], 2);
  return b;
};
const soa = (minimum: number): dnsPacket.Answer => ({ name: 'example.com', type: 'SOA', ttl: 900, class: 'IN', data: { mname: 'ns.example.com', rname: 'h.example.com', serial: 1, refresh: 1, retry: 1, expire: 1, minimum } });

describe('dns forward cache', () => {
  it('caps the TTL, lowers it as time passes, expires, and echoes the id and case', () => {
    let now = 1_000_000;
    const c = new ForwardCache({ now: () => now });
    const q1 = query('www.example.com', 'A', 1);
    c.put(parsed(q1), reply('www.example.com', 'NOERROR', [{ name: 'www.example.com', type: 'A', ttl: 300, class: 'IN', data: '192.0.2.1' }]));
    const q2 = query('WWW.Example.com', 'A', 2);
    let hit = decode(c.get(q2, parsed(q2), 512)!);
    assert.equal(hit.id, 2);
    assert.equal(hit.questions![0].name, 'WWW.Example.com');
    assert.equal((hit.answers![0] as { ttl: number }).ttl, 30);
    now += 10_500;
    hit = decode(c.get(q2, parsed(q2), 512)!);
    assert.equal((hit.answers![0] as { ttl: number }).ttl, 20);
    now += 20_000;
    assert.equal(c.get(q2, parsed(q2), 512), undefined);
  });

  it('negative replies live for the SOA minimum; without SOA, SERVFAIL, or too large: not served', () => {
    const now = 0;
    const c = new ForwardCache({ now: () => now });
    const q = query('nx.example.com', 'A');
    c.put(parsed(q), reply('nx.example.com', 'NXDOMAIN', [], [soa(5)]));
    assert.equal(decode(c.get(q, parsed(q), 512)!).rcode, 'NXDOMAIN');
    const q2 = query('nosoa.example.com', 'A');
    c.put(parsed(q2), reply('nosoa.example.com', 'NXDOMAIN', []));
    assert.equal(c.get(q2, parsed(q2), 512), undefined);
    const q3 = query('broken.example.com', 'A');
    c.put(parsed(q3), reply('broken.example.com', 'SERVFAIL', [], [soa(5)]));
    assert.equal(c.get(q3, parsed(q3), 512), undefined);
    const q4 = query('big.example.com', 'A');
    c.put(parsed(q4), reply('big.example.com', 'NOERROR', Array.from({ length: 40 }, (_, i) => ({ name: 'big.example.com', type: 'A' as const, ttl: 60, class: 'IN' as const, data: `192.0.2.${i}` }))));
    assert.equal(c.get(q4, parsed(q4), 512), undefined);
    assert.ok(c.get(q4, parsed(q4), 4096));
    c.put(parsed(q), Buffer.from([1, 2, 3])); // malformed: ignored
  });

  it('the handler answers a repeated outside name from the cache without asking upstream again', async () => {
    const up = dgram.createSocket('udp4');
    let asked = 0;
    up.on('message', (m, r) => {
      asked++;
      const q = dnsPacket.decode(m);
      up.send(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: q.questions, answers: [{ name: q.questions![0].name, type: 'A', ttl: 60, class: 'IN', data: '192.0.2.7' }] }), r.port, r.address);
    });
    await new Promise<void>((r) => up.bind(0, '127.0.0.1', () => r()));
    const forwarder = new Forwarder({ upstreams: [`127.0.0.1:${up.address().port}`], timeoutMs: 500 });
    const handler = new QueryHandler({ resolver: new Resolver(new DnsRecords()), forwarder, forwardCache: new ForwardCache() });
    try {
      const a = decode((await handler.handle(query('cached.example.com', 'A', 10), 'udp'))!);
      const b = handler.handle(query('cached.example.com', 'A', 11), 'udp');
      assert.ok(Buffer.isBuffer(b), 'a cache hit is answered synchronously');
      assert.equal(decode(b as Buffer).id, 11);
      assert.deepEqual([a.answers!.length, asked], [1, 1]);
    } finally { forwarder.close(); up.close(); }
  });
});
