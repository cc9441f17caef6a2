/**
 * The replica calculation of resource metrics as pure functions (upstream
 * pkg/controller/podautoscaler/replica_calculator.go and metrics/utilization.go):
 * pods are grouped into ready, unready (Pending; for cpu also not-yet-ready or
 * still initializing), missing (no metric) and ignored (deleting or Failed); the usage
 * ratio of the ready pods against the target decides, with a tolerance (default 0.1)
 * around 1.0 inside which the replica count stays; missing pods count as at the target
 * (scale down) or at zero (scale up), unready pods as zero when scaling up, and a
 * rebalanced ratio that changes direction keeps the current count.
 * Errors are thrown as Error with upstream's messages.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { milliValue } from '../../machinery/quantity.js';
import type { PodMetricsInfo } from './types.js';

export const DEFAULT_TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period: 5 min. */
export const DEFAULT_CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay: 30 s. */
export const DEFAULT_INITIAL_READINESS_DELAY_MS = 30_000;

export interface CalculatorOptions {
  tolerance?: number;
  cpuInitializationPeriodMs?: number;
  delayOfInitialReadinessStatusMs?: number;
  /** ms since epoch; default Date.now(). */
  now?: number;
}

export interface PodGroups { readyPodCount: number; unready: Set<string>; missing: Set<string>; ignored: Set<string> }

/** Sorts pods as upstream's groupPods does (see module doc); `resource` 'cpu' adds the readiness rules. */
export function groupPods(pods: Pod[], metrics: PodMetricsInfo, resource: string, opts: CalculatorOptions = {}): PodGroups {
  const now = opts.now ?? Date.now();
  const initPeriod = opts.cpuInitializationPeriodMs ?? DEFAULT_CPU_INITIALIZATION_PERIOD_MS;
  const readinessDelay = opts.delayOfInitialReadinessStatusMs ?? DEFAULT_INITIAL_READINESS_DELAY_MS;
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') { g.ignored.add(name); continue; }
    if (pod.status?.phase === 'Pending') { g.unready.add(name); continue; }
    const metric = metrics.get(name);
    if (!metric) { g.missing.add(name); continue; }
    if (resource === 'cpu') {
      const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
      const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
      let unready: boolean;
      if (!ready || Number.isNaN(start)) unready = true;
      else {
        const transition = Date.parse(ready.lastTransitionTime ?? '') || 0;
        if (start + initPeriod > now) unready = ready.status === 'False' || metric.timestamp < transition + metric.windowMs;
        else unready = ready.status === 'False' && start + readinessDelay > transition;
      }
      if (unready) { g.unready.add(name); continue; }
    }
    g.readyPodCount++;
  }
  return g;
}

/**
 * Each pod's request of `resource` in milli-units, summed over its containers (and
 * restartable init containers), or only `container` when given. Throws
 * `missing request for <resource> in container <c> of Pod <pod>`.
 */
export function calculatePodRequests(pods: Pod[], container: string, resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => (c as { restartPolicy?: string }).restartPolicy === 'Always')];
    for (const c of containers) {
      if (container && container !== c.name) continue;
      const req = (c.resources?.requests as Record<string, string | number> | undefined)?.[resource];
      if (req === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += milliValue(req);
    }
    out.set(pod.metadata.name!, sum);
  }
  return out;
}

/**
 * Utilization of `metrics` against `requests` (pods without a request are skipped):
 * `utilization` the whole percentage of request, `ratio` utilization / target,
 * `rawAverage` the mean usage (milli-units). Throws `no metrics returned matched known pods`.
 */
export function resourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number): { ratio: number; utilization: number; rawAverage: number } {
  let total = 0, requested = 0, n = 0;
  for (const [name, m] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    total += m.value; requested += r; n++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((total * 100) / requested);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(total / n) };
}

const removeAll = (m: PodMetricsInfo, names: Set<string>): void => { for (const n of names) m.delete(n); };
const within = (ratio: number, tolerance: number): boolean => Math.abs(1 - ratio) <= tolerance;

/** The outcome of one metric: the proposed count plus what the status reports. */
export interface ResourceReplicas { replicas: number; utilization?: number; rawAverage: number; timestamp: number }

/**
 * The common start of both calculations: the tolerance, a copy of the metrics without the
 * ignored and unready pods, and the pods' grouping. Throws when no pod matches or none
 * has usable metrics (upstream's messages).
 */
function usableMetrics(pods: Pod[], metricsIn: PodMetricsInfo, resource: string, opts: CalculatorOptions): { tolerance: number; metrics: PodMetricsInfo; g: ReturnType<typeof groupPods> } {
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics: PodMetricsInfo = new Map(metricsIn);
  const g = groupPods(pods, metrics, resource, opts);
  removeAll(metrics, g.ignored);
  removeAll(metrics, g.unready);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  return { tolerance, metrics, g };
}

/**
 * Replicas for a Utilization target (upstream GetResourceReplicas): `metrics` are the
 * pods' usage (milli-units; not changed), `pods` those the selector matches. Throws
 * `no pods returned by selector while calculating replica count`, `did not receive
 * metrics for targeted pods (pods might be unready)`, the request errors above.
 */
