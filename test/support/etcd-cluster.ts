/**
 * Real etcd processes for tests (Debian's etcd 3.4 at /usr/bin/etcd, RUNTIME-NOTES.md):
 * `startEtcdCluster({ members })` starts a static cluster on free 127.0.0.1 ports with
 * data dirs under one mkdtemp dir, and resolves once every member answers `GET /health`
 * with `{"health":"true"}` (polled, with a deadline). The handle can kill, restart and
 * stop members; stop() ends only the PIDs this helper started and removes its dirs.
 * Used by the etcd3 storage tests and, later, the HA and e2e tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './kubectl.js';

export const ETCD_BIN = process.env.K8TS_ETCD_BIN ?? '/usr/bin/etcd';

/** One member as started: its name (`etcd-0`…), process id (of the current run), URLs on 127.0.0.1, and data dir. */
export interface EtcdMember { name: string; pid: number; clientURL: string; peerURL: string; dataDir: string }

/** A running test cluster; see the module doc. */
export interface EtcdCluster {
  /** Client URLs of every member (`http://127.0.0.1:PORT`), in member order. */
  endpoints: string[];
  members: EtcdMember[];
  /** Sends `signal` (default SIGTERM) to the member and waits for it to exit (SIGKILL after 10 s). */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped member again on the same ports and data dir and waits for it to be healthy. */
  restart(name: string): Promise<void>;
  /** Kills (SIGKILL) every member this helper started, waits for them to exit and removes the data dirs. Idempotent. */
  stop(): Promise<void>;
}

export interface EtcdClusterOptions {
  /** Number of members (default 1). */
  members?: number;
  /** Pass `--unsafe-no-fsync` (tests only; faster writes). Default true. */
  unsafeNoFsync?: boolean;
  /** How long to wait for health, in ms (default 20000). */
  healthTimeoutMs?: number;
}

interface Running { member: EtcdMember; child?: ChildProcess; exited?: Promise<void>; args: string[] }

/** Whether `clientURL` answers `/health` with health "true" right now. */
async function healthy(clientURL: string): Promise<boolean> {
  try {
    const res = await fetch(`${clientURL}/health`, { signal: AbortSignal.timeout(1000) });
    const body = await res.json() as { health?: string };
    return body.health === 'true';
  } catch { return false; }
}

/** Polls every member's /health until all are healthy; throws after `timeoutMs` or when a member exits. */
async function waitHealthy(runs: Running[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const r of runs) {
      if (r.child && (r.child.exitCode !== null || r.child.signalCode !== null)) throw new Error(`etcd ${r.member.name} exited (${r.child.exitCode ?? r.child.signalCode}); see ${r.member.dataDir}.log`);
    }
    const ok = await Promise.all(runs.map((r) => healthy(r.member.clientURL)));
    if (ok.every(Boolean)) return;
    if (Date.now() > deadline) {
      const bad = runs.filter((_, i) => !ok[i]);
      const tail = bad.map((r) => { try { return readFileSync(`${r.member.dataDir}.log`, 'utf8').split('\n').slice(-8).join('\n'); } catch { return ''; } });
      throw new Error(`etcd not healthy within ${timeoutMs} ms: ${bad.map((r) => r.member.name).join(', ')}\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

function launch(run: Running): void {
  const log = createWriteStream(`${run.member.dataDir}.log`, { flags: 'a' });
  const child = spawn(ETCD_BIN, run.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  run.child = child;
  run.member.pid = child.pid ?? 0;
  run.exited = new Promise<void>((resolve) => child.once('exit', () => { log.end(); resolve(); }));
}

async function terminate(run: Running, signal: NodeJS.Signals): Promise<void> {
  const child = run.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) { run.child = undefined; return; }
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await run.exited;
  clearTimeout(timer);
  run.child = undefined;
}

/**
 * Starts a cluster (see the module doc). A cluster that does not become healthy is
 * stopped and started once more on fresh ports (a port found free can be taken before
 * etcd binds it; a loaded machine can delay the first election); the second failure throws.
 */
export async function startEtcdCluster(opts: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  try {
    return await startOnce(opts);
  } catch {
    return startOnce(opts);
  }
}

/** Distinct free ports on 127.0.0.1. */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

async function startOnce(opts: EtcdClusterOptions): Promise<EtcdCluster> {
  const n = opts.members ?? 1;
  const root = mkdtempSync(join(tmpdir(), 'k8ts-etcd-'));
  const members: EtcdMember[] = [];
  const ports = await freePorts(2 * n);
  for (let i = 0; i < n; i++) {
    const name = `etcd-${i}`;
    const dataDir = join(root, name);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    members.push({ name, pid: 0, clientURL: `http://127.0.0.1:${ports[2 * i]}`, peerURL: `http://127.0.0.1:${ports[2 * i + 1]}`, dataDir });
  }
  const initialCluster = members.map((m) => `${m.name}=${m.peerURL}`).join(',');
  const runs: Running[] = members.map((m) => ({
    member: m,
    args: [
      '--name', m.name, '--data-dir', m.dataDir,
      '--listen-client-urls', m.clientURL, '--advertise-client-urls', m.clientURL,
      '--listen-peer-urls', m.peerURL, '--initial-advertise-peer-urls', m.peerURL,
      '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', `k8ts-${process.pid}-${Date.now()}`,
      // Faster than etcd's defaults (100 / 1000 ms), yet slow enough that a loaded 2-core
      // machine does not make the members flap leadership.
      '--heartbeat-interval', '50', '--election-timeout', '500',
      ...(opts.unsafeNoFsync ?? true ? ['--unsafe-no-fsync'] : []),
    ],
  }));
  const byName = (name: string): Running => {
    const r = runs.find((x) => x.member.name === name);
    if (!r) throw new Error(`no etcd member ${name}`);
    return r;
  };
  let stopped = false;
  const cluster: EtcdCluster = {
    endpoints: members.map((m) => m.clientURL),
    members,
    kill: (name, signal = 'SIGTERM') => terminate(byName(name), signal),
    async restart(name) {
      const r = byName(name);
      await terminate(r, 'SIGTERM');
      launch(r);
      await waitHealthy([r], opts.healthTimeoutMs ?? 20_000);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // SIGKILL: the data is thrown away, and a SIGTERM'd leader waits seconds trying to hand leadership to members that are going too.
      await Promise.all(runs.map((r) => terminate(r, 'SIGKILL')));
      rmSync(root, { recursive: true, force: true });
    },
  };
  for (const r of runs) launch(r);
  try {
    await waitHealthy(runs, opts.healthTimeoutMs ?? 20_000);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
