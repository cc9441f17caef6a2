/**
 * Helpers for end-to-end tests: run the real `/usr/bin/kubectl` against a kubeconfig,
 * poll with a deadline, fetch over HTTP, and start/stop `k8ts server` as a child process.
 */
import net from 'node:net';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
export const REPO = new URL('../..', import.meta.url).pathname;

export interface RunResult { code: number; stdout: string; stderr: string }

/** Runs kubectl; never throws on a non-zero exit (check `code`). */
export function kubectlRaw(kubeconfig: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(KUBECTL, args, { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0, stdout, stderr }));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Runs kubectl and returns stdout; throws with stderr on a non-zero exit. */
export async function kubectl(kubeconfig: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await kubectlRaw(kubeconfig, args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Calls `fn` until it returns a truthy value or the deadline passes; returns the value. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false | null> | T | undefined | false | null, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
      last = v;
    } catch (err) { last = err; }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** HTTP GET with a timeout; resolves {status, body}. */
export function httpGet(url: string, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout GET ${url}`)));
    req.on('error', reject);
  });
}

/** Runs a k8ts CLI command to completion. */
export function k8ts(args: string[], timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin/k8ts.js'), ...args], { timeout: timeoutMs, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
  });
}

/** A `k8ts server` child process. */
export interface ServerProcess { child: ChildProcess; kubeconfig: string; exited: Promise<number | null>; startedAt: number }

/** Starts `k8ts server` with the given flags; output goes to `<dataDir>/server.log` (and a copy under `$K8TS_TEST_LOG_DIR` when set). */
export function startServerProcess(dataDir: string, flags: string[], nodeArgs: string[] = []): ServerProcess {
  return startComponentProcess('server', dataDir, flags, nodeArgs);
}

/** Starts `k8ts <command> --data-dir <dataDir>` (server, apiserver) with the given flags; logs as startServerProcess. */
export function startComponentProcess(command: 'server' | 'apiserver', dataDir: string, flags: string[], nodeArgs: string[] = []): ServerProcess {
  return startK8tsProcess([command, '--data-dir', dataDir, ...flags], join(dataDir, `${command}.log`), nodeArgs);
}

/**
 * Starts `k8ts <args…>` (any command); stdout and stderr are appended to `logPath` (and a
 * copy under `$K8TS_TEST_LOG_DIR` when set). The process's kubeconfig field is
 * `<dirname(logPath)>/kubeconfig.yaml`, meaningful only for commands that write one.
 */
export function startK8tsProcess(args: string[], logPath: string, nodeArgs: string[] = []): ServerProcess {
  const command = args[0];
  const log = createWriteStream(logPath, { flags: 'a' });
  const dataDir = dirname(logPath);
  const startedAt = Date.now();
  // Same V8 setting as bin/k8ts.js's shebang and scripts/start.sh (BENCHMARKS.md, "Young generation").
  const child = spawn(process.execPath, ['--max-semi-space-size=8', ...nodeArgs, join(REPO, 'bin/k8ts.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  // K8TS_TEST_LOG_DIR keeps a copy of every server's log after the test removed its data dir.
  if (process.env.K8TS_TEST_LOG_DIR) {
    const copy = createWriteStream(join(process.env.K8TS_TEST_LOG_DIR, `${command}-${startedAt}-${child.pid}.log`), { flags: 'a' });
    child.stdout!.pipe(copy, { end: false });
    child.stderr!.pipe(copy, { end: false });
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, kubeconfig: join(dataDir, 'kubeconfig.yaml'), exited, startedAt };
}

/** Sends SIGTERM and waits for exit (SIGKILL after `timeoutMs`). Returns the exit code. */
export async function stopServerProcess(p: ServerProcess, timeoutMs = 20_000): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return code;
}

export const kubeconfigReady = (p: ServerProcess): boolean => existsSync(p.kubeconfig);

/** A TCP port free on 127.0.0.1 right now (for a server's --https-listen-port and the like). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}