export function resourceReplicas(currentReplicas: number, targetUtilization: number, resource: string, container: string, pods: Pod[], metricsIn: PodMetricsInfo, timestamp: number, opts: CalculatorOptions = {}): ResourceReplicas {
  const { tolerance, metrics, g } = usableMetrics(pods, metricsIn, resource, opts);
  const requests = calculatePodRequests(pods, container, resource);
  const { ratio, utilization, rawAverage } = resourceUtilizationRatio(metrics, requests, targetUtilization);
  const result = (replicas: number): ResourceReplicas => ({ replicas, utilization, rawAverage, timestamp });
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    return result(within(ratio, tolerance) ? currentReplicas : Math.ceil(ratio * g.readyPodCount));
  }
  if (g.missing.size > 0) {
    if (ratio < 1) {
      const fallback = Math.max(100, targetUtilization);
      for (const n of g.missing) metrics.set(n, { timestamp, windowMs: 0, value: Math.trunc(((requests.get(n) ?? 0) * fallback) / 100) });
    } else if (ratio > 1) {
      for (const n of g.missing) metrics.set(n, { timestamp, windowMs: 0, value: 0 });
    }
  }
  if (scaleUpWithUnready) for (const n of g.unready) metrics.set(n, { timestamp, windowMs: 0, value: 0 });
  const next = resourceUtilizationRatio(metrics, requests, targetUtilization).ratio;
  return result(rebalanced(currentReplicas, ratio, next, metrics.size, tolerance));
}

/** The rebalanced proposal: current when within tolerance, when the direction flips, or when the count would move against the ratio. */
function rebalanced(current: number, ratio: number, next: number, count: number, tolerance: number): number {
  if (within(next, tolerance) || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return current;
  const replicas = Math.ceil(next * count);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return current;
  return replicas;
}

/**
 * Replicas for an AverageValue target (upstream GetRawResourceReplicas /
 * calcPlainMetricReplicas): `targetUsage` in milli-units; the usage is the mean over pods
 * with metrics; missing pods count as the target (scale down) or zero (scale up).
 * Throws as {@link resourceReplicas}.
 */
export function rawResourceReplicas(currentReplicas: number, targetUsage: number, resource: string, pods: Pod[], metricsIn: PodMetricsInfo, timestamp: number, opts: CalculatorOptions = {}): ResourceReplicas {
  const { tolerance, metrics, g } = usableMetrics(pods, metricsIn, resource, opts);
  const usage = (m: PodMetricsInfo): { ratio: number; average: number } => {
    let total = 0;
    for (const v of m.values()) total += v.value;
    const average = Math.trunc(total / m.size);
    return { ratio: average / targetUsage, average };
  };
  const { ratio, average } = usage(metrics);
  const result = (replicas: number): ResourceReplicas => ({ replicas, rawAverage: average, timestamp });
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    return result(within(ratio, tolerance) ? currentReplicas : Math.ceil(ratio * g.readyPodCount));
  }
  if (g.missing.size > 0) {
    for (const n of g.missing) metrics.set(n, { timestamp, windowMs: 0, value: ratio < 1 ? targetUsage : 0 });
  }
  if (scaleUpWithUnready) for (const n of g.unready) metrics.set(n, { timestamp, windowMs: 0, value: 0 });
  return result(rebalanced(currentReplicas, ratio, usage(metrics).ratio, metrics.size, tolerance));
}

/**
 * Upstream getReadyPodsCount: the pods that are Running and Ready. Throws `no pods
 * returned by selector while calculating replica count` when `pods` is empty.
 */
export function readyPodsCount(pods: Pod[]): number {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  return pods.filter((p) => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

/**
 * Replicas for a usage ratio of a whole-target metric (upstream getUsageRatioReplicaCount,
 * Object and External metrics with a Value target): the current count within the
 * tolerance, else ceil(ratio × ready pods); from zero replicas, ceil(ratio). Throws as
 * {@link readyPodsCount}.
 */
export function usageRatioReplicas(currentReplicas: number, ratio: number, pods: Pod[], opts: CalculatorOptions = {}): number {
  if (currentReplicas === 0) return Math.ceil(ratio);
  if (within(ratio, opts.tolerance ?? DEFAULT_TOLERANCE)) return currentReplicas;
  return Math.ceil(ratio * readyPodsCount(pods));
}

/**
 * Replicas for an AverageValue target of an Object or External metric (upstream
 * GetObjectPerPodMetricReplicas, GetExternalPerPodMetricReplicas): `usage` (milli-units,
 * the whole) over `statusReplicas` pods against `targetPerPod`; the count changes to
 * ceil(usage / target) only outside the tolerance. `usage` returned is per pod, rounded up.
 */
export function perPodReplicas(statusReplicas: number, usage: number, targetPerPod: number, opts: CalculatorOptions = {}): { replicas: number; usage: number } {
  const ratio = usage / (targetPerPod * statusReplicas);
  const replicas = within(ratio, opts.tolerance ?? DEFAULT_TOLERANCE) ? statusReplicas : Math.ceil(usage / targetPerPod);
  return { replicas, usage: statusReplicas ? Math.ceil(usage / statusReplicas) : usage };
}
