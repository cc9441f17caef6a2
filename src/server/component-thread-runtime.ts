/**
 * The worker side of a component thread (component-thread.ts): runs one component's
 * entry function with an AbortSignal the main thread controls, a log that goes to the
 * main thread's log, and `call` for the few things only the main thread can do (the API
 * server's listeners, the cluster CA's key). Each component has a small entry module
 * (e.g. scheduler-thread.ts) that calls {@link serveComponentThread} with its function;
 * the main thread runs that module as one esbuild bundle (component-bundle.ts).
 *
 * The entry runs when its options arrive, so the thread's start-up overlaps whatever
 * the main thread does to work the options out.
 *
 * Protocol (structured-clone messages on the worker's parentPort):
 * - main → worker: `{ type: 'start', options }` runs the entry (once); `{ type: 'stop' }`
 *   aborts the signal (before `start`: the entry never runs); `{ type: 'reply', id, value }`
 *   or `{ type: 'reply', id, error }` answers a call.
 * - worker → main: `{ type: 'log', message }`, `{ type: 'call', id, method, args }`, then
 *   `{ type: 'done' }` when the entry function returned or `{ type: 'failed', error }`
 *   (the error's stack) when it threw.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { setMaxListeners } from 'node:events';

/** What a component's entry function gets besides its options. */
export interface ComponentThreadContext {
  /** Aborted when the main thread stops the component. */
  signal: AbortSignal;
  /** One line to the main thread's log. */
  log(message: string): void;
  /** Runs the main thread's handler `method` with `args` (structured-clonable); rejects with its error's message. */
  call<T>(method: string, ...args: unknown[]): Promise<T>;
}

/** A component's entry function: runs until `ctx.signal` aborts (or fails). */
export type ComponentThreadMain<O> = (options: O, ctx: ComponentThreadContext) => Promise<void>;

/** Messages from the main thread. */
export type ToComponentThread = { type: 'start'; options: unknown } | { type: 'stop' } | { type: 'reply'; id: number; value?: unknown; error?: string };
/** Messages to the main thread. */
export type FromComponentThread =
  | { type: 'log'; message: string }
  | { type: 'call'; id: number; method: string; args: unknown[] }
  | { type: 'done' }
  | { type: 'failed'; error: string };

/**
 * Serves `main` on `port` (default: this worker's parentPort): runs it with the options
 * of the `start` message and reports its end. Never throws: a failure is reported as
 * `failed`. @throws Error when there is no port (not in a worker thread).
 */
export async function serveComponentThread<O>(main: ComponentThreadMain<O>, port: MessagePort | null = parentPort): Promise<void> {
  if (!port) throw new Error('serveComponentThread: not in a worker thread');
  const abort = new AbortController();
  // Every controller, informer and loop of the component listens on this one signal.
  setMaxListeners(0, abort.signal);
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const send = (m: FromComponentThread): void => port.postMessage(m);
  let start!: (options: { value: unknown } | undefined) => void;
  const started = new Promise<{ value: unknown } | undefined>((resolve) => { start = resolve; });
  port.on('message', (m: ToComponentThread) => {
    if (m.type === 'start') start({ value: m.options });
    else if (m.type === 'stop') { abort.abort(); start(undefined); }
    else if (m.type === 'reply') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.value);
    }
  });
  const ctx: ComponentThreadContext = {
    signal: abort.signal,
    log: (message) => send({ type: 'log', message }),
    call: <T>(method: string, ...args: unknown[]) => new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send({ type: 'call', id, method, args });
    }),
  };
  try {
    const options = await started;
    if (options && !abort.signal.aborted) await main(options.value as O, ctx);
    send({ type: 'done' });
  } catch (err) {
    send({ type: 'failed', error: (err as Error)?.stack ?? String(err) });
  }
}
