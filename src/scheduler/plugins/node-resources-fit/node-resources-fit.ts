/**
 * NodeResourcesFit (upstream plugins/noderesources/fit.go, least_allocated.go):
 * PreFilter computes the pod's effective requests (max of init containers vs sum of app
 * containers, plus overhead); Filter requires them to fit node.status.allocatable minus
 * the requests of the node's non-terminal pods, and one more pod to fit `pods`
 * (reasons `Too many pods`, `Insufficient <resource>`; Unschedulable, since preemption
 * could free room). Score follows the args' scoringStrategy (least_allocated.go,
 * most_allocated.go, requested_to_capacity_ratio.go): LeastAllocated over cpu and memory
 * with equal weights by default, with upstream's defaults (100m, 200Mi) for containers
 * that request nothing.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, success, unschedulable, type FilterPlugin, type NodeInfo, type PreFilterPlugin, type ScorePlugin } from '../../framework/interface.js';
import { nonZeroRequests, podRequests, type Resources } from '../../framework/resources.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';
const STATE_KEY = 'PreFilterNodeResourcesFit';

/** Reasons the pod does not fit the node (empty when it fits). `req`: the pod's requests, or their positive entries. Pure. */
export function insufficientResources(req: Resources | Array<[string, number]>, n: NodeInfo): string[] {
  const alloc = n.allocatable;
  let reasons: string[] | undefined;
  if (alloc.pods !== undefined && n.pods.length + 1 > alloc.pods) (reasons ??= []).push('Too many pods');
  const entries = Array.isArray(req) ? req : Object.entries(req);
  for (let i = 0; i < entries.length; i++) {
    const k = entries[i][0];
    const v = entries[i][1];
    if (v <= 0) continue;
    if ((n.requested[k] ?? 0) + v > (alloc[k] ?? 0) + 1e-9) (reasons ??= []).push(`Insufficient ${k}`);
  }
  return reasons ?? NONE;
}
const NONE: string[] = [];

/** Upstream leastRequestedScore: (allocatable - requested) * 100 / allocatable, 0 when over or unknown. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return ((capacity - requested) * MAX_NODE_SCORE) / capacity;
}

/** The pod's positive requests, computed once per cycle in PreFilter. */
const requestsOf = (state: CycleState, pod: Pod): Array<[string, number]> => state.read<Array<[string, number]>>(STATE_KEY) ?? positive(podRequests(pod));
const positive = (r: Resources): Array<[string, number]> => Object.entries(r).filter(([, v]) => v > 0);

/** NodeResourcesFitArgs.scoringStrategy (upstream config types): how Score ranks nodes. */
export interface ScoringStrategy {
  type: 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
  /** Resources and their weights (default cpu 1, memory 1). */
  resources: Array<{ name: string; weight: number }>;
  /** RequestedToCapacityRatio's shape: utilization 0–100 → score 0–10, increasing utilization. */
  shape?: Array<{ utilization: number; score: number }>;
}

const DEFAULT_STRATEGY: ScoringStrategy = { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] };

/**
 * Reads NodeResourcesFitArgs (`scoringStrategy: {type, resources, requestedToCapacityRatio:
 * {shape}}`); absent args give LeastAllocated over cpu and memory. Throws Error naming the
 * field for a bad value.
 */
export function scoringStrategyOf(args: unknown): ScoringStrategy {
  const a = (args ?? {}) as { scoringStrategy?: { type?: string; resources?: Array<{ name?: string; weight?: number }>; requestedToCapacityRatio?: { shape?: Array<{ utilization?: number; score?: number }> } } };
  const s = a.scoringStrategy;
  if (!s) return DEFAULT_STRATEGY;
  const type = (s.type ?? 'LeastAllocated') as ScoringStrategy['type'];
  if (!['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'].includes(type)) throw new Error(`scoringStrategy.type: Unsupported value: ${JSON.stringify(type)}: supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"`);
  const resources = (s.resources ?? DEFAULT_STRATEGY.resources).map((r, i) => {
    if (!r.name) throw new Error(`scoringStrategy.resources[${i}].name: Required value`);
    const weight = r.weight ?? 1;
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) throw new Error(`scoringStrategy.resources[${i}].weight: Invalid value: ${weight}: resource weight of ${r.name} not in valid range [1, 100]`);
    return { name: r.name, weight };
  });
  let shape: ScoringStrategy['shape'];
  if (type === 'RequestedToCapacityRatio') {
    shape = (s.requestedToCapacityRatio?.shape ?? []).map((p, i) => {
      const u = p.utilization ?? 0;
      const sc = p.score ?? 0;
      if (!Number.isInteger(u) || u < 0 || u > 100) throw new Error(`scoringStrategy.requestedToCapacityRatio.shape[${i}].utilization: Invalid value: ${u}: not in valid range [0, 100]`);
      if (!Number.isInteger(sc) || sc < 0 || sc > 10) throw new Error(`scoringStrategy.requestedToCapacityRatio.shape[${i}].score: Invalid value: ${sc}: not in valid range [0, 10]`);
      return { utilization: u, score: sc };
    });
    if (!shape.length) throw new Error('scoringStrategy.requestedToCapacityRatio.shape: Required value: at least one point must be specified');
    for (let i = 1; i < shape.length; i++) if (shape[i].utilization <= shape[i - 1].utilization) throw new Error(`scoringStrategy.requestedToCapacityRatio.shape[${i}].utilization: Invalid value: ${shape[i].utilization}: utilization values must be sorted in increasing order`);
  }
  return { type, resources, ...(shape ? { shape } : {}) };
}

