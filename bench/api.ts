/**
 * Benchmark of issue #5's Measured section (`npx tsx bench/api.ts [--seconds 60]`; no
 * root needed): starts `k8ts server --disable-agent` (apiserver with its watch cache,
 * scheduler and controller manager; no kubelet) on a fresh data dir, then
 *  1. mixed load, open loop: 200 requests/s for `--seconds` (default 60) over 5,000
 *     Secrets, one fifth each create / update (PUT) / get / list limit=500 / delete;
 *     mean and p99 per verb and failures (non-2xx or no answer within 30 s); then the
 *     capacity: 32 closed-loop workers with the same mix for 15 s, requests/s achieved;
 *  2. list of 10,000 pods (namespace `bench`), whole and paged by 500 (time to the last
 *     byte of the whole traversal, the client parsing each page for its continue token),
 *     20 times each after one untimed list that fills the serialization cache (reported
 *     apart) and two untimed warm-up traversals: p50, p99;
 *  3. 100 watchers on pods (namespace `watch`) while 2,000 pods are created at 200/s:
 *     every watcher must see every ADDED; delivery latency = event received − create
 *     response received (clamped at 0), p50/p99 over all watcher × pod pairs.
 * BENCH_KEEP_DATA=1 keeps the data dir (server.log). BENCH_SERVER_NODE_ARGS adds Node flags to the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 * Prints a JSON summary and a Markdown table for BENCHMARKS.md; stops the server by PID.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { apiFor, fill, type Api } from './http-api.js';
import { freePort, eventually, startServerProcess, stopServerProcess } from '../test/support/kubectl.js';

const pct = (xs: number[], p: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const secret = (name: string): unknown => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, labels: { bench: 'mixed' } }, type: 'Opaque', data: { payload: Buffer.from('x'.repeat(200)).toString('base64') } });
/**
 * The pods name a scheduler that does not run, so they stay Pending and inert: no scheduler
 * retries, and no PodGC (which deletes pods bound to a Node that does not exist) acting
 * on them while the API server is measured.
 */
const INERT_SCHEDULER = 'bench-no-such-scheduler';
const pod = (name: string, ns: string): unknown => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: 'bench' } },
  spec: { schedulerName: INERT_SCHEDULER, containers: [{ name: 'c', image: '127.0.0.1:5000/busybox:latest', command: ['sleep', '3600'], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});

type Verb = 'create' | 'update' | 'get' | 'list' | 'delete';
const VERBS: Verb[] = ['create', 'update', 'get', 'list', 'delete'];

/** One request of the mixed workload over the Secrets `pool` (names present), drawing names at random. */
function mixedRequest(api: Api, pool: string[], verb: Verb, seq: number): Promise<{ status: number; ms: number }> {
  const base = '/api/v1/namespaces/mixed/secrets';
  const pick = (): string => pool[Math.floor(Math.random() * pool.length)];
  switch (verb) {
    case 'create': { const name = `n-${process.pid}-${seq}`; return api.request('POST', base, secret(name)).then((r) => { if (r.status === 201) pool.push(name); return r; }); }
    case 'update': { const name = pick(); return api.request('PUT', `${base}/${name}`, { ...(secret(name) as object), stringData: { seq: String(seq) } }).then((r) => (r.status === 404 ? { ...r, status: 200 } : r)); }
    case 'get': { const name = pick(); return api.request('GET', `${base}/${name}`).then((r) => (r.status === 404 ? { ...r, status: 200 } : r)); }
    case 'list': return api.request('GET', `${base}?limit=500`);
    case 'delete': {
      const i = Math.floor(Math.random() * pool.length);
      const name = pool[i];
      pool[i] = pool[pool.length - 1]; pool.pop();
      return api.request('DELETE', `${base}/${name}`);
    }
  }
}

async function mixedOpenLoop(api: Api, pool: string[], rate: number, seconds: number) {
  const lat: Record<Verb, number[]> = { create: [], update: [], get: [], list: [], delete: [] };
  let failures = 0;
  const total = rate * seconds;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const verb = VERBS[i % VERBS.length];
    inflight.push(mixedRequest(api, pool, verb, i).then((r) => {
      lat[verb].push(r.ms);
      if (r.status < 200 || r.status > 299) failures++;
    }));
  }
  await Promise.all(inflight);
  const all = Object.values(lat).flat();
  return {
    rate, seconds, requests: total, failures,
    meanMs: round(mean(all)), p99Ms: round(pct(all, 99)),
    perVerb: Object.fromEntries(VERBS.map((v) => [v, { meanMs: round(mean(lat[v])), p99Ms: round(pct(lat[v], 99)) }])),
    achievedPerSecond: round(total / ((performance.now() - start) / 1000)),
  };
}

async function mixedCapacity(api: Api, pool: string[], workers: number, seconds: number) {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  let failures = 0;
  const lat: number[] = [];
  let seq = 10_000_000;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    for (let i = w; performance.now() < end; i++) {
      const r = await mixedRequest(api, pool, VERBS[i % VERBS.length], seq++);
      done++; lat.push(r.ms);
      if (r.status < 200 || r.status > 299) failures++;
    }
  }));
  return { workers, seconds, requestsPerSecond: round(done / seconds), meanMs: round(mean(lat)), failures };
}

