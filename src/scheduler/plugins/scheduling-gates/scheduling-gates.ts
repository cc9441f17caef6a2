/**
 * SchedulingGates (upstream pkg/scheduler/framework/plugins/schedulinggates; KEP-3521
 * Pod Scheduling Readiness): the PreEnqueue plugin of the default profile. A pod with
 * `spec.schedulingGates` stays out of the scheduling queue — counted as pending "gated"
 * — until its last gate is removed; the API server has set its PodScheduled condition
 * to False/SchedulingGated at creation.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import { success, unschedulable, type PreEnqueuePlugin } from '../../framework/interface.js';

export const SCHEDULING_GATES = 'SchedulingGates';

/** Factory of the SchedulingGates plugin (PreEnqueue): UnschedulableAndUnresolvable "waiting for scheduling gates: [a b]" while gates remain. */
export const schedulingGates = (): PreEnqueuePlugin => ({
  name: SCHEDULING_GATES,
  preEnqueue(pod: Pod) {
    const gates = pod.spec?.schedulingGates ?? [];
    if (!gates.length) return success();
    // Go's %v of a []string.
    return unschedulable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`, true);
  },
});
