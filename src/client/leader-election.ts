/**
 * Leader election on a coordination.k8s.io/v1 Lease (client-go tools/leaderelection
 * with the LeaseLock): a candidate takes the Lease when it is free or expired
 * (renewTime + leaseDurationSeconds in the past), renews it every `retryPeriodMs`, and
 * loses leadership when it could not renew within `renewDeadlineMs`. Writes use the
 * Lease's resourceVersion, so two candidates never both win.
 */
import { hostname } from 'node:os';
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Lease } from '../api/coordination/v1/types.js';
import { isAlreadyExists, isConflict, isNotFound } from '../machinery/errors.js';
import { microTime, sleepUntilAborted, onAbort } from '../machinery/time.js';
import { resources, type Client } from './interface.js';
import { createEventRecorder } from './events.js';

/**
 * Where leadership is reported (client-go leaderelection metrics.go's leaderMetricsAdapter;
 * e.g. the `leader_election_master_status{name}` gauge). `name` is the Lease's name.
 */
export interface LeaderElectionMetrics {
  leaderOn(name: string): void;
  leaderOff(name: string): void;
}

export interface LeaderElectionOptions {
  client: Client;
  /** Lease name, e.g. `kube-scheduler`. */
  name: string;
  /** Default kube-system. */
  namespace?: string;
  /** Default `<hostname>_<uuid>` as upstream components use. */
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  signal: AbortSignal;
  /** Told when this candidate starts and stops leading (it starts as a backup). */
  metrics?: LeaderElectionMetrics;
}

const sleep = sleepUntilAborted;

/**
 * Waits to become leader, then runs `lead(signal)`; the signal aborts when leadership is
 * lost or `opts.signal` aborts. After a loss of leadership it campaigns again (`lead`
 * must start from scratch, e.g. with new informers). When `opts.signal` aborts while
 * leading, the Lease is released and the promise resolves.
 */
export async function runWithLeaderElection(opts: LeaderElectionOptions, lead: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const namespace = opts.namespace ?? 'kube-system';
  const identity = opts.identity ?? `${hostname().toLowerCase()}_${randomUUID()}`;
  const duration = opts.leaseDurationMs ?? 15_000;
  const renewDeadline = opts.renewDeadlineMs ?? 10_000;
  const retry = opts.retryPeriodMs ?? 2_000;
  const leases = opts.client.resource<Lease>(resources.leases);
  const recorder = createEventRecorder(opts.client, { component: opts.name });

  /** One attempt to acquire or renew; true when we hold the Lease afterwards. */
  const tryAcquireOrRenew = async (): Promise<boolean> => {
    const now = microTime();
    let lease: Lease | undefined;
    try { lease = await leases.get(opts.name, { namespace }); } catch (err) { if (!isNotFound(err)) throw err; }
    const spec = { holderIdentity: identity, leaseDurationSeconds: Math.round(duration / 1000), renewTime: now };
    if (!lease) {
      try {
        const created = await leases.create<Lease>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: opts.name, namespace }, spec: { ...spec, acquireTime: now, leaseTransitions: 0 } });
        recorder.event(created, 'Normal', 'LeaderElection', `${identity} became leader`);
        return true;
      } catch (err) { if (isAlreadyExists(err)) return false; throw err; }
    }
    const s = lease.spec ?? {};
    const held = s.holderIdentity === identity;
    const expired = !s.holderIdentity || !s.renewTime || Date.parse(s.renewTime) + (s.leaseDurationSeconds ?? 15) * 1000 < Date.now();
    if (!held && !expired) return false;
    try {
      const updated = await leases.update({ ...lease, spec: { ...s, ...spec, acquireTime: held ? s.acquireTime : now, leaseTransitions: (s.leaseTransitions ?? 0) + (held ? 0 : 1) } });
      if (!held) recorder.event(updated, 'Normal', 'LeaderElection', `${identity} became leader`);
      return true;
    } catch (err) { if (isConflict(err)) return false; throw err; }
  };

  opts.metrics?.leaderOff(opts.name);
  while (!opts.signal.aborted) {
    // Campaign.
    let leading = false;
    while (!opts.signal.aborted && !leading) {
      leading = await tryAcquireOrRenew().catch(() => false);
      if (!leading) await sleep(retry, opts.signal);
    }
    if (opts.signal.aborted) return;
    console.error(`leader election: successfully acquired lease ${namespace}/${opts.name} as ${identity}`);
    opts.metrics?.leaderOn(opts.name);
    // Lead, renewing until a renewal fails past the deadline.
    const ac = new AbortController();
    setMaxListeners(0, ac.signal); // every informer and worker of the term listens on it
    const stop = (): void => ac.abort();
    onAbort(opts.signal, stop);
    const running = lead(ac.signal).finally(stop);
    let lastRenew = Date.now();
    while (!ac.signal.aborted) {
      await sleep(retry, ac.signal);
      if (ac.signal.aborted) break;
      const ok = await tryAcquireOrRenew().catch(() => false);
      if (ok) lastRenew = Date.now();
      else if (Date.now() - lastRenew > renewDeadline) { console.error(`leader election: lost lease ${namespace}/${opts.name}`); ac.abort(); }
    }
    opts.signal.removeEventListener('abort', stop);
    await running.catch(() => undefined);
    opts.metrics?.leaderOff(opts.name);
    if (opts.signal.aborted) { await release(); return; }
  }

  /** On a clean shutdown, hand the Lease back so a successor need not wait for it to expire (ReleaseOnCancel). */
  async function release(): Promise<void> {
    try {
      const lease = await leases.get(opts.name, { namespace });
      if (lease.spec?.holderIdentity !== identity) return;
      await leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() } });
    } catch { /* the next leader waits for expiry instead */ }
  }
}