async function listBench(api: Api, iterations: number) {
  const whole: number[] = [];
  const paged: number[] = [];
  let count = 0;
  // The first list after the pods were written serializes each of them once (the cache keeps the bytes): reported apart.
  const cold = await api.request('GET', '/api/v1/namespaces/bench/pods', undefined, 60_000);
  // Two more untimed lists, whole and paged, warm the server's code paths (JIT) before the timed ones.
  for (let i = 0; i < 2; i++) {
    await api.request('GET', '/api/v1/namespaces/bench/pods', undefined, 60_000);
    for (let cont = '', first = true; first || cont; first = false) {
      cont = /^\{[^[]*?"continue":"([^"]+)"/.exec((await api.request('GET', `/api/v1/namespaces/bench/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, undefined, 60_000)).body)?.[1] ?? '';
    }
  }
  // The client checks counts by parsing the first traversal only; afterwards it reads the
  // continue token from the list's metadata, which the server writes before the items,
  // so that the figures are the server's and not the client's JSON parsing.
  const continueOf = (body: string): string => /^\{[^[]*?"continue":"([^"]+)"/.exec(body)?.[1] ?? '';
  for (let i = 0; i < iterations; i++) {
    const r = await api.request('GET', '/api/v1/namespaces/bench/pods', undefined, 60_000);
    if (r.status !== 200) throw new Error(`list: ${r.status}`);
    whole.push(r.ms);
    if (i === 0) count = (JSON.parse(r.body) as { items: unknown[] }).items.length;
    const t0 = performance.now();
    let cont = '';
    let pagedCount = 0;
    do {
      const p = await api.request('GET', `/api/v1/namespaces/bench/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, undefined, 60_000);
      if (p.status !== 200) throw new Error(`page: ${p.status} ${p.body.slice(0, 200)}`);
      if (i === 0) {
        const body = JSON.parse(p.body) as { items: unknown[]; metadata: { continue?: string } };
        pagedCount += body.items.length;
        if ((body.metadata.continue ?? '') !== continueOf(p.body)) throw new Error('continue token read wrongly');
      }
      cont = continueOf(p.body);
    } while (cont);
    paged.push(performance.now() - t0);
    if (i === 0 && pagedCount !== count) throw new Error(`paged list saw ${pagedCount} pods, whole list ${count}`);
  }
  if (process.env.BENCH_VERBOSE) console.error(JSON.stringify({ whole: whole.map((x) => round(x)), paged: paged.map((x) => round(x)) }));
  return { pods: count, iterations, coldFirstListMs: round(cold.ms), whole: { p50Ms: round(pct(whole, 50)), p99Ms: round(pct(whole, 99)) }, pagedBy500: { p50Ms: round(pct(paged, 50)), p99Ms: round(pct(paged, 99)) } };
}

async function watchBench(api: Api, watchers: number, pods: number, rate: number) {
  const created = new Map<string, number>();
  const delays: number[] = [];
  const seen = Array.from({ length: watchers }, () => new Set<string>());
  const pending: Array<{ w: number; name: string; at: number }> = [];
  const stops = Array.from({ length: watchers }, (_, w) => api.stream('/api/v1/namespaces/watch/pods?watch=true&resourceVersion=0&allowWatchBookmarks=false', (line) => {
    // Only the type and name are read (no JSON.parse of the whole pod), so 100 streams stay cheap for the client.
    const m = /^\{"type":"(\w+)","object":\{.*?"metadata":\{"name":"([^"]+)"/.exec(line);
    if (!m) throw new Error(`unexpected watch line: ${line.slice(0, 200)}`);
    if (m[1] !== 'ADDED') return;
    const at = performance.now();
    seen[w].add(m[2]);
    const c = created.get(m[2]);
    if (c === undefined) pending.push({ w, name: m[2], at }); else delays.push(Math.max(0, at - c));
  }));
  await sleep(2000); // every watch established
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const start = performance.now();
  const writes: Promise<void>[] = [];
  for (let i = 0; i < pods; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    const name = `w-${i}`;
    writes.push(api.request('POST', '/api/v1/namespaces/watch/pods', pod(name, 'watch')).then((r) => {
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status}`);
      created.set(name, performance.now());
    }));
  }
  await Promise.all(writes);
  const complete = await eventually('every watcher saw every pod', () => seen.every((s) => s.size >= pods), 60_000, 50).catch(() => false);
  loop.disable();
  for (const s of stops) s();
  for (const p of pending) delays.push(Math.max(0, p.at - created.get(p.name)!));
  return { watchers, pods, rate, everyWatcherSawEveryEvent: complete, missing: seen.reduce((a, s) => a + (pods - s.size), 0), p50Ms: round(pct(delays, 50)), p99Ms: round(pct(delays, 99)), benchEventLoopDelayP99Ms: round(loop.percentile(99) / 1e6) };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 60;
  // --only mixed|list|watch runs one part (for profiling); the table needs all three.
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-api-'));
  const server = startServerProcess(dataDir, ['--disable-agent', '--https-listen-port', String(await freePort()), '--kubelet-port', String(await freePort()), '--node-name', 'bench-node'], (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean));
  try {
    await eventually('kubeconfig', () => { try { return readFileSync(server.kubeconfig, 'utf8'); } catch { return undefined; } }, 30_000, 20);
    // The kubeconfig may be read while it is still being written: build the client until one answers.
    const api = await eventually('apiserver ready', async () => {
      const a = apiFor(server.kubeconfig);
      return (await a.request('GET', '/api/v1/namespaces/default')).status === 200 ? a : undefined;
    }, 30_000, 50);
    for (const ns of ['mixed', 'bench', 'watch']) await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

    if (only) {
      if (only === 'mixed') {
        const pool: string[] = [];
        await fill(5000, 32, (i) => api.request('POST', '/api/v1/namespaces/mixed/secrets', secret(`s-${i}`)).then((r) => { pool.push(`s-${i}`); return r; }));
        console.log(JSON.stringify(await mixedOpenLoop(api, pool, 200, seconds)));
      } else if (only === 'list') {
        await fill(10_000, 32, (i) => api.request('POST', '/api/v1/namespaces/bench/pods', pod(`p-${i}`, 'bench')));
        console.log(JSON.stringify(await listBench(api, 10)));
      } else {
        await api.request('GET', '/metrics'); // resets the server's event-loop lag histogram
        console.log(JSON.stringify(await watchBench(api, 100, 2000, 200)));
      }
      const m = (await api.request('GET', '/metrics')).body;
      console.log(m.split('\n').filter((l) => /^nodejs_eventloop_lag_(max|p99|p50)_seconds|^nodejs_gc_duration_seconds_sum/.test(l)).join('\n'));
      return;
    }
    const pool: string[] = [];
    await fill(5000, 32, (i) => api.request('POST', '/api/v1/namespaces/mixed/secrets', secret(`s-${i}`)).then((r) => { pool.push(`s-${i}`); return r; }));
    const mixed = await mixedOpenLoop(api, pool, 200, seconds);
    console.error('mixed', JSON.stringify(mixed));
    const capacity = await mixedCapacity(api, pool, 32, 15);
    console.error('capacity', JSON.stringify(capacity));

    await fill(10_000, 32, (i) => api.request('POST', '/api/v1/namespaces/bench/pods', pod(`p-${i}`, 'bench')));
    const list = await listBench(api, 20);
    console.error('list', JSON.stringify(list));

    const watch = await watchBench(api, 100, 2000, 200);
    console.error('watch', JSON.stringify(watch));
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) / 1024;

    const summary = { date: new Date().toISOString(), cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, mixed, capacity, list, watch, serverRssMB: round(rss) };
    console.log(JSON.stringify(summary, null, 2));
    const ratio = (v: number, goal: number): string => `${round(v / goal, 2)}× goal`;
    console.log(`
| figure | value | anchor | ratio |
| --- | --- | --- | --- |
| mixed 200 req/s over 5,000 Secrets, ${seconds} s, mean | ${mixed.meanMs} ms | goal ≤ 20 ms; k3s/SQLite 1.4 s, upstream 0.15 s (vcluster load test) | ${ratio(mixed.meanMs, 20)}; ${round(mixed.meanMs / 1400, 3)}× k3s; ${round(mixed.meanMs / 150, 2)}× upstream |
| mixed, p99 (create ${mixed.perVerb.create.p99Ms} / update ${mixed.perVerb.update.p99Ms} / get ${mixed.perVerb.get.p99Ms} / list ${mixed.perVerb.list.p99Ms} / delete ${mixed.perVerb.delete.p99Ms} ms) | ${mixed.p99Ms} ms | — | — |
| mixed, failures | ${mixed.failures} of ${mixed.requests} | goal 0 | — |
| capacity, same mix, 32 closed-loop clients | ${capacity.requestsPerSecond} req/s (mean ${capacity.meanMs} ms) | before: ~114 req/s | ${round(capacity.requestsPerSecond / 114, 2)}× before |
| list ${list.pods} pods whole, p50 / p99 (first list after the writes: ${list.coldFirstListMs} ms) | ${list.whole.p50Ms} / ${list.whole.p99Ms} ms | goal p99 ≤ 300 ms; before 400–900 ms | ${ratio(list.whole.p99Ms, 300)} |
| list ${list.pods} pods paged by 500, p50 / p99 | ${list.pagedBy500.p50Ms} / ${list.pagedBy500.p99Ms} ms | goal p99 ≤ 300 ms; before 1.3–4.0 s | ${ratio(list.pagedBy500.p99Ms, 300)} |
| 100 watchers, 2,000 pods at 200/s: delivery p50 / p99 (all seen: ${watch.everyWatcherSawEveryEvent}) | ${watch.p50Ms} / ${watch.p99Ms} ms | goal p99 ≤ 50 ms; before 97–197 ms | ${ratio(watch.p99Ms, 50)} |`);
  } finally {
    await stopServerProcess(server);
    if (process.env.BENCH_KEEP_DATA) console.error(`data dir kept: ${dataDir}`); else rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
