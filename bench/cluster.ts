/**
 * Benchmark of issue #2 (run as root: `sudo npx tsx bench/cluster.ts`):
 *  1. start → node Ready: spawn `k8ts server` on a data dir whose images are built,
 *     poll the Node through the API every 20 ms;
 *  2. pod create → Running seen through a watch, 20 pods, image present: p50, p99;
 *  3. server RSS (the k8ts process, not containerd) idle with one node and 10 pods.
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
    await new Promise((r) => setTimeout(r, 15_000)); // idle period: the figure is the idle RSS, so waiting is the measurement
    const rss = rssMB(server.child.pid!);

    const result = {
      date: new Date().toISOString(), machine: `${cpus().length} x ${cpus()[0].model}`, node: process.version,
      startToReadyMs, podRunningP50Ms: pct(lat, 50), podRunningP99Ms: pct(lat, 99), idleRssMB: Math.round(rss),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`| start → node Ready | ${(startToReadyMs / 1000).toFixed(2)} s | goal ≤ 3 s | ${(startToReadyMs / 3000).toFixed(2)}× goal |`);
    console.log(`| pod create → Running (watch), 20 pods, p50 | ${result.podRunningP50Ms} ms | — | — |`);
    console.log(`| pod create → Running (watch), 20 pods, p99 | ${result.podRunningP99Ms} ms | goal ≤ 1000 ms; upstream SLO ≤ 5000 ms | ${(result.podRunningP99Ms / 1000).toFixed(2)}× goal, ${(result.podRunningP99Ms / 5000).toFixed(2)}× SLO |`);
    console.log(`| server RSS idle, 1 node + 10 pods | ${result.idleRssMB} MB | goal ≤ 150 MB; k3s server ~1600 MB | ${(result.idleRssMB / 150).toFixed(2)}× goal, ${(result.idleRssMB / 1600).toFixed(3)}× k3s |`);
  } finally {
    await stopServerProcess(server);
    const k = await k8ts(['killall', '--data-dir', dataDir], 300_000);
    if (k.code !== 0) { console.error(`killall failed: ${k.stderr}`); process.exitCode = 1; }
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
