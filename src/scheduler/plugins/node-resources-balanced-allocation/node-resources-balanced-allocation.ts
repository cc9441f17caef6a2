/**
 * NodeResourcesBalancedAllocation (upstream plugins/noderesources/balanced_allocation.go):
 * prefers nodes whose cpu and memory utilization, with the pod placed, stay close to each
 * other: score = (1 - standard deviation of the fractions) * 100, fractions capped at 1.
 */
import { MAX_NODE_SCORE, type ScorePlugin } from '../../framework/interface.js';
import { podRequests } from '../../framework/resources.js';

export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

/**
 * The balanced-allocation score of the cpu and memory fractions (requested/allocatable,
 * each capped at 1; undefined when the node has none of it): (1 − their standard
 * deviation) × 100, floored; with fewer than two fractions there is no deviation (100). Pure.
 */
export function balancedScore(cpu: number | undefined, memory: number | undefined): number {
  if (cpu === undefined || memory === undefined) return MAX_NODE_SCORE;
  // The standard deviation of two values is half their distance.
  const std = Math.abs(Math.min(1, cpu) - Math.min(1, memory)) / 2;
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

/** Factory of the NodeResourcesBalancedAllocation plugin (Score; allocates nothing per node). */
export const nodeResourcesBalancedAllocation = (): ScorePlugin => ({
  name: NODE_RESOURCES_BALANCED_ALLOCATION,
  score(_state, pod, n) {
    const alloc = n.allocatable;
    const req = podRequests(pod);
    return balancedScore(
      alloc.cpu ? ((n.requested.cpu ?? 0) + (req.cpu ?? 0)) / alloc.cpu : undefined,
      alloc.memory ? ((n.requested.memory ?? 0) + (req.memory ?? 0)) / alloc.memory : undefined,
    );
  },
});
