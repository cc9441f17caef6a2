/**
 * What a failed attempt leaves on the pod (upstream schedule_one.go handleSchedulingFailure
 * and updatePod): a FailedScheduling Warning event with the message, and the condition
 * PodScheduled=False (reason Unschedulable, or SchedulerError for faults) set through a
 * strategic merge patch of pods/{name}/status — only when the condition changes, so
 * retries do not churn the pod. After a preemption the same patch sets
 * status.nominatedNodeName to the node the pod now waits for (upstream's
 * NominatingInfo with mode Override).
 */
import type { Pod, PodCondition } from '../api/core/v1/pod-types.js';
import { resources, type Client } from '../client/interface.js';
import type { EventsV1Recorder } from '../client/event-broadcaster.js';
import { isNotFound } from '../machinery/errors.js';
import { rfc3339 } from '../machinery/time.js';

export type FailureReason = 'Unschedulable' | 'SchedulerError';

/** The PodScheduled condition to set, or undefined when the pod already carries it (ignoring times). */
export function podScheduledCondition(pod: Pod, reason: FailureReason, message: string, now = new Date()): PodCondition | undefined {
  const cur = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (cur && cur.status === 'False' && cur.reason === reason && cur.message === message) return undefined;
  const transition = cur && cur.status === 'False' ? cur.lastTransitionTime : rfc3339(now);
  return { type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null, lastTransitionTime: transition } as PodCondition;
}

/**
 * Records the event and patches the condition (and `nominatedNodeName` when given and
 * different from the pod's; '' removes it); API failures are logged, never thrown.
 */
export async function recordSchedulingFailure(client: Client, recorder: EventsV1Recorder, pod: Pod, reason: FailureReason, message: string, nominatedNodeName?: string): Promise<void> {
  recorder.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', message);
  const condition = podScheduledCondition(pod, reason, message);
  const nominate = nominatedNodeName !== undefined && nominatedNodeName !== (pod.status?.nominatedNodeName ?? '');
  if (!condition && !nominate) return;
  const status: Record<string, unknown> = {};
  if (condition) status.conditions = [condition];
  if (nominate) status.nominatedNodeName = nominatedNodeName || null; // '' clears it
  try {
    await client.resource(resources.pods).patch(pod.metadata.name!, { status }, 'application/strategic-merge-patch+json',
      { namespace: pod.metadata.namespace, subresource: 'status' });
  } catch (err) {
    if (!isNotFound(err)) console.error(`scheduler: updating PodScheduled of ${pod.metadata.namespace}/${pod.metadata.name}: ${(err as Error).message}`);
  }
}
