/**
 * SIGTERM/SIGINT for the long-running commands (server, apiserver, scheduler, …): one
 * AbortSignal and one promise per process, the handlers installed by the first call.
 * main.ts calls it before loading a command's modules (which takes a moment under tsx),
 * so a signal during start-up stops the command once it has started instead of killing
 * the process half-way; bin/k8ts.js covers the moments before main() runs (nothing has
 * started then: the process just exits 0).
 */
let state: { signal: AbortSignal; done: Promise<NodeJS.Signals> } | undefined;

/** The process's termination signal (installed on first call). */
export function terminationSignal(): { signal: AbortSignal; done: Promise<NodeJS.Signals> } {
  if (state) return state;
  const ac = new AbortController();
  const done = new Promise<NodeJS.Signals>((resolve) => {
    const on = (s: NodeJS.Signals) => { ac.abort(); resolve(s); };
    for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, on);
  });
  state = { signal: ac.signal, done };
  return state;
}

/** Removes bin/k8ts.js's start-up handlers (they exit 0); main() calls it first. */
export function releaseStartupSignalHandlers(): void {
  const h = (globalThis as { k8tsStartupSignalHandler?: () => void }).k8tsStartupSignalHandler;
  if (!h) return;
  process.off('SIGTERM', h);
  process.off('SIGINT', h);
}
