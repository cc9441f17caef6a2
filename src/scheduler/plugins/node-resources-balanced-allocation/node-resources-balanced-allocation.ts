/**
 * NodeResourcesBalancedAllocation (upstream plugins/noderesources/balanced_allocation.go):
 * prefers nodes whose cpu and memory utilization, with the pod placed, stay close to each
 * other: score = (1 - standard deviation of the fractions) * 100, fractions capped at 1.
 */
import { MAX_NODE_SCORE, type ScorePlugin } from '../../framework/interface.js';
import { podRequests } from '../../framework/resources.js';

export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

/** The balanced-allocation score of fractions (each requested/allocatable). Pure. */
export function balancedScore(fractions: number[]): number {
  if (fractions.length === 0) return MAX_NODE_SCORE;
  const f = fractions.map((x) => Math.min(1, x));
  const mean = f.reduce((a, b) => a + b, 0) / f.length;
  const std = Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length);
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

/** Factory of the NodeResourcesBalancedAllocation plugin (Score). */
export const nodeResourcesBalancedAllocation = (): ScorePlugin => ({
  name: NODE_RESOURCES_BALANCED_ALLOCATION,
  score(_state, pod, n) {
    // balancedScore over the cpu and memory fractions, without building the array (once per node per pod).
    const alloc = n.allocatable;
    const req = podRequests(pod);
    const cpu = alloc.cpu ? Math.min(1, ((n.requested.cpu ?? 0) + (req.cpu ?? 0)) / alloc.cpu) : -1;
    const memory = alloc.memory ? Math.min(1, ((n.requested.memory ?? 0) + (req.memory ?? 0)) / alloc.memory) : -1;
    if (cpu < 0 || memory < 0) return MAX_NODE_SCORE; // one fraction or none: no deviation
    const std = Math.abs(cpu - memory) / 2;
    return Math.floor((1 - std) * MAX_NODE_SCORE);
  },
});
