/**
 * kube-controller-manager as one unit: its metrics, secure port, leader election and
 * every controller (controllers/manager.ts). `k8ts controller-manager` runs it in its
 * own process; `k8ts server` runs it in a component thread (component-thread.ts), so
 * its options are plain data.
 */
import { createClient, type ClientConfig } from '../client/rest-client.js';
import { runControllerManager } from '../controllers/manager.js';
import type { SigningAuthority } from '../controllers/certificates/signer.js';
import { serviceAccountClients } from '../controllers/service-account-clients.js';
import { createControllerManagerMetrics } from './component-metrics-server.js';
import { runElectedComponent, type LeaderElectionTiming, type SecurePortOptions } from './elected-component.js';
import type { ComponentThreadContext } from './component-thread-runtime.js';

/** Options of {@link runControllerManagerComponent} (structured-clonable). */
export interface ControllerManagerComponentOptions {
  /** How to reach the API server, with the manager's credentials. */
  client: ClientConfig;
  clusterCIDR: string;
  /** The cluster CA bundle (PEM), published as kube-root-ca.crt. */
  rootCA: string;
  /** The CA csrsigning signs with; absent: csrsigning does not run. */
  signingAuthority?: SigningAuthority;
  /**
   * Each controller as its own ServiceAccount (upstream --use-service-account-credentials):
   * the server and CA its clients use (their tokens are requested by the manager).
   */
  serviceAccountCredentials?: ClientConfig;
  secure?: SecurePortOptions;
  leaderElection?: LeaderElectionTiming;
}

/** Runs the controller manager until `ctx.signal` aborts. Throws a required secure port's listen error. */
export async function runControllerManagerComponent(o: ControllerManagerComponentOptions, ctx: ComponentThreadContext): Promise<void> {
  const client = createClient(o.client);
  const metrics = createControllerManagerMetrics();
  const clientFor = o.serviceAccountCredentials ? serviceAccountClients({ root: client, base: o.serviceAccountCredentials, signal: ctx.signal, log: ctx.log }) : undefined;
  await runElectedComponent({
    name: 'controller-manager', lease: 'kube-controller-manager', client, registry: metrics.registry, leaderMetrics: metrics.leaderElection,
    secure: o.secure, leaderElection: o.leaderElection,
    lead: (informers, signal) => runControllerManager({ client, informers, signal, clusterCIDR: o.clusterCIDR, rootCA: o.rootCA, signingAuthority: o.signingAuthority, workqueueMetrics: metrics.workqueue, ...(clientFor ? { clientFor } : {}) }),
  }, ctx);
}
