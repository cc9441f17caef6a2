/**
 * The scheduler's metrics (upstream pkg/scheduler/metrics/metrics.go; names, help, labels
 * and buckets follow it), one prom-client registry per scheduler instance — shared by
 * its profiles, which the `profile` label tells apart:
 *   scheduler_schedule_attempts_total{result,profile}              counter; result is
 *     scheduled | unschedulable | error;
 *   scheduler_scheduling_attempt_duration_seconds{result,profile}   histogram, from the
 *     pop to the end of the attempt (scheduling algorithm + binding), 1 ms × 2^0..14;
 *   scheduler_pending_pods{queue}                                   gauge, read from the
 *     queues at scrape time: active | backoff | unschedulable | gated;
 *   scheduler_preemption_attempts_total                             counter, PostFilter runs;
 *   scheduler_preemption_victims                                    histogram, 1 × 2^0..6;
 *   scheduler_pod_scheduling_attempts                               histogram, attempts a
 *     pod needed until bound, 1 × 2^0..4;
 *   scheduler_framework_extension_point_duration_seconds{extension_point,status,profile}
 *     histogram of a whole extension point (all its plugins), 0.1 ms × 2^0..11 — for
 *     PreFilter, Score, PostFilter, Reserve, Permit, PreBind and Bind (as upstream, not
 *     for Filter, which runs per node);
 * plus prom-client's process_* and nodejs_* default metrics.
 */
import client from 'prom-client';
import type { Framework } from './framework/framework.js';
import type { Status } from './framework/status.js';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

/** What the pending-pods gauge reads from one scheduling queue (SchedulingQueue.stats() fits). */
export interface PendingPodsSource {
  stats(): { active: number; backoff: number; unschedulable: number };
}

export interface SchedulerMetrics {
  readonly registry: client.Registry;
  /** One attempt of `profile` ended with `result` after `seconds`. */
  scheduleAttempt(result: AttemptResult, profile: string, seconds: number): void;
  /** A pod was bound after `attempts` attempts. */
  podScheduled(attempts: number): void;
  /** PostFilter ran for an unschedulable pod. */
  preemptionAttempt(): void;
  /** A preemption picked `victims` pods. */
  preemptionVictims(victims: number): void;
  /** An extension point of `profile` took `seconds` and ended with `status` (a Status code). */
  extensionPoint(point: string, status: string, profile: string, seconds: number): void;
  /**
   * Counts `queue` (and `gated()`, pods held by scheduling gates) in scheduler_pending_pods
   * from now on; returns the function that stops it.
   */
  addQueue(queue: PendingPodsSource, gated?: () => number): () => void;
  /** The Prometheus text exposition of every metric. */
  text(): Promise<string>;
  readonly contentType: string;
}

const exponential = (start: number, factor: number, count: number): number[] => Array.from({ length: count }, (_, i) => start * factor ** i);

