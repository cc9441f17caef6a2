/**
 * API Priority and Fairness under a flood (`npx tsx bench/apf-flood.ts [--seconds 20]
 * [--inflight 20] [--mutating-inflight 10] [--workers 64]`; no root needed): starts
 * `k8ts server --disable-agent` on a fresh data dir with the given concurrency flags,
 * stores 2,000 ConfigMaps of 2 KiB (a list is 10 seats, upstream's maximum), then for
 * `--seconds` runs `--workers` closed-loop clients listing them as user `flooder`
 * (global-default level, by user) while the admin (system:masters, exempt) asks
 * GET /api/v1/nodes and a one-item list every 100 ms. Reports the admin's latency p50/p99
 * alone (3 s before the flood) and under the flood (goal p99 ≤ 1 s), and the flood's
 * outcomes (served, 429, other). Bounded: the flood stops after `--seconds`; the server
 * is stopped by PID. BENCH_KEEP_DATA=1 keeps the data dir.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiFor, fill, type Api } from './http-api.js';
import { freePort, eventually, startServerProcess, stopServerProcess } from '../test/support/kubectl.js';
import { ensurePki } from '../src/pki/pki.js';
import { writeKubeconfig } from '../src/pki/kubeconfig.js';
import { tlsDir } from '../src/server/data-dir.js';

const arg = (name: string, dflt: number): number => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : dflt);
const pct = (xs: number[], p: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The admin's probes every 100 ms until `until`: latencies in ms, failures counted. */
async function probeAdmin(api: Api, until: number): Promise<{ ms: number[]; failures: number }> {
  const ms: number[] = [];
  let failures = 0;
  while (Date.now() < until) {
    for (const path of ['/api/v1/nodes', '/api/v1/namespaces/flood/configmaps?limit=1']) {
      const r = await api.request('GET', path, undefined, 10_000);
      if (r.status === 200) ms.push(r.ms); else failures++;
    }
    await sleep(100);
  }
  return { ms, failures };
}

async function main(): Promise<void> {
  const seconds = arg('--seconds', 20);
  const inflight = arg('--inflight', 20);
  const mutating = arg('--mutating-inflight', 10);
  const workers = arg('--workers', 64);
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-apf-'));
  const server = startServerProcess(dataDir, ['--disable-agent', '--https-listen-port', String(await freePort()), '--kubelet-port', String(await freePort()), '--node-name', 'bench-node',
    '--max-requests-inflight', String(inflight), '--max-mutating-requests-inflight', String(mutating)]);
  try {
    await eventually('kubeconfig', () => { try { return readFileSync(server.kubeconfig, 'utf8'); } catch { return undefined; } }, 30_000, 20);
    const admin = await eventually('apiserver ready', async () => {
      const a = apiFor(server.kubeconfig);
      return (await a.request('GET', '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/global-default')).status === 200 ? a : undefined;
    }, 60_000, 100);
    await admin.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flood' } });
    await fill(2000, 32, (i) => admin.request('POST', '/api/v1/namespaces/flood/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { blob: 'x'.repeat(2048) } }));
    await admin.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'flooder' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] });
    await admin.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'flooder' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flooder' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'flooder' }] });
    // The flooder's certificate from the server's own CA (the data dir's PKI).
    const pki = await ensurePki(tlsDir(dataDir));
    const cert = await pki.issueCertificate({ commonName: 'flooder', usages: 'client' });
    const flooderKubeconfig = join(dataDir, 'flooder.kubeconfig');
    const adminCfg = readFileSync(server.kubeconfig, 'utf8');
    writeKubeconfig(flooderKubeconfig, { server: /server: (\S+)/.exec(adminCfg)![1], caPem: pki.ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem });
    const flooder = apiFor(flooderKubeconfig);

    const alone = await probeAdmin(admin, Date.now() + 3000);
    const end = Date.now() + seconds * 1000;
    const outcomes = { served: 0, tooManyRequests: 0, other: 0 };
    const floodMs: number[] = [];
    const flood = Array.from({ length: workers }, async () => {
      while (Date.now() < end) {
        const r = await flooder.request('GET', '/api/v1/namespaces/flood/configmaps', undefined, 30_000);
        if (r.status === 200) { outcomes.served++; floodMs.push(r.ms); } else if (r.status === 429) outcomes.tooManyRequests++; else outcomes.other++;
      }
    });
    await sleep(500);
    const under = await probeAdmin(admin, end);
    await Promise.all(flood);
    const metrics = (await admin.request('GET', '/metrics')).body.split('\n').filter((l) => /^apiserver_flowcontrol_(rejected_requests_total|nominal_limit_seats)\{.*global-default/.test(l));
    const summary = {
      date: new Date().toISOString(), cpus: cpus().length, node: process.version, seconds, serverSeats: inflight + mutating, workers,
      adminAlone: { p50Ms: round(pct(alone.ms, 50)), p99Ms: round(pct(alone.ms, 99)), failures: alone.failures },
      adminUnderFlood: { requests: under.ms.length, p50Ms: round(pct(under.ms, 50)), p99Ms: round(pct(under.ms, 99)), failures: under.failures },
      flood: { ...outcomes, servedP50Ms: round(pct(floodMs, 50)), servedP99Ms: round(pct(floodMs, 99)) },
      metrics,
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log(`
| figure | value | goal |
| --- | --- | --- |
| admin p50 / p99 alone | ${summary.adminAlone.p50Ms} / ${summary.adminAlone.p99Ms} ms | — |
| admin p50 / p99 under a ${workers}-client list flood (${summary.serverSeats} seats) | ${summary.adminUnderFlood.p50Ms} / ${summary.adminUnderFlood.p99Ms} ms | p99 ≤ 1000 ms |
| flood lists served / 429 / other in ${seconds} s | ${outcomes.served} / ${outcomes.tooManyRequests} / ${outcomes.other} | — |`);
  } finally {
    await stopServerProcess(server);
    if (process.env.BENCH_KEEP_DATA) console.error(`data dir kept: ${dataDir}`); else rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
