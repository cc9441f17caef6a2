/**
 * Benchmark of issue #6's kube-proxy figure (`sudo npx tsx bench/proxy.ts [--services
 * 1000] [--endpoints 10] [--changes 200]`; root: nft in a network namespace of its
 * own): an in-process apiserver (watch cache, SQLite in memory) and kube-proxy
 * programming `ip k8ts-proxy` inside netns `k8ts-bench-proxy-<pid>` (never the host's
 * rules). Creates N selector-less Services with one EndpointSlice of M ready endpoints
 * each, waits for the first full sync, then makes `--changes` endpoint changes one at a
 * time (a random Service's slice gets one endpoint replaced by a new address) and
 * measures update request sent → the nft transaction covering that Service applied
 * (the proxier's onSync): p50/p99; at the end every changed address is checked to be
 * in the table (`nft list table`). Also reports the first full sync's duration.
 * Bounded: the counts above and a 60 s deadline per change.
 */
import { execFileSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpus } from 'node:os';
import { startTestApiServer } from '../test/support/apiserver.js';
import { resources } from '../src/client/interface.js';
import { createSharedInformerFactory } from '../src/client/informers/shared-informer-factory.js';
import { runProxier } from '../src/proxy/proxier.js';

const run = promisify(execFile);
const arg = (name: string, def: number): number => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const SERVICES = arg('services', 1000);
const ENDPOINTS = arg('endpoints', 10);
const CHANGES = arg('changes', 200);
const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]; };
const round = (x: number): number => Math.round(x * 10) / 10;
const ip = (n: number): string => `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;

async function pool<T>(items: T[], width: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (i < items.length) await fn(items[i++]); }));
}

async function main(): Promise<void> {
  const netns = `k8ts-bench-proxy-${process.pid}`;
  execFileSync('ip', ['netns', 'add', netns]);
  const server = await startTestApiServer('bench-proxy');
  const abort = new AbortController();
  try {
    const client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    const t0 = performance.now();
    let nextIP = 0;
    const slices: Array<{ name: string; svc: string; ips: string[] }> = [];
    await pool(Array.from({ length: SERVICES }, (_, i) => i), 32, async (i) => {
      const svc = `svc-${i}`;
      await client.resource(resources.services).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: svc, namespace: 'bench' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
      const ips = Array.from({ length: ENDPOINTS }, () => ip(nextIP++));
      await client.resource(resources.endpointslices).create({
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${svc}-abc`, namespace: 'bench', labels: { 'kubernetes.io/service-name': svc } },
        addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: ips.map((a) => ({ addresses: [a], conditions: { ready: true } })),
      });
      slices.push({ name: `${svc}-abc`, svc, ips });
    });
    const created = performance.now() - t0;

    const informers = createSharedInformerFactory(client);
    let firstFull = 0;
    let waiter: ((keys: Set<string>) => void) | undefined;
    const syncMs: number[] = [];
    let fullDone!: () => void;
    const full = new Promise<void>((r) => { fullDone = r; });
    const proxy = runProxier({
      client, informers, nodeName: 'bench', nodeIP: '10.244.0.1', clusterCIDR: '10.244.0.0/16', signal: abort.signal, netns,
      onSync: (s) => { if (s.full && !firstFull) { firstFull = s.ms; fullDone(); } else syncMs.push(s.ms); waiter?.(s.services); },
    });
    informers.start(abort.signal);
    await full;

    const latencies: number[] = [];
    const touched = new Set<{ ips: string[] }>();
    for (let c = 0; c < CHANGES; c++) {
      const s = slices[Math.floor(Math.random() * slices.length)];
      const fresh = ip(nextIP++);
      s.ips[Math.floor(Math.random() * s.ips.length)] = fresh;
      const applied = new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`change ${c} not programmed within 60 s`)), 60_000);
        waiter = (keys) => { if (keys.has(`bench/${s.svc}`)) { clearTimeout(t); waiter = undefined; resolve(); } };
      });
      const start = performance.now();
      await client.resource(resources.endpointslices).patch(s.name, { endpoints: s.ips.map((a) => ({ addresses: [a], conditions: { ready: true } })) }, 'application/merge-patch+json', { namespace: 'bench' });
      await applied;
      latencies.push(performance.now() - start);
      touched.add(s);
    }
    const { stdout: table } = await run('ip', ['netns', 'exec', netns, 'nft', 'list', 'table', 'ip', 'k8ts-proxy'], { maxBuffer: 1 << 28 });
    const present = new Set(table.match(/\d+\.\d+\.\d+\.\d+ \. 8080/g) ?? []);
    const missing = [...touched].flatMap((t) => t.ips).filter((a) => !present.has(`${a} . 8080`) && !table.includes(`dnat ip to ${a}:8080`));
    if (missing.length) throw new Error(`addresses missing from the table: ${missing.slice(0, 5).join(', ')}`);
    abort.abort();
    await proxy;
    const summary = {
      machine: `${cpus().length} vCPU ${cpus()[0]?.model}`, services: SERVICES, endpointsPerService: ENDPOINTS, changes: CHANGES,
      createObjectsMs: Math.round(created), firstFullSyncMs: Math.round(firstFull),
      changeToRulesMs: { p50: round(pct(latencies, 50)), p99: round(pct(latencies, 99)), max: round(Math.max(...latencies)) },
      incrementalSyncMs: { p50: round(pct(syncMs, 50)), p99: round(pct(syncMs, 99)) },
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log(`\n| endpoint change → nftables updated (${SERVICES} Services × ${ENDPOINTS} endpoints) | p50 ${summary.changeToRulesMs.p50} ms | p99 ${summary.changeToRulesMs.p99} ms | goal p99 ≤ 200 ms |`);
    console.log(`| first full sync (${SERVICES} Services, ${SERVICES * ENDPOINTS} endpoints) | ${summary.firstFullSyncMs} ms | | |`);
  } finally {
    abort.abort();
    await server.close();
    execFileSync('ip', ['netns', 'del', netns]);
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