/** A new set of scheduler metrics on its own registry (`defaultMetrics`: process metrics too, default true). */
export function createSchedulerMetrics(opts: { defaultMetrics?: boolean } = {}): SchedulerMetrics {
  const registry = new client.Registry();
  if (opts.defaultMetrics ?? true) client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const attempts = new client.Counter({ name: 'scheduler_schedule_attempts_total', help: "[STABLE] Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.", labelNames: ['result', 'profile'], registers });
  const attemptDuration = new client.Histogram({ name: 'scheduler_scheduling_attempt_duration_seconds', help: '[STABLE] Scheduling attempt latency in seconds (scheduling algorithm + binding)', labelNames: ['result', 'profile'], buckets: exponential(0.001, 2, 15), registers });
  const sources = new Set<{ queue: PendingPodsSource; gated?: () => number }>();
  new client.Gauge({
    name: 'scheduler_pending_pods', labelNames: ['queue'], registers,
    help: "[STABLE] Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
    collect() {
      const n = { active: 0, backoff: 0, unschedulable: 0, gated: 0 };
      for (const s of sources) {
        const st = s.queue.stats();
        n.active += st.active; n.backoff += st.backoff; n.unschedulable += st.unschedulable;
        n.gated += s.gated?.() ?? 0;
      }
      for (const [queue, v] of Object.entries(n)) this.set({ queue }, v);
    },
  });
  const preemptionAttempts = new client.Counter({ name: 'scheduler_preemption_attempts_total', help: '[STABLE] Total preemption attempts in the cluster till now', registers });
  const victims = new client.Histogram({ name: 'scheduler_preemption_victims', help: '[STABLE] Number of selected preemption victims', buckets: exponential(1, 2, 7), registers });
  const podAttempts = new client.Histogram({ name: 'scheduler_pod_scheduling_attempts', help: '[STABLE] Number of attempts to successfully schedule a pod.', buckets: exponential(1, 2, 5), registers });
  const extensionPoint = new client.Histogram({ name: 'scheduler_framework_extension_point_duration_seconds', help: '[STABLE] Latency for running all plugins of a specific extension point.', labelNames: ['extension_point', 'status', 'profile'], buckets: exponential(0.0001, 2, 12), registers });
  return {
    registry, contentType: registry.contentType,
    scheduleAttempt(result, profile, seconds) {
      attempts.inc({ result, profile });
      attemptDuration.observe({ result, profile }, seconds);
    },
    podScheduled: (n) => podAttempts.observe(n),
    preemptionAttempt: () => preemptionAttempts.inc(),
    preemptionVictims: (n) => victims.observe(n),
    extensionPoint: (extension_point, status, profile, seconds) => extensionPoint.observe({ extension_point, status, profile }, seconds),
    addQueue(queue, gated) {
      const s = { queue, gated };
      sources.add(s);
      return () => { sources.delete(s); };
    },
    text: () => registry.metrics(),
  };
}

const seconds = (t0: number): number => (performance.now() - t0) / 1000;

/**
 * Times `fw`'s once-per-attempt extension points into `metrics` under `profile`, by
 * wrapping the instance's methods (two clock reads per call; Filter, run per node, is
 * left alone). PreFilter's undefined (nothing rejected) counts as Success; a thrown
 * Score is Error (and rethrown).
 */
export function instrumentFramework(fw: Framework, metrics: SchedulerMetrics, profile: string): void {
  const code = (s: Status | undefined): string => s?.code ?? 'Success';
  const preFilter = fw.runPreFilter.bind(fw);
  fw.runPreFilter = (state, pod) => {
    const t0 = performance.now();
    const s = preFilter(state, pod);
    metrics.extensionPoint('PreFilter', code(s), profile, seconds(t0));
    return s;
  };
  const score = fw.runScore.bind(fw);
  fw.runScore = (state, pod, nodes) => {
    const t0 = performance.now();
    let status = 'Error';
    try { const r = score(state, pod, nodes); status = 'Success'; return r; } finally { metrics.extensionPoint('Score', status, profile, seconds(t0)); }
  };
  const reserve = fw.runReserve.bind(fw);
  fw.runReserve = (state, pod, node) => { const t0 = performance.now(); const s = reserve(state, pod, node); metrics.extensionPoint('Reserve', code(s), profile, seconds(t0)); return s; };
  const permit = fw.runPermit.bind(fw);
  fw.runPermit = (state, pod, node) => { const t0 = performance.now(); const s = permit(state, pod, node); metrics.extensionPoint('Permit', code(s), profile, seconds(t0)); return s; };
  const postFilter = fw.runPostFilter.bind(fw);
  fw.runPostFilter = async (state, pod, fitError) => { const t0 = performance.now(); const o = await postFilter(state, pod, fitError); metrics.extensionPoint('PostFilter', code(o.status), profile, seconds(t0)); return o; };
  const preBind = fw.runPreBind.bind(fw);
  fw.runPreBind = async (state, pod, node) => { const t0 = performance.now(); const s = await preBind(state, pod, node); metrics.extensionPoint('PreBind', code(s), profile, seconds(t0)); return s; };
  const bind = fw.runBind.bind(fw);
  fw.runBind = async (state, pod, node) => { const t0 = performance.now(); const s = await bind(state, pod, node); metrics.extensionPoint('Bind', code(s), profile, seconds(t0)); return s; };
}
