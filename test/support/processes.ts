/**
 * k8ts component processes for multi-process tests (HA): each started with
 * `k8ts <args…>`, its stdout and stderr kept in memory (`out`) so a test can read what it
 * logged — e.g. the leader election identity it acquired a Lease as.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './kubectl.js';

export interface Proc { child: ChildProcess; out: string; name: string }

/** Starts `k8ts <args…>` as `name`. */
export function startProc(name: string, args: string[]): Proc {
  const child = spawn(process.execPath, [join(REPO, 'bin/k8ts.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, out: '', name };
  child.stdout!.on('data', (d) => { p.out += d; });
  child.stderr!.on('data', (d) => { p.out += d; });
  return p;
}

export const alive = (p: Proc): boolean => p.child.exitCode === null && p.child.signalCode === null;

/** Sends `signal` (default SIGTERM) and waits for the exit, SIGKILL after 10 s. No-op when it already exited. */
export async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!alive(p)) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill(signal);
  const t = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

/** The identity `p` last logged acquiring kube-system/<lease> as, if any. */
export const acquired = (p: Proc, lease: string): string | undefined => [...p.out.matchAll(new RegExp(`successfully acquired lease kube-system/${lease} as (\\S+)`, 'g'))].pop()?.[1];
