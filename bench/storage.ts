/**
 * Benchmark of issue #9's Measured section (`npx tsx bench/storage.ts [--writes 4000]`; no
 * root needed; Debian's etcd at /usr/bin/etcd):
 *  1. storage writes per second through the same `Storage` interface, side by side in one
 *     run: the SQLite backend (WAL, synchronous=FULL, group commit) on a fresh file, and
 *     Debian's etcd 3.4 (one member on loopback, fsync on: no --unsafe-no-fsync) through
 *     the etcd3 backend; creates of ConfigMap-sized objects (~500 bytes) with 1 and 64
 *     concurrent writers, `--writes` per run;
 *  2. API create latency at 200 requests/s, open loop for `--seconds` (default 20):
 *     `k8ts apiserver` on SQLite, then on that etcd; mean and p99 of ConfigMap creates.
 * Prints a JSON summary and a Markdown table for BENCHMARKS.md; stops what it started by PID.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../src/api/object.js';
import type { Storage } from '../src/storage/interface.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { openEtcd3Storage } from '../src/storage/etcd3/etcd3-storage.js';
import { startEtcdCluster } from '../test/support/etcd-cluster.js';
import { eventually, freePort, startComponentProcess, stopServerProcess } from '../test/support/kubectl.js';
import { apiFor } from './http-api.js';

const arg = (name: string, dflt: number): number => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const WRITES = arg('writes', 4000);
const SECONDS = arg('seconds', 20);
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]; };
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

const object = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'bench', uid: `uid-${name}`, creationTimestamp: new Date().toISOString() }, data: { payload: 'x'.repeat(400) } });

/** Writes per second of `WRITES` creates by `writers` concurrent writers. */
async function writesPerSecond(s: Storage, writers: number, tag: string): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: writers }, async () => {
    for (let i = next++; i < WRITES; i = next++) await s.create(`/registry/configmaps/bench/${tag}-${i}`, object(`${tag}-${i}`));
  }));
  return WRITES / ((performance.now() - t0) / 1000);
}

/** Mean and p99 (ms) of ConfigMap creates sent at 200/s for SECONDS through `k8ts apiserver` with `flags`. */
async function createLatency(flags: string[]): Promise<{ mean: number; p99: number; failures: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-storage-'));
  const port = await freePort();
  const server = startComponentProcess('apiserver', dataDir, ['--https-listen-port', String(port), ...flags]);
  try {
    const api = await eventually('apiserver', async () => {
      if (server.child.exitCode !== null) throw new Error(`apiserver exited: ${readFileSync(join(dataDir, 'apiserver.log'), 'utf8').slice(-2000)}`);
      const a = apiFor(join(dataDir, 'kubeconfig.yaml'));
      return (await a.request('GET', '/readyz')).status === 200 ? a : undefined;
    }, 60_000, 200);
    await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    const ms: number[] = [];
    let failures = 0;
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < SECONDS * 200; i++) {
      const due = t0 + i * 5;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(api.request('POST', '/api/v1/namespaces/bench/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${i}` }, data: { payload: 'x'.repeat(400) } }).then((r) => {
        if (r.status === 201) ms.push(r.ms); else failures++;
      }));
    }
    await Promise.all(pending);
    return { mean: round(mean(ms), 2), p99: round(pct(ms, 99), 2), failures };
  } finally {
    await stopServerProcess(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const etcd = await startEtcdCluster({ members: 1, unsafeNoFsync: false });
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-sqlite-'));
  try {
    const sqlite = await openSqliteStorage({ path: join(dir, 'state.db'), compactIntervalMs: 0 });
    const etcdStore = await openEtcd3Storage({ endpoints: etcd.endpoints, compactIntervalMs: 0 });
    const writes: Record<string, Record<number, number>> = { sqlite: {}, etcd: {} };
    for (const writers of [1, 64]) {
      writes.etcd[writers] = round(await writesPerSecond(etcdStore, writers, `e${writers}`));
      writes.sqlite[writers] = round(await writesPerSecond(sqlite, writers, `s${writers}`));
    }
    await sqlite.close();
    await etcdStore.close();
    const latency = { sqlite: await createLatency([]), etcd: await createLatency(['--datastore-endpoint', etcd.endpoints[0]]) };
    const summary = { machine: `${cpus().length} × ${cpus()[0]?.model}`, date: new Date().toISOString().slice(0, 10), writesPerRun: WRITES, writes, latency, seconds: SECONDS };
    console.log(JSON.stringify(summary, null, 2));
    console.log('\n| figure | SQLite backend | Debian etcd 3.4 | ratio SQLite / etcd |\n| --- | --- | --- | --- |');
    for (const w of [1, 64]) console.log(`| storage creates/s, ${w} writer${w > 1 ? 's' : ''}, fsync on | ${writes.sqlite[w]} | ${writes.etcd[w]} | ${round(writes.sqlite[w] / writes.etcd[w], 2)}× |`);
    console.log(`| API create latency at 200/s, mean / p99 (ms) | ${latency.sqlite.mean} / ${latency.sqlite.p99} | ${latency.etcd.mean} / ${latency.etcd.p99} | ${round(latency.sqlite.p99 / latency.etcd.p99, 2)}× p99 |`);
    console.log(`| failures (of ${SECONDS * 200}) | ${latency.sqlite.failures} | ${latency.etcd.failures} | |`);
  } finally {
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
