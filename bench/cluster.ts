/**
 * Benchmark of issue #2 (run as root: `sudo npx tsx bench/cluster.ts`):
 *  1. start → node Ready: spawn `k8ts server` on a data dir whose images are built,
 *     poll the Node through the API every 20 ms;
 *  2. pod create → Running seen through a watch, 20 pods, image present: p50, p99;
 *  3. server RSS (the k8ts process, not containerd) idle with one node and 10 pods,
 *     read after 15 s and after 60 s of idle (the figure);
 *  4. issue #6: 50 pods created at once (concurrent creates), image present: create
 *     request sent → Ready condition True seen through a watch, p50/p99.
 * Prints a JSON summary and a Markdown table for BENCHMARKS.md. Cleans up with killall.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { createClient, loadKubeconfig } from '../src/client/rest-client.js';
import { resources, type Client } from '../src/client/interface.js';
import { freePort, k8ts, startServerProcess, stopServerProcess, eventually } from '../test/support/kubectl.js';

const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const rssMB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function nodeReady(client: Client): Promise<boolean> {
  try {
    const list = await client.resource(resources.nodes).list();
    return list.items.some((n) => ((n.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
  } catch { return false; }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-'));
  const built = await k8ts(['images', 'build', '--data-dir', dataDir], 300_000);
  if (built.code !== 0) throw new Error(built.stderr);
  const flags = ['--https-listen-port', String(await freePort()), '--kubelet-port', String(await freePort()), '--node-name', 'bench-node'];
  const server = startServerProcess(dataDir, flags);
  try {
    // 1. start → Ready
    await eventually('kubeconfig', () => { try { return readFileSync(server.kubeconfig, 'utf8'); } catch { return undefined; } }, 20_000, 10);
    const client = createClient(loadKubeconfig(server.kubeconfig));
    await eventually('node Ready', () => nodeReady(client), 30_000, 20);
    const startToReadyMs = Date.now() - server.startedAt;

    // 2. create → Running via watch
    const pods = client.resource(resources.pods);
    await eventually('default SA', async () => { try { await client.resource(resources.serviceaccounts).get('default', { namespace: 'default' }); return true; } catch { return false; } }, 20_000);
    const created = new Map<string, number>();
    const running = new Map<string, number>();
    const ac = new AbortController();
    const list = await pods.list({ namespace: 'default' });
    const watching = (async () => {
      for await (const ev of pods.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion, signal: ac.signal })) {
        const name = ev.object.metadata.name!;
        if ((ev.object.status as { phase?: string })?.phase === 'Running' && !running.has(name)) running.set(name, Date.now());
      }
    })().catch(() => undefined);
    const N = 20;
    for (let i = 0; i < N; i++) {
      const name = `bench-${i}`;
      created.set(name, Date.now());
      await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { bench: 'yes' } }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
    }
    await eventually('all Running', () => running.size === N, 120_000, 50);
    ac.abort();
    await watching;
    const lat = [...created].map(([n, t]) => running.get(n)! - t);

    // 3. RSS idle with 10 pods
    for (let i = 10; i < N; i++) await pods.delete(`bench-${i}`, { namespace: 'default', gracePeriodSeconds: 0 });
    await eventually('10 pods left', async () => (await pods.list({ namespace: 'default', labelSelector: 'bench=yes' })).items.length === 10, 60_000);
    // Idle period: the figure is the idle RSS, so waiting is the measurement. Read at 15 s
    // (the young generation may still hold the pods' start-up garbage) and at 60 s (V8's
    // memory reducer has shrunk it back by then).
    await new Promise((r) => setTimeout(r, 15_000));
    const rss15 = rssMB(server.child.pid!);
    await new Promise((r) => setTimeout(r, 45_000));
    const rss = rssMB(server.child.pid!);

    // 4. A burst of 50 pods → Ready.
    for (let i = 0; i < 10; i++) await pods.delete(`bench-${i}`, { namespace: 'default', gracePeriodSeconds: 0 });
    await eventually('no bench pods', async () => (await pods.list({ namespace: 'default', labelSelector: 'bench=yes' })).items.length === 0, 60_000);
    const B = 50;
    const burstCreated = new Map<string, number>();
    const ready = new Map<string, number>();
    const ac2 = new AbortController();
    const list2 = await pods.list({ namespace: 'default' });
    const watching2 = (async () => {
      for await (const ev of pods.watch({ namespace: 'default', resourceVersion: list2.metadata.resourceVersion, signal: ac2.signal })) {
        const name = ev.object.metadata.name!;
        const conds = (ev.object.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? [];
        if (conds.some((c) => c.type === 'Ready' && c.status === 'True') && !ready.has(name)) ready.set(name, Date.now());
      }
    })().catch(() => undefined);
    await Promise.all(Array.from({ length: B }, async (_, i) => {
      const name = `burst-${i}`;
      burstCreated.set(name, Date.now());
      await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { bench: 'burst' } }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
    }));
    await eventually('all Ready', () => ready.size === B, 300_000, 50);
    ac2.abort();
    await watching2;
    const burst = [...burstCreated].map(([n, t]) => ready.get(n)! - t);

    const result = {
      date: new Date().toISOString(), machine: `${cpus().length} x ${cpus()[0].model}`, node: process.version,
      startToReadyMs, podRunningP50Ms: pct(lat, 50), podRunningP99Ms: pct(lat, 99), idleRssMB: Math.round(rss), idleRss15sMB: Math.round(rss15),
      burst50ReadyP50Ms: pct(burst, 50), burst50ReadyP99Ms: pct(burst, 99),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`| start → node Ready | ${(startToReadyMs / 1000).toFixed(2)} s | goal ≤ 3 s | ${(startToReadyMs / 3000).toFixed(2)}× goal |`);
    console.log(`| pod create → Running (watch), 20 pods, p50 | ${result.podRunningP50Ms} ms | — | — |`);
    console.log(`| pod create → Running (watch), 20 pods, p99 | ${result.podRunningP99Ms} ms | goal ≤ 1000 ms; upstream SLO ≤ 5000 ms | ${(result.podRunningP99Ms / 1000).toFixed(2)}× goal, ${(result.podRunningP99Ms / 5000).toFixed(2)}× SLO |`);
    console.log(`| pod create → Ready (watch), 50 pods at once, p50 | ${result.burst50ReadyP50Ms} ms | — | — |`);
    console.log(`| pod create → Ready (watch), 50 pods at once, p99 | ${result.burst50ReadyP99Ms} ms | goal ≤ 1000 ms; upstream SLO ≤ 5000 ms | ${(result.burst50ReadyP99Ms / 1000).toFixed(2)}× goal, ${(result.burst50ReadyP99Ms / 5000).toFixed(2)}× SLO |`);
    console.log(`| server RSS idle 15 s, 1 node + 10 pods | ${result.idleRss15sMB} MB | — | — |`);
    console.log(`| server RSS idle 60 s, 1 node + 10 pods | ${result.idleRssMB} MB | goal ≤ 150 MB; k3s server ~1600 MB | ${(result.idleRssMB / 150).toFixed(2)}× goal, ${(result.idleRssMB / 1600).toFixed(3)}× k3s |`);
  } finally {
    await stopServerProcess(server);
    const k = await k8ts(['killall', '--data-dir', dataDir], 300_000);
    if (k.code !== 0) { console.error(`killall failed: ${k.stderr}`); process.exitCode = 1; }
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
