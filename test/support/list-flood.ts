/**
 * A flood of identical GETs from one client identity, run as its own process so that the
 * test measuring the server beside it is not slowed by the flood's own client work:
 * `node --import tsx test/support/list-flood.ts` with a JSON {@link FloodSpec} as its one
 * argument. `workers` concurrent requesters, each on its own keep-alive connection, send
 * `path` again as soon as the previous answer came, or after `Retry-After` seconds when it
 * was a 429, as client-go does. The connections are opened (on `GET /version`) before the
 * flood starts and kept open. Prints `first-429` once when the first refusal arrives,
 * then, when `durationMs` ran out or on SIGTERM, one JSON {@link FloodSummary} line and
 * exits. Use {@link startListFlood}.
 */
import https from 'node:https';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setPriority } from 'node:os';

export interface FloodSpec {
  port: number;
  /** PEMs: the server's CA, the flooder's client certificate and key. */
  ca: string; cert: string; key: string;
  path: string;
  workers: number;
  durationMs: number;
}

export interface FloodSummary {
  /** Connections open once the warm-up was done, before the flood. */
  connections?: number;
  /** Replies by HTTP status (-1: no answer, the connection failed). */
  statuses: Record<string, number>;
  /** Whether every 429 carried a Retry-After of at least 1 s. */
  everyRefusalHasRetryAfter: boolean;
  /** The first 429's body. */
  firstRefusalBody?: string;
}

async function flood(spec: FloodSpec): Promise<void> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: spec.workers, maxFreeSockets: spec.workers, ca: spec.ca, cert: spec.cert, key: spec.key });
  const summary: FloodSummary = { statuses: {}, everyRefusalHasRetryAfter: true };
  let stop = false;
  const deadline = Date.now() + spec.durationMs;
  const agentSockets = (): number => Object.values(agent.sockets).reduce((n, l) => n + (l?.length ?? 0), 0) + Object.values(agent.freeSockets).reduce((n, l) => n + (l?.length ?? 0), 0);
  const get = (path = spec.path): Promise<{ status: number; retryAfter?: string; body?: string }> => new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port: spec.port, path, agent }, (res) => {
      const status = res.statusCode ?? 0;
      if (status === 200) { res.resume(); res.on('end', () => resolve({ status })); return; }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status, retryAfter: res.headers['retry-after'] as string | undefined, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', () => resolve({ status: -1 }));
  });
  const finish = (): void => {
    stop = true;
    process.stdout.write(`${JSON.stringify(summary)}\n`, () => process.exit(0));
  };
  process.once('SIGTERM', finish);
  // Every connection is opened first, on a cheap request, as a long-lived client holds
  // its connections: the server accepts one connection per event-loop turn (libuv), so
  // 500 handshakes arriving with the flood would queue a measuring client's connection
  // behind them for seconds.
  await Promise.all(Array.from({ length: spec.workers }, async () => {
    for (let attempt = 0; attempt < 20 && !stop; attempt++) {
      if ((await get('/version')).status === 200) return;
      await new Promise((res) => setTimeout(res, 100));
    }
  }));
  summary.connections = agentSockets();
  await Promise.all(Array.from({ length: spec.workers }, async () => {
    while (!stop && Date.now() < deadline) {
      const r = await get();
      summary.statuses[r.status] = (summary.statuses[r.status] ?? 0) + 1;
      if (r.status !== 429) continue;
      if (summary.firstRefusalBody === undefined) { summary.firstRefusalBody = r.body; process.stdout.write('first-429\n'); }
      const after = Number(r.retryAfter);
      if (!(after >= 1)) summary.everyRefusalHasRetryAfter = false;
      await new Promise((res) => setTimeout(res, (after >= 1 ? after : 1) * 1000));
    }
  }));
  if (!stop) finish();
}

/** A running flood: `firstRefusal` settles when the first 429 arrives; `stop()` ends it and gives its summary. */
export interface ListFlood {
  child: ChildProcess;
  firstRefusal: Promise<void>;
  stop(): Promise<FloodSummary>;
}

/** Starts the flood of `spec` in a child process (Node with tsx) at the lowest CPU priority (nice 19). */
export function startListFlood(spec: FloodSpec): ListFlood {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The load generator yields the CPU to the clients being measured beside it (kubectl's own start-up is ~0.1 s of CPU).
  if (child.pid !== undefined) setPriority(child.pid, 19);
  let out = '';
  let onRefusal!: () => void;
  const firstRefusal = new Promise<void>((resolve) => { onRefusal = resolve; });
  child.stdout!.on('data', (d) => { out += d; if (out.includes('first-429\n')) onRefusal(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    firstRefusal,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
      const line = out.split('\n').filter((l) => l.startsWith('{')).pop();
      if (!line) throw new Error(`the flood process gave no summary (exit ${child.exitCode ?? child.signalCode})`);
      return JSON.parse(line) as FloodSummary;
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void flood(JSON.parse(process.argv[2]) as FloodSpec);
