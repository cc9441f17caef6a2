/**
 * Which pods the scheduler cares about (upstream pkg/scheduler/eventhandlers.go
 * assignedPod / responsibleForPod).
 */
import type { Pod } from '../api/core/v1/pod-types.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** The pod has a node. */
export const isAssigned = (p: Pod): boolean => !!p.spec?.nodeName;

/** Succeeded or Failed: holds no node resources any more. */
export const isTerminalPod = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * A pod this scheduler is responsible for placing: no spec.nodeName, spec.schedulerName
 * equal to `schedulerName` (empty counts as default-scheduler), not being deleted, not
 * terminal. Whether it may enter the queue yet is the PreEnqueue plugins' call
 * (SchedulingGates: a gated pod waits outside the queue until its last gate is removed).
 */
export function needsScheduling(p: Pod, schedulerName: string): boolean {
  return !isAssigned(p) && (p.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === schedulerName
    && !p.metadata.deletionTimestamp && !isTerminalPod(p);
}
