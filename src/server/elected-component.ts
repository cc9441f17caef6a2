/**
 * What the scheduler and the controller manager share, whether they run as their own
 * process (`k8ts scheduler`, `k8ts controller-manager`) or in a thread of `k8ts server`:
 * the secure port (/metrics, /healthz), leader election on a Lease in kube-system, and
 * a fresh set of shared informers for each term of leadership (upstream
 * cmd/kube-scheduler and cmd/kube-controller-manager app.Run).
 */
import type client from 'prom-client';
import type { Client } from '../client/interface.js';
import type { SharedInformerFactory } from '../client/informers/types.js';
import { createSharedInformerFactory } from '../client/informers/shared-informer-factory.js';
import { runWithLeaderElection, type LeaderElectionMetrics } from '../client/leader-election.js';
import { startComponentMetricsServer } from './component-metrics-server.js';
import type { ComponentThreadContext } from './component-thread-runtime.js';

/** The secure port of a component: where it listens and its TLS material (PEM). */
export interface SecurePortOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  tls: { certPem: string; keyPem: string; caPem: string };
  /** When true a port that cannot be had fails the component; otherwise it is logged and the component runs without it (as in `k8ts server`). */
  required?: boolean;
}

/** Leader election timing in ms (upstream --leader-elect-lease-duration/-renew-deadline/-retry-period: 15 s, 10 s, 2 s). */
export interface LeaderElectionTiming {
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

/** Options of {@link runElectedComponent}. */
export interface ElectedComponentOptions {
  /** `scheduler` or `controller-manager`: the name in the start-up line. */
  name: string;
  /** The Lease in kube-system, e.g. `kube-scheduler`. */
  lease: string;
  client: Client;
  registry: client.Registry;
  leaderMetrics: LeaderElectionMetrics;
  secure?: SecurePortOptions;
  leaderElection?: LeaderElectionTiming;
  /** The component's work while leading: runs on `informers` (started after it is called) until `leading` aborts. */
  lead(informers: SharedInformerFactory, leading: AbortSignal): Promise<void>;
}

/**
 * Serves the secure port, then takes part in leader election until `ctx.signal`
 * aborts; logs `<name> running (leader election on kube-system/<lease>[; metrics at …])`
 * once started. Rejects when a required secure port cannot be listened on.
 */
export async function runElectedComponent(o: ElectedComponentOptions, ctx: ComponentThreadContext): Promise<void> {
  const secure = o.secure?.port ? await startComponentMetricsServer({ registry: o.registry, host: o.secure.host, port: o.secure.port, tls: o.secure.tls })
    .catch((err: Error) => {
      if (o.secure?.required) throw err;
      ctx.log(`${o.lease}: secure port ${o.secure!.port} not served: ${err.message}`);
      return undefined;
    }) : undefined;
  try {
    const running = runWithLeaderElection({ client: o.client, name: o.lease, signal: ctx.signal, metrics: o.leaderMetrics, leaseDurationMs: o.leaderElection?.leaseDurationMs, renewDeadlineMs: o.leaderElection?.renewDeadlineMs, retryPeriodMs: o.leaderElection?.retryPeriodMs }, async (leading) => {
      const informers = createSharedInformerFactory(o.client);
      const work = o.lead(informers, leading);
      informers.start(leading);
      await work;
    });
    ctx.log(`${o.name} running (leader election on kube-system/${o.lease}${secure ? `; metrics at https://${o.secure!.host}:${secure.port}/metrics` : ''})`);
    await running;
  } finally {
    await secure?.close();
  }
}
