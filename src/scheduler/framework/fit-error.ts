/**
 * The FailedScheduling message (upstream framework/types.go FitError.Error and
 * preemption's message): `0/N nodes are available: <count> <reason>, ... .` with the
 * "<count> <reason>" strings sorted, then ` preemption: 0/N nodes are available: ...`.
 * This scheduler has no preemption; rejected nodes are reported as upstream words
 * them when preemption finds nothing: Unschedulable → "No preemption victims found
 * for incoming pod", UnschedulableAndUnresolvable → "Preemption is not helpful for scheduling".
 */
import type { Status } from './status.js';

/** Message when the cluster has no nodes at all (upstream ErrNoNodesAvailable). */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** Why a pod fits nowhere: per node name, the rejecting Status. */
export interface FitError { numAllNodes: number; nodeStatuses: Map<string, Status>; preFilterStatus?: Status }

const histogram = (counts: Map<string, number>): string => [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');

/** Formats a FitError as upstream does (see module doc). */
export function fitErrorMessage(e: FitError): string {
  if (e.numAllNodes === 0) return NO_NODES_AVAILABLE;
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  const add = (m: Map<string, number>, r: string, n = 1): void => { m.set(r, (m.get(r) ?? 0) + n); };
  if (e.preFilterStatus) {
    for (const r of e.preFilterStatus.reasons) add(reasons, r, e.numAllNodes);
    add(preemption, 'Preemption is not helpful for scheduling', e.numAllNodes);
  } else {
    for (const s of e.nodeStatuses.values()) {
      for (const r of s.reasons) add(reasons, r);
      add(preemption, s.code === 'Unschedulable' ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling');
    }
  }
  const head = `0/${e.numAllNodes} nodes are available${reasons.size ? ': ' + histogram(reasons) : ''}.`;
  return `${head} preemption: 0/${e.numAllNodes} nodes are available: ${histogram(preemption)}.`;
}
