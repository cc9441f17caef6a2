/**
 * NodeResourcesFit (upstream plugins/noderesources/fit.go, least_allocated.go):
 * PreFilter computes the pod's effective requests (max of init containers vs sum of app
 * containers, plus overhead); Filter requires them to fit node.status.allocatable minus
 * the requests of the node's non-terminal pods, and one more pod to fit `pods`
 * (reasons `Too many pods`, `Insufficient <resource>`; Unschedulable, since preemption
 * could free room). Score is LeastAllocated over cpu and memory (equal weights), with
 * upstream's defaults (100m, 200Mi) for containers that request nothing.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE, success, unschedulable, type FilterPlugin, type NodeInfo, type PreFilterPlugin, type ScorePlugin } from '../framework/interface.js';
import { nonZeroRequests, podRequests, type Resources } from '../framework/resources.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';
const STATE_KEY = 'PreFilterNodeResourcesFit';

/** Reasons the pod does not fit the node (empty when it fits). `req`: the pod's requests, or their positive entries. Pure. */
export function insufficientResources(req: Resources | Array<[string, number]>, n: NodeInfo): string[] {
  const alloc = n.allocatable;
  let reasons: string[] | undefined;
  if (alloc.pods !== undefined && n.pods.length + 1 > alloc.pods) (reasons ??= []).push('Too many pods');
  for (const [k, v] of Array.isArray(req) ? req : Object.entries(req)) {
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

/** Sum of scoring requests (cpu cores, memory bytes) of the node's pods plus `pod`. */
export function nonZeroRequestedWith(pod: Pod, n: NodeInfo): { cpu: number; memory: number } {
  const own = nonZeroRequests(pod);
  return { cpu: own.cpu + n.nonZeroRequested.cpu, memory: own.memory + n.nonZeroRequested.memory };
}

/** The pod's positive requests, computed once per cycle in PreFilter. */
const requestsOf = (state: CycleState, pod: Pod): Array<[string, number]> => state.read<Array<[string, number]>>(STATE_KEY) ?? positive(podRequests(pod));
const positive = (r: Resources): Array<[string, number]> => Object.entries(r).filter(([, v]) => v > 0);

/** Factory of the NodeResourcesFit plugin (PreFilter, Filter, Score). */
export const nodeResourcesFit = (): PreFilterPlugin & FilterPlugin & ScorePlugin => ({
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
    const alloc = n.allocatable;
    const req = nonZeroRequestedWith(pod, n);
    return Math.floor((leastRequestedScore(req.cpu, alloc.cpu ?? 0) + leastRequestedScore(req.memory, alloc.memory ?? 0)) / 2);
  },
});
