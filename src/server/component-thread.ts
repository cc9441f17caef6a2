/**
 * Component threads: in `k8ts server` the scheduler, the controller manager and the node
 * (kubelet and kube-proxy) each run on their own event loop in a worker thread, so a busy
 * component cannot starve the API server or another one (issue #7). They already talk to
 * the API server over HTTPS with their own credentials, as separate processes do; a
 * thread gets its options (PEMs, addresses, paths) as a structured clone and shares no
 * object with the main thread. The worker side is component-thread-runtime.ts; the code
 * a thread runs is one bundle of its entry module (component-bundle.ts).
 */
import { Worker } from 'node:worker_threads';
import type { FromComponentThread, ToComponentThread } from './component-thread-runtime.js';
import { componentScript } from './component-bundle.js';

/** The main thread's functions a component thread may `call`: each returns a structured-clonable value (or a promise of one) or throws. */
export type ComponentThreadHandlers = Record<string, (...args: never[]) => unknown>;

/** Options of {@link startComponentThread}. */
export interface ComponentThreadOptions<O> {
  /** For logs and errors, e.g. `scheduler`. */
  name: string;
  /** File URL of the thread's entry module, which calls serveComponentThread (component-thread-runtime.ts). */
  entry: URL;
  /**
   * The entry's options: structured-clonable (no functions, no class instances). Absent:
   * the thread loads its module and waits for {@link ComponentThread.start}.
   */
  options?: O;
  /** What the thread may `call` (or given to `start`). */
  handlers?: ComponentThreadHandlers;
  log: (message: string) => void;
}

/** A running component thread. */
export interface ComponentThread<O = unknown> {
  readonly name: string;
  readonly threadId: number;
  /** Runs the entry with `options`, answering its calls with `handlers` (the first call only; a no-op once stopped). */
  start(options: O, handlers?: ComponentThreadHandlers): void;
  /** Settles when the entry returned (resolves) or threw or the thread died (rejects with the error). */
  readonly done: Promise<void>;
  /**
   * Aborts the component's signal and waits for its entry to return; after `graceMs`
   * (default 15,000 ms) the thread is terminated. Never rejects; safe to call twice.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The execArgv for a thread, or undefined to inherit the process's (Node passes on its
 * own options; V8 flags such as the semi-space size are process-wide anyway). Only a
 * TypeScript loader (`--import tsx`, as the test runner has) is left out: the thread runs
 * a plain bundle, and a loader would start its own hooks thread. Worker refuses V8 flags
 * given explicitly, so those are left out too (they still apply).
 */
function threadExecArgv(): string[] | undefined {
  const args = process.execArgv;
  const loader = (a: string): boolean => a === '--import' || a === '--require' || a === '--loader' || a === '--experimental-loader' || a === '-r';
  if (!args.some((a) => loader(a) || /^--(import|require|loader|experimental-loader)=/.test(a))) return undefined;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (loader(a)) { i++; continue; }
    if (/^--(import|require|loader|experimental-loader)=/.test(a) || /^--(max|min)-[a-z-]*size/.test(a) || a === '--expose-gc') continue;
    out.push(a);
  }
  return out;
}

/**
 * Starts a worker thread running `o.entry` as one bundle (component-bundle.ts); its entry
 * function runs when the options are given (`o.options`, or later through `start`).
 * Resolves once the thread exists. Throws esbuild's errors for an entry that does not build.
 */
export async function startComponentThread<O>(o: ComponentThreadOptions<O>): Promise<ComponentThread<O>> {
  const script = await componentScript(o.entry, o.log);
  const worker = 'file' in script
    ? new Worker(script.file, { name: o.name, execArgv: threadExecArgv() })
    : new Worker(script.code, { name: o.name, execArgv: threadExecArgv(), eval: true });
  let handlers = o.handlers;
  let settled = false;
  let resolveDone!: () => void;
  let rejectDone!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => { resolveDone = resolve; rejectDone = reject; });
  // A failure is the caller's to read from `done`; unread, it must not end the process.
  done.catch(() => undefined);
  // A thread whose entry has ended is terminated: its sockets and timers go with it.
  const settle = (err?: Error): void => {
    if (settled) return;
    settled = true;
    if (err) rejectDone(err); else resolveDone();
    void worker.terminate();
  };
  const post = (m: ToComponentThread): void => { if (!settled) worker.postMessage(m); };
  worker.on('message', (m: FromComponentThread) => {
    switch (m.type) {
      case 'log': o.log(m.message); break;
      case 'done': settle(); break;
      case 'failed': settle(new Error(`${o.name}: ${m.error}`)); break;
      case 'call': {
        const handler = handlers?.[m.method] as ((...args: unknown[]) => unknown) | undefined;
        Promise.resolve()
          .then(() => { if (!handler) throw new Error(`the main thread has no handler ${m.method}`); return handler(...m.args); })
          .then((value) => post({ type: 'reply', id: m.id, value }), (err: Error) => post({ type: 'reply', id: m.id, error: err?.message ?? String(err) }));
        break;
      }
    }
  });
  worker.on('error', (err) => settle(err));
  worker.on('exit', (code) => settle(new Error(`${o.name}: thread exited with code ${code}`)));

  let started = false;
  let stopping: Promise<void> | undefined;
  const start = (options: O, startHandlers?: ComponentThreadHandlers): void => {
    if (started || stopping) return;
    started = true;
    handlers = startHandlers ?? handlers;
    post({ type: 'start', options });
  };
  if (o.options !== undefined) start(o.options);

  const stop = (graceMs = 15_000): Promise<void> => {
    stopping ??= (async () => {
      post({ type: 'stop' });
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), graceMs); });
      const r = await Promise.race([done.then(() => 'done' as const, () => 'done' as const), graceOver]);
      clearTimeout(timer);
      if (r === 'timeout') {
        o.log(`${o.name}: did not stop within ${graceMs} ms; thread terminated`);
        settle(new Error(`${o.name}: terminated after ${graceMs} ms`));
      }
      await done.catch(() => undefined);
    })();
    return stopping;
  };
  return { name: o.name, threadId: worker.threadId, start, done, stop };
}
