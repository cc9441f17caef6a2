/**
 * Benchmark of the cluster DNS server (`npx tsx bench/dns.ts [--seconds 5] [--window 64]
 * [--services 1000]`; no apiserver, no root): a child process loads the index directly
 * with `--services` ClusterIP services (one named port each) and 100 headless services
 * with 3 endpoints, and serves on 127.0.0.1 (random port); this process drives it from
 * one UDP socket with at most `--window` queries in flight for `--seconds`. The mix:
 * 70% A of a ClusterIP service, 10% SRV, 10% A of a headless service, 5% AAAA (NODATA),
 * 5% NXDOMAIN, names in random letter case. A query unanswered for 1 s counts as lost
 * and frees its slot. Prints queries/s, p50/p99/max latency (ms), lost, and rcodes.
 * BENCH_SERVER_NODE_ARGS adds Node flags to the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { createInterface } from 'node:readline';
import { DnsRecords } from '../src/dns/records.js';
import { Resolver } from '../src/dns/resolver.js';
import { QueryHandler } from '../src/dns/handler.js';
import { startDnsServer } from '../src/dns/server.js';
import { endpointSlice, query, service } from '../src/dns/test-helpers.js';
import { RCODE_NAMES } from '../src/dns/wire.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg('seconds', 5);
const WINDOW = arg('window', 64);
const SERVICES = arg('services', 1000);
const HEADLESS = 100;

async function serve(): Promise<void> {
  const records = new DnsRecords();
  for (let i = 0; i < SERVICES; i++) {
    records.upsertService(service(`ns${i % 20}`, `svc${i}`, { clusterIP: `10.96.${i >> 8}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }));
  }
  for (let i = 0; i < HEADLESS; i++) {
    records.upsertService(service(`ns${i % 20}`, `hl${i}`, { clusterIP: 'None', ports: [{ name: 'db', port: 5432 }] }));
    records.upsertEndpointSlice(endpointSlice(`ns${i % 20}`, `hl${i}-a`, `hl${i}`, 'IPv4',
      [0, 1, 2].map((j) => ({ addresses: [`10.244.${i}.${j + 1}`], hostname: `hl${i}-${j}`, conditions: { ready: true } })), [{ name: 'db', port: 5432, protocol: 'TCP' }]));
  }
  const handler = new QueryHandler({ resolver: new Resolver(records) });
  records.onChange(() => handler.invalidate());
  const srv = await startDnsServer({ host: '127.0.0.1', port: 0, handler });
  process.stdout.write(`PORT ${srv.port} NAMES ${records.size}\n`);
  process.stdin.on('end', () => { void srv.close().then(() => process.exit(0)); });
  process.stdin.resume();
}

const randomCase = (s: string, seed: number): string => [...s].map((c, i) => ((seed >> (i % 16)) & 1 ? c.toUpperCase() : c)).join('');

function queries(): Buffer[] {
  const out: Buffer[] = [];
  for (let k = 0; k < 4096; k++) {
    const r = Math.random();
    const i = Math.floor(Math.random() * SERVICES);
    const h = Math.floor(Math.random() * HEADLESS);
    let q: Buffer;
    if (r < 0.7) q = query(randomCase(`svc${i}.ns${i % 20}.svc.cluster.local`, k), 'A');
    else if (r < 0.8) q = query(`_http._tcp.svc${i}.ns${i % 20}.svc.cluster.local`, 'SRV');
    else if (r < 0.9) q = query(`hl${h}.ns${h % 20}.svc.cluster.local`, 'A');
    else if (r < 0.95) q = query(`svc${i}.ns${i % 20}.svc.cluster.local`, 'AAAA');
    else q = query(`missing${i}.ns${i % 20}.svc.cluster.local`, 'A');
    out.push(q);
  }
  return out;
}

async function drive(port: number): Promise<void> {
  const qs = queries();
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => sock.connect(port, '127.0.0.1', () => r())); // connected: no per-send address lookup
  sock.setRecvBufferSize(4 << 20);
  sock.setSendBufferSize(4 << 20);
  const sentAt = new Float64Array(65536); // by message id; 0 = free
  const latencies: number[] = [];
  const rcodes = new Map<string, number>();
  let nextId = 1;
  let inFlight = 0;
  let sent = 0;
  let lost = 0;
  let stopping = false;
  const now = (): number => performance.now();
  const sendOne = (): void => {
    let id = nextId;
    while (sentAt[id] !== 0) id = (id + 1) & 0xffff || 1;
    nextId = (id + 1) & 0xffff || 1;
    const q = qs[sent & 4095];
    q.writeUInt16BE(id, 0);
    sentAt[id] = now();
    inFlight++;
    sent++;
    sock.send(q);
  };
  const t0 = now();
  const end = t0 + SECONDS * 1000;
  await new Promise<void>((resolve) => {
    sock.on('message', (m) => {
      const id = m.readUInt16BE(0);
      const at = sentAt[id];
      if (!at) return;
      sentAt[id] = 0;
      inFlight--;
      latencies.push(now() - at);
      const rc = RCODE_NAMES[m[3] & 0xf] ?? String(m[3] & 0xf);
      rcodes.set(rc, (rcodes.get(rc) ?? 0) + 1);
      if (!stopping && now() < end) sendOne();
      else { stopping = true; if (inFlight === 0) resolve(); }
    });
    // Loss sweeper: frees slots unanswered for 1 s; ends the run when time is up.
    const sweep = setInterval(() => {
      const t = now();
      for (let id = 1; id < 65536; id++) if (sentAt[id] && t - sentAt[id] > 1000) { sentAt[id] = 0; inFlight--; lost++; if (!stopping) sendOne(); }
      if (t > end + 1500) { stopping = true; resolve(); }
      if (stopping && inFlight <= 0) resolve();
    }, 250);
    sock.once('close', () => clearInterval(sweep));
    for (let i = 0; i < WINDOW; i++) sendOne();
  });
  const elapsed = (now() - t0) / 1000;
  sock.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  const summary = {
    seconds: r3(elapsed), window: WINDOW, services: SERVICES, answered: latencies.length, lost,
    qps: Math.round(latencies.length / elapsed), p50ms: r3(pct(50)), p99ms: r3(pct(99)), maxms: r3(latencies[latencies.length - 1]),
    rcodes: Object.fromEntries(rcodes),
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  process.stdout.write(`| DNS UDP, 1 client, window ${WINDOW}, ${SERVICES} services | ${summary.qps} q/s | p50 ${summary.p50ms} ms | p99 ${summary.p99ms} ms | lost ${lost} |\n`);
}

if (process.argv.includes('--serve')) {
  await serve();
} else {
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...process.execArgv, process.argv[1], '--serve', '--services', String(SERVICES)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    rl.on('line', (l) => { const m = /^PORT (\d+) NAMES (\d+)/.exec(l); if (m) { process.stderr.write(`server: ${m[2]} names indexed\n`); resolve(Number(m[1])); } });
    child.once('exit', (c) => reject(new Error(`server exited ${c}`)));
    setTimeout(() => reject(new Error('server did not start in 30 s')), 30_000).unref();
  });
  try {
    await drive(port);
  } finally {
    child.stdin!.end();
    await new Promise<void>((r) => { const t = setTimeout(() => { child.kill(); r(); }, 3000); child.once('exit', () => { clearTimeout(t); r(); }); });
  }
}