/** Upstream mostRequestedScore: requested * 100 / capacity (requested capped at capacity), 0 when capacity is 0. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity <= 0) return 0;
  return (Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity;
}

/** Upstream's piecewise-linear shape (scores scaled to 0–100) at `utilization` (0–100). */
export function shapeScore(shape: NonNullable<ScoringStrategy['shape']>, utilization: number): number {
  const scaled = shape.map((p) => ({ u: p.utilization, s: (p.score * MAX_NODE_SCORE) / 10 }));
  if (utilization <= scaled[0].u) return scaled[0].s;
  for (let i = 1; i < scaled.length; i++) {
    if (utilization <= scaled[i].u) return scaled[i - 1].s + ((scaled[i].s - scaled[i - 1].s) * (utilization - scaled[i - 1].u)) / (scaled[i].u - scaled[i - 1].u);
  }
  return scaled[scaled.length - 1].s;
}

/**
 * One node's score under `strategy` (upstream resourceAllocationScorer): per resource, the
 * strategy's score of (requested with the pod, allocatable) — cpu in millicores, the
 * non-zero defaults for cpu and memory — weighted; resources the node does not offer
 * are left out; whole numbers as upstream's integer arithmetic gives them.
 */
export function allocationScore(strategy: ScoringStrategy, pod: Pod, n: NodeInfo): number {
  let total = 0;
  let weights = 0;
  const own = nonZeroRequests(pod);
  const resources = strategy.resources;
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    const allocRaw = n.allocatable[r.name] ?? 0;
    if (!allocRaw) continue;
    const milli = r.name === 'cpu' ? 1000 : 1;
    const alloc = Math.round(allocRaw * milli);
    const reqRaw = r.name === 'cpu' ? own.cpu + n.nonZeroRequested.cpu
      : r.name === 'memory' ? own.memory + n.nonZeroRequested.memory
        : (n.requested[r.name] ?? 0) + (podRequests(pod)[r.name] ?? 0);
    const req = Math.round(reqRaw * milli);
    let s: number;
    if (strategy.type === 'MostAllocated') s = Math.floor(mostRequestedScore(req, alloc));
    else if (strategy.type === 'RequestedToCapacityRatio') s = Math.floor(shapeScore(strategy.shape!, req > alloc ? 100 : Math.floor((req * 100) / alloc)));
    else s = Math.floor(leastRequestedScore(req, alloc));
    total += s * r.weight;
    weights += r.weight;
  }
  return weights ? Math.floor(total / weights) : 0;
}

/** Factory of the NodeResourcesFit plugin (PreFilter, Filter, Score); `args`: NodeResourcesFitArgs. */
export const nodeResourcesFit = (_handle?: unknown, args?: unknown): PreFilterPlugin & FilterPlugin & ScorePlugin => {
  const strategy = scoringStrategyOf(args);
  return {
    name: NODE_RESOURCES_FIT,
    preFilter(state, pod) {
      state.write(STATE_KEY, positive(podRequests(pod)));
      return success();
    },
    filter(state, pod, n) {
      const reasons = insufficientResources(requestsOf(state, pod), n);
      return reasons.length ? unschedulable(reasons) : success();
    },
    score(_state, pod, n) {
      return allocationScore(strategy, pod, n);
    },
  };
};
