/**
 * The FailedScheduling message (upstream framework/types.go FitError.Error and
 * preemption's message): `0/N nodes are available: <count> <reason>, ... .` with the
 * "<count> <reason>" strings sorted, then ` preemption: 0/N nodes are available: ...`.
 * When a PreFilter plugin rejected the pod, its reasons stand once in place of the
 * per-node counts (`0/N nodes are available: <reasons>.`; upstream Diagnosis.PreFilterMsg).
 * The part after the first sentence is the PostFilter's message (`postFilterMessage`,
 * e.g. DefaultPreemption's "preemption: ..."). When no PostFilter ran (a profile
 * without DefaultPreemption) it is computed as upstream's preemption words it when it
 * finds nothing: Unschedulable → "No preemption victims found for incoming pod",
 * UnschedulableAndUnresolvable → "Preemption is not helpful for scheduling".
 */
import type { Status } from './status.js';

/** Message when the cluster has no nodes at all (upstream ErrNoNodesAvailable). */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** Why a pod fits nowhere: per node name, the rejecting Status. */
export interface FitError {
  numAllNodes: number;
  nodeStatuses: Map<string, Status>;
  preFilterStatus?: Status;
  /** The PostFilter's message (upstream Diagnosis.PostFilterMsg); '' adds nothing. */
  postFilterMessage?: string;
}

const histogram = (counts: Map<string, number>): string => [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');

/**
 * `0/N nodes are available: <count> <reason>, ....` over per-node statuses, "<count>
 * <reason>" sorted (upstream FitError.Error without the PostFilter part).
 */
export function nodesAvailableMessage(numAllNodes: number, statuses: Iterable<Status>): string {
  const reasons = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  return `0/${numAllNodes} nodes are available${reasons.size ? ': ' + histogram(reasons) : ''}.`;
}

/** Formats a FitError as upstream does (see module doc). */
export function fitErrorMessage(e: FitError): string {
  if (e.numAllNodes === 0) return NO_NODES_AVAILABLE;
  // A PreFilter rejection is told once, not counted per node (upstream Diagnosis.PreFilterMsg).
  const preFilterHead = e.preFilterStatus ? `0/${e.numAllNodes} nodes are available: ${e.preFilterStatus.reasons.join(', ')}.` : undefined;
  if (e.postFilterMessage !== undefined) {
    const head = preFilterHead ?? nodesAvailableMessage(e.numAllNodes, e.nodeStatuses.values());
    return e.postFilterMessage ? `${head} ${e.postFilterMessage}` : head;
  }
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  const add = (m: Map<string, number>, r: string, n = 1): void => { m.set(r, (m.get(r) ?? 0) + n); };
  if (e.preFilterStatus) {
    add(preemption, 'Preemption is not helpful for scheduling', e.numAllNodes);
  } else {
    for (const s of e.nodeStatuses.values()) {
      for (const r of s.reasons) add(reasons, r);
      add(preemption, s.code === 'Unschedulable' ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling');
    }
  }
  const head = preFilterHead ?? `0/${e.numAllNodes} nodes are available${reasons.size ? ': ' + histogram(reasons) : ''}.`;
  return `${head} preemption: 0/${e.numAllNodes} nodes are available: ${histogram(preemption)}.`;
}
