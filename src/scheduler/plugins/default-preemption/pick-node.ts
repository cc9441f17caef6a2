/**
 * Choosing the node to preempt on (upstream framework/preemption/preemption.go
 * pickOneNodeForPreemption and pkg/scheduler/util GetEarliestPodStartTime).
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import { podPriority, podStartTime } from './victims.js';

/** A node where preemption would let the pod fit, with its victims (most important first). */
export interface Candidate { nodeName: string; victims: Pod[]; numPDBViolations: number }

/** Upstream's offset making every priority non-negative in the sum (MaxInt32 + 1). */
const PRIORITY_OFFSET = 2 ** 31;

/**
 * The earliest start time among the victims of the highest priority (upstream
 * GetEarliestPodStartTime), in ms; undefined for no victims.
 */
export function earliestStartOfHighestPriority(victims: Pod[], now = Date.now()): number | undefined {
  if (!victims.length) return undefined;
  const top = Math.max(...victims.map(podPriority));
  return Math.min(...victims.filter((p) => podPriority(p) === top).map((p) => podStartTime(p, now)));
}

/**
 * The candidate to preempt on, undefined for none. Criteria in order, each keeping only
 * the best candidates, stopping when one is left: fewest PDB violations; lowest
 * highest-priority victim; lowest sum of victim priorities; fewest victims; latest
 * earliest-start-time among the highest-priority victims; then the first left.
 */
export function pickOneNodeForPreemption(candidates: Candidate[], now = Date.now()): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const scores: Array<(c: Candidate) => number> = [
    (c) => -c.numPDBViolations,
    (c) => (c.victims.length ? -Math.max(...c.victims.map(podPriority)) : Number.MAX_SAFE_INTEGER),
    (c) => -c.victims.reduce((sum, p) => sum + podPriority(p) + PRIORITY_OFFSET, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighestPriority(c.victims, now) ?? Number.MAX_SAFE_INTEGER,
  ];
  let left = candidates;
  for (const score of scores) {
    const values = left.map(score);
    const best = Math.max(...values);
    left = left.filter((_, i) => values[i] === best);
    if (left.length === 1) return left[0];
  }
  return left[0];
}
