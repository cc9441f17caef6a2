/**
 * PrioritySort (upstream pkg/scheduler/framework/plugins/queuesort): the QueueSort
 * plugin of the default profile. activeQ pops the pod of the highest `spec.priority`
 * first; among equal priorities, the one queued earliest.
 */
import type { QueuedPodRef, QueueSortPlugin } from '../../framework/interface.js';

export const PRIORITY_SORT = 'PrioritySort';

/** True when `a` goes before `b`: higher priority, then the earlier timestamp (ms). */
export function prioritySortLess(a: QueuedPodRef, b: QueuedPodRef): boolean {
  const pa = a.pod.spec?.priority ?? 0;
  const pb = b.pod.spec?.priority ?? 0;
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

/** Factory of the PrioritySort plugin (QueueSort). */
export const prioritySort = (): QueueSortPlugin => ({ name: PRIORITY_SORT, less: prioritySortLess });
