/**
 * kube-scheduler as one unit: its metrics, secure port, leader election and the
 * scheduler loops (scheduler/scheduler.ts). `k8ts scheduler` runs it in its own
 * process; `k8ts server` runs it in a component thread (component-thread.ts), so its
 * options are plain data.
 */
import { createClient, type ClientConfig } from '../client/rest-client.js';
import { runScheduler, runSchedulerWithConfiguration } from '../scheduler/scheduler.js';
import { loadSchedulerConfiguration } from '../scheduler/config.js';
import { defaultProfile, pluginRegistry } from '../scheduler/plugins/registry.js';
import { createSchedulerMetrics } from '../scheduler/metrics.js';
import { createLeaderElectionMetrics } from './component-metrics-server.js';
import { runElectedComponent, type LeaderElectionTiming, type SecurePortOptions } from './elected-component.js';
import type { ComponentThreadContext } from './component-thread-runtime.js';

/** Options of {@link runSchedulerComponent} (structured-clonable). */
export interface SchedulerComponentOptions {
  /** How to reach the API server, with the scheduler's credentials. */
  client: ClientConfig;
  /** A KubeSchedulerConfiguration file; read here (the caller may have checked it before). */
  configPath?: string;
  secure?: SecurePortOptions;
  leaderElection?: LeaderElectionTiming;
}

/** Runs the scheduler until `ctx.signal` aborts. Throws a bad configuration file's error, or a required secure port's listen error. */
export async function runSchedulerComponent(o: SchedulerComponentOptions, ctx: ComponentThreadContext): Promise<void> {
  const config = o.configPath ? loadSchedulerConfiguration(o.configPath, defaultProfile, pluginRegistry) : undefined;
  const client = createClient(o.client);
  const metrics = createSchedulerMetrics();
  await runElectedComponent({
    name: 'scheduler', lease: 'kube-scheduler', client, registry: metrics.registry, leaderMetrics: createLeaderElectionMetrics(metrics.registry),
    secure: o.secure, leaderElection: o.leaderElection,
    lead: (informers, signal) => (config ? runSchedulerWithConfiguration({ client, informers, signal, metrics }, config) : runScheduler({ client, informers, signal, metrics })),
  }, ctx);
}
