/**
 * The controller manager (upstream cmd/kube-controller-manager): builds the chosen
 * controllers on a shared informer factory and runs them until the signal aborts.
 * The caller starts the factory after this registered its informers.
 */
import type { Client } from '../client/interface.js';
import type { SharedInformerFactory } from '../client/informers/types.js';
import { controllerFactories } from './registry.js';
import type { ResourceTable } from '../api/resource-table.js';
import { builtinResourceTable } from '../api/builtin-resources.js';
import type { WorkQueueMetricsProvider } from '../client/workqueue/metrics.js';
import { QueueController, type Controller } from './controller.js';
import type { SigningAuthority } from './certificates/signer.js';

export interface ControllerManagerOptions {
  client: Client;
  informers: SharedInformerFactory;
  signal: AbortSignal;
  /** Default: every registered controller. */
  controllers?: string[];
  /** Default 10.244.0.0/16. */
  clusterCIDR?: string;
  /** The kinds the garbage collector and namespace deletion walk (default: the built-in ones). */
  table?: ResourceTable;
  /** The cluster CA bundle (PEM) published as `kube-root-ca.crt` in every namespace. */
  rootCA: string;
  /** The CA the csrsigning controller signs approved CSRs with (absent: csrsigning does not run). */
  signingAuthority?: SigningAuthority;
  /** Workers per controller (default 5). */
  workers?: number;
  /**
   * Each controller's own client (service-account-clients.ts, upstream
   * --use-service-account-credentials); default: every controller uses `client`. The
   * shared informers always use `client`, as upstream's use the manager's identity.
   */
  clientFor?: (controller: string) => Promise<Client>;
  /** Where each controller's work queue reports workqueue_* metrics, labelled with the controller's name (default: none). */
  workqueueMetrics?: WorkQueueMetricsProvider;
}

export async function runControllerManager(opts: ControllerManagerOptions): Promise<void> {
  const names = opts.controllers ?? Object.keys(controllerFactories);
  const ctx = { client: opts.client, informers: opts.informers, clusterCIDR: opts.clusterCIDR ?? '10.244.0.0/16', table: opts.table ?? builtinResourceTable(), rootCA: opts.rootCA, signingAuthority: opts.signingAuthority };
  for (const n of names) if (!controllerFactories[n]) throw new Error(`unknown controller ${n}`);
  const clients = await Promise.all(names.map((n) => (opts.clientFor ? opts.clientFor(n) : opts.client)));
  const controllers = names.flatMap((n, i): Controller[] => {
    const c = controllerFactories[n]({ ...ctx, client: clients[i] });
    if (c && opts.workqueueMetrics && c instanceof QueueController) c.queue.setMetricsProvider(opts.workqueueMetrics, c.name);
    return c ? [c] : [];
  });
  await Promise.all(controllers.map((c) => c.run(opts.signal, opts.workers ?? 5)));
}
