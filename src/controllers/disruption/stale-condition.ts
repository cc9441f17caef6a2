/**
 * Clean-up of stale DisruptionTarget pod conditions (upstream
 * pkg/controller/disruption/disruption.go: syncStalePodDisruption,
 * nonTerminatingPodHasStaleDisruptionCondition): a pod marked for disruption
 * (DisruptionTarget=True) that is still not being deleted 2 minutes after the condition
 * was set gets the condition set to False. Conditions set by the kubelet
 * (TerminationByKubelet) and those of terminal pods are never stale.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';

/** How long (ms) a DisruptionTarget condition may stand on a pod not being deleted. */
export const STALE_DISRUPTION_TIMEOUT_MS = 2 * 60_000;

/**
 * Whether the pod carries a DisruptionTarget condition that is or will become stale,
 * and in how many ms (0: stale now). `{ stale: false }` when there is nothing to clean.
 */
export function staleDisruption(pod: Pod, now: number): { stale: false } | { stale: true; inMs: number } {
  if (pod.metadata.deletionTimestamp) return { stale: false };
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return { stale: false };
  const c = (pod.status?.conditions ?? []).find((x) => x.type === 'DisruptionTarget');
  if (!c || c.status !== 'True' || c.reason === 'TerminationByKubelet') return { stale: false };
  const since = Date.parse(c.lastTransitionTime ?? '') || 0;
  return { stale: true, inMs: Math.max(0, since + STALE_DISRUPTION_TIMEOUT_MS - now) };
}
