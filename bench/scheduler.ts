/**
 * Benchmark of issue #7's scheduler figures (`npx tsx bench/scheduler.ts [--case basic|
 * antiaffinity|spread] [--nodes 5000] [--init 1000] [--pods 10000]`; no root needed), as
 * upstream's scheduler_perf SchedulingBasic: `k8ts apiserver` (SQLite, watch cache) on a
 * fresh data dir; `--nodes` Node objects (32 cpu, 256Gi, 110 pods, Ready; a zone label of
 * 10 zones) and `--init` + `--pods` pending pods (100m cpu, 128Mi) are created while no
 * scheduler runs; then `k8ts scheduler` starts as its own process. A watch on pods records
 * when each pod is seen bound. Throughput = pods bound after the first `--init` ones ÷ the
 * time between the `--init`-th and the last bind: the API server, storage (each bind and
 * its Scheduled event are writes) and the scheduler are all in the loop, as upstream's.
 * `antiaffinity`: every pod has a required pod anti-affinity on hostname to pods of its
 * own group (groups of 50 labels); `spread`: a topology spread constraint (maxSkew 1 on the
 * zone label, DoNotSchedule). `unschedulable` (default `--nodes 100 --init 0`): every pod
 * has a nodeSelector no node matches; once each pod shows PodScheduled=False the scheduler
 * and API server are watched for `--window-s` (default 300): CPU of both processes, Events
 * in the cluster, and the SQLite files' size at the start and end of the window (issue
 * #7's "10,000 unschedulable pods" figure). `deployment` (default `--nodes 100 --pods 1000`):
 * no pods are created by the bench; the scheduler and `k8ts controller-manager` run as
 * processes and one Deployment of `--pods` replicas is created; the figure is the time
 * from its create to the last of its pods bound. Prints a JSON summary and a Markdown row; stops both
 * processes by PID. BENCH_KEEP_DATA=1 keeps the data dir; BENCH_SCHEDULER_NODE_ARGS and BENCH_APISERVER_NODE_ARGS add Node flags to the scheduler and the API server (e.g. `--cpu-prof`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiFor, fill } from './http-api.js';
import { eventually, freePort } from '../test/support/kubectl.js';

const REPO = join(import.meta.dirname, '..');
const arg = (name: string, dflt: string): string => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const CASE = arg('case', 'basic');
const UNSCHEDULABLE = CASE === 'unschedulable';
const DEPLOYMENT = CASE === 'deployment';
const NODES = Number(arg('nodes', UNSCHEDULABLE || DEPLOYMENT ? '100' : '5000'));
const INIT = Number(arg('init', UNSCHEDULABLE || DEPLOYMENT ? '0' : '1000'));
const WINDOW_S = Number(arg('window-s', '300'));
const PODS = Number(arg('pods', DEPLOYMENT ? '1000' : '10000'));

const node = (i: number): unknown => ({
  apiVersion: 'v1', kind: 'Node',
  metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 10}` } },
  status: {
    capacity: { cpu: '32', memory: '256Gi', pods: '110' }, allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake node', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
  },
});

function pod(i: number): unknown {
  const group = `g${Math.floor(i / 50)}`;
  const spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] };
  if (CASE === 'antiaffinity') spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { group } }, topologyKey: 'kubernetes.io/hostname' }] } };
  if (UNSCHEDULABLE) spec.nodeSelector = { 'bench.k8ts.dev/no-such-node': 'true' };
  if (CASE === 'spread') spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { group } } }];
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${String(i).padStart(6, '0')}`, namespace: 'bench', labels: { group } }, spec };
}

function startProcess(args: string[], log: string, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--max-semi-space-size=8', ...nodeArgs, join(REPO, 'bin/k8ts.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(log, { flags: 'a' });
  child.stdout!.pipe(out); child.stderr!.pipe(out);
  return child;
}
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}
/** Bytes of one SQLite file of the data dir ('' the database, '-wal' its WAL; 0 when absent). */
const dbFileBytes = (dataDir: string, ext: '' | '-wal'): number => { try { return statSync(join(dataDir, 'server', 'db', `state.db${ext}`)).size; } catch { return 0; } };
/** Bytes of the SQLite database with its WAL (`db`), and of the WAL alone. */
const dbSizes = (dataDir: string): { db: number; wal: number } => { const wal = dbFileBytes(dataDir, '-wal'); return { db: dbFileBytes(dataDir, '') + wal, wal }; };
const cpuSeconds = (pid: number): number => {
  try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; } catch { return NaN; }
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-sched-'));
  const port = await freePort();
  const apiserver = startProcess(['apiserver', '--data-dir', dataDir, '--https-listen-port', String(port)], join(dataDir, 'apiserver.log'), (process.env.BENCH_APISERVER_NODE_ARGS ?? '').split(' ').filter(Boolean));
  let scheduler: ChildProcess | undefined;
  const extra: ChildProcess[] = [];
  const stopWatch: Array<() => void> = [];
  try {
    const kubeconfig = join(dataDir, 'kubeconfig.yaml');
    const api = await eventually('apiserver', async () => { try { const a = apiFor(kubeconfig); return (await a.request('GET', '/api/v1/namespaces/kube-system')).status === 200 ? a : undefined; } catch { return undefined; } }, 60_000, 100);
    await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    let t = performance.now();
    await fill(NODES, 32, (i) => api.request('POST', '/api/v1/nodes', node(i)));
    const nodesPerSecond = NODES / ((performance.now() - t) / 1000);
    // The nodes' status came with the create (a fake kubelet's first status); the API keeps it for Nodes.
    if (DEPLOYMENT) {
      await deploymentRollout(api, kubeconfig, dataDir, apiserver, (p) => stopWatch.push(p), (c) => { scheduler = c; }, (c) => extra.push(c));
      return;
    }
    t = performance.now();
    await fill(INIT + PODS, 32, (i) => api.request('POST', '/api/v1/namespaces/bench/pods', pod(i)));
    const podsCreatedPerSecond = (INIT + PODS) / ((performance.now() - t) / 1000);

    const boundAt: number[] = [];
    const seen = new Set<string>();
    const list = JSON.parse((await api.request('GET', '/api/v1/namespaces/bench/pods?limit=1')).body);
    stopWatch.push(api.stream(`/api/v1/namespaces/bench/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (line) => {
      const ev = JSON.parse(line) as { object: { metadata: { name: string }; spec?: { nodeName?: string } } };
      if (ev.object.spec?.nodeName && !seen.has(ev.object.metadata.name)) { seen.add(ev.object.metadata.name); boundAt.push(performance.now()); }
    }));
    const nodeArgs = (process.env.BENCH_SCHEDULER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    if (UNSCHEDULABLE) {
      await unschedulableWindow(api, dataDir, apiserver, () => (scheduler = startProcess(['scheduler', '--kubeconfig', kubeconfig, '--secure-port', '0'], join(dataDir, 'scheduler.log'), nodeArgs)), stopWatch);
      return;
    }
    const schedStart = performance.now();
    scheduler = startProcess(['scheduler', '--kubeconfig', kubeconfig, '--secure-port', '0'], join(dataDir, 'scheduler.log'), nodeArgs);
    await eventually('init pods bound', () => boundAt.length >= INIT, 300_000, 50);
    const cpuAtInit = cpuSeconds(scheduler.pid!);
    const apiCpuAtInit = cpuSeconds(apiserver.pid!);
    await eventually('all pods bound', () => boundAt.length >= INIT + PODS, 1_800_000, 50);
    const cpuAtEnd = cpuSeconds(scheduler.pid!);
    const apiCpuAtEnd = cpuSeconds(apiserver.pid!);
    const windowS = (boundAt[INIT + PODS - 1] - boundAt[INIT - 1]) / 1000;
    const summary = {
      date: new Date().toISOString(), machine: `${cpus().length} x ${cpus()[0]?.model.trim()}`, node: process.version,
      case: CASE, nodes: NODES, initPods: INIT, measuredPods: PODS,
      nodesCreatedPerSecond: Math.round(nodesPerSecond), podsCreatedPerSecond: Math.round(podsCreatedPerSecond),
      schedulerStartToFirstBindS: Math.round((boundAt[0] - schedStart) / 10) / 100,
      podsPerSecond: Math.round(PODS / windowS),
      measuredWindowS: Math.round(windowS * 100) / 100,
      schedulerCpuSeconds: Math.round((cpuAtEnd - cpuAtInit) * 100) / 100,
      apiserverCpuSeconds: Math.round((apiCpuAtEnd - apiCpuAtInit) * 100) / 100,
    };
    console.log(JSON.stringify(summary, null, 2));
    const anchor = CASE === 'basic' ? 'upstream CI floor 680 pods/s; goal ≥ 1,000 pods/s' : 'upstream scheduler_perf case';
    console.log(`| scheduler throughput, ${CASE}, ${NODES} nodes, ${PODS} pods after ${INIT} | ${summary.podsPerSecond} pods/s | ${anchor} | ${CASE === 'basic' ? `${(summary.podsPerSecond / 1000).toFixed(2)}× goal, ${(summary.podsPerSecond / 680).toFixed(2)}× floor` : '—'} |`);
  } finally {
    for (const s of stopWatch) s();
    if (scheduler) await stop(scheduler);
    for (const c of extra) await stop(c);
    await stop(apiserver);
    if (!process.env.BENCH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`data dir kept: ${dataDir}`);
  }
}

/**
 * The deployment case: scheduler and controller manager as processes, one Deployment of
 * PODS replicas; time from its create to its last pod bound.
 */
async function deploymentRollout(api: ReturnType<typeof apiFor>, kubeconfig: string, dataDir: string, apiserver: ChildProcess,
  onStop: (f: () => void) => void, setScheduler: (c: ChildProcess) => void, addProcess: (c: ChildProcess) => void): Promise<void> {
  const bound = new Set<string>();
  let lastBound = 0;
  const list = JSON.parse((await api.request('GET', '/api/v1/namespaces/bench/pods?limit=1')).body);
  onStop(api.stream(`/api/v1/namespaces/bench/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (line) => {
    const ev = JSON.parse(line) as { object: { metadata: { name: string }; spec?: { nodeName?: string } } };
    if (ev.object.spec?.nodeName && !bound.has(ev.object.metadata.name)) { bound.add(ev.object.metadata.name); lastBound = performance.now(); }
  }));
  const scheduler = startProcess(['scheduler', '--kubeconfig', kubeconfig, '--secure-port', '0'], join(dataDir, 'scheduler.log'));
  setScheduler(scheduler);
  const cm = startProcess(['controller-manager', '--kubeconfig', kubeconfig, '--secure-port', '0'], join(dataDir, 'controller-manager.log'));
  addProcess(cm);
  // Both lead before the clock starts (their first lease acquisition is not the figure).
  await eventually('leaders', async () => {
    const names = await Promise.all(['kube-scheduler', 'kube-controller-manager'].map(async (n) => (await api.request('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${n}`)).status === 200));
    return names.every(Boolean);
  }, 60_000, 200);
  await new Promise((r) => setTimeout(r, 2000)); // informers synced
  const cpu0 = { sched: cpuSeconds(scheduler.pid!), cm: cpuSeconds(cm.pid!), api: cpuSeconds(apiserver.pid!) };
  const t0 = performance.now();
  const template = { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } };
  const r = await api.request('POST', '/apis/apps/v1/namespaces/bench/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench' }, spec: { replicas: PODS, selector: { matchLabels: { app: 'bench' } }, template } });
  if (r.status !== 201) throw new Error(`create deployment: ${r.status} ${r.body.slice(0, 200)}`);
  await eventually('all replicas bound', () => bound.size >= PODS, 1_800_000, 50);
  const seconds = (lastBound - t0) / 1000;
  const summary = {
    date: new Date().toISOString(), machine: `${cpus().length} x ${cpus()[0]?.model.trim()}`, node: process.version,
    case: CASE, nodes: NODES, replicas: PODS, secondsToAllScheduled: Math.round(seconds * 100) / 100, podsPerSecond: Math.round(PODS / seconds),
    cpuSeconds: { scheduler: Math.round((cpuSeconds(scheduler.pid!) - cpu0.sched) * 100) / 100, controllerManager: Math.round((cpuSeconds(cm.pid!) - cpu0.cm) * 100) / 100, apiserver: Math.round((cpuSeconds(apiserver.pid!) - cpu0.api) * 100) / 100 },
  };
  console.log(JSON.stringify(summary, null, 2));
  console.log(`| Deployment of ${PODS} replicas on ${NODES} fake nodes: create → all pods scheduled | ${summary.secondsToAllScheduled} s (${summary.podsPerSecond} pods/s) | — | — |`);
}

/**
 * The unschedulable case: starts the scheduler, waits until every pod carries
 * PodScheduled=False, then measures the window (see the module doc).
 */
async function unschedulableWindow(api: ReturnType<typeof apiFor>, dataDir: string, apiserver: ChildProcess, startScheduler: () => ChildProcess, stopWatch: Array<() => void>): Promise<void> {
  const failed = new Set<string>();
  const list = JSON.parse((await api.request('GET', '/api/v1/namespaces/bench/pods?limit=1')).body);
  stopWatch.push(api.stream(`/api/v1/namespaces/bench/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (line) => {
    const ev = JSON.parse(line) as { object: { metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } } };
    if (ev.object.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False')) failed.add(ev.object.metadata.name);
  }));
  const t0 = performance.now();
  const scheduler = startScheduler();
  await eventually('every pod marked unschedulable', () => failed.size >= PODS, 1_800_000, 200);
  const firstPassS = (performance.now() - t0) / 1000;
  const countEvents = async (): Promise<number> => {
    let n = 0;
    for (let cont = '', first = true; first || cont; first = false) {
      const page = JSON.parse((await api.request('GET', `/api/v1/events?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).body) as { items: unknown[]; metadata: { continue?: string } };
      n += page.items.length;
      cont = page.metadata.continue ?? '';
    }
    return n;
  };
  const start = { events: await countEvents(), ...dbSizes(dataDir), sched: cpuSeconds(scheduler.pid!), api: cpuSeconds(apiserver.pid!), at: performance.now() };
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  const end = { events: await countEvents(), ...dbSizes(dataDir), sched: cpuSeconds(scheduler.pid!), api: cpuSeconds(apiserver.pid!), at: performance.now() };
  const seconds = (end.at - start.at) / 1000;
  const summary = {
    date: new Date().toISOString(), machine: `${cpus().length} x ${cpus()[0]?.model.trim()}`, node: process.version,
    case: CASE, nodes: NODES, pods: PODS, firstPassS: Math.round(firstPassS * 10) / 10, windowS: Math.round(seconds),
    schedulerCpuPercentOfCore: Math.round(((end.sched - start.sched) / seconds) * 1000) / 10,
    apiserverCpuPercentOfCore: Math.round(((end.api - start.api) / seconds) * 1000) / 10,
    eventsAtStart: start.events, eventsAtEnd: end.events,
    dbMBAtStart: Math.round(start.db / 1e5) / 10, dbMBAtEnd: Math.round(end.db / 1e5) / 10,
    walMBAtStart: Math.round(start.wal / 1e5) / 10, walMBAtEnd: Math.round(end.wal / 1e5) / 10,
  };
  console.log(JSON.stringify(summary, null, 2));
  console.log(`| ${PODS} unschedulable pods (${NODES} nodes) for ${summary.windowS} s: scheduler / apiserver CPU | ${summary.schedulerCpuPercentOfCore} % / ${summary.apiserverCpuPercentOfCore} % of a core | goal < 5 % | — |`);
  console.log(`| … Events at the start / end of the window | ${summary.eventsAtStart} / ${summary.eventsAtEnd} | goal < 20,000 | — |`);
  console.log(`| … database at the start / end of the window (of which WAL) | ${summary.dbMBAtStart} (${summary.walMBAtStart}) / ${summary.dbMBAtEnd} (${summary.walMBAtEnd}) MB | goal: flat | — |`);
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
