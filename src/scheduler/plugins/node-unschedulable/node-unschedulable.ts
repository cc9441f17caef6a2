/**
 * NodeUnschedulable (upstream plugins/nodeunschedulable): a cordoned node
 * (spec.unschedulable) fits only pods tolerating the `node.kubernetes.io/unschedulable`
 * NoSchedule taint.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import { success, unschedulable, type FilterPlugin } from '../../framework/interface.js';
import { tolerates } from '../taint-toleration/taint-toleration.js';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const cordonTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** True when the pod tolerates the cordon taint. */
export const toleratesCordon = (pod: Pod): boolean => (pod.spec?.tolerations ?? []).some((t) => tolerates(t, cordonTaint));

/** Factory of the NodeUnschedulable plugin (Filter; UnschedulableAndUnresolvable). */
export const nodeUnschedulable = (): FilterPlugin => ({
  name: NODE_UNSCHEDULABLE,
  filter: (_state, pod, n) => (!n.node.spec?.unschedulable || toleratesCordon(pod) ? success() : unschedulable(ERR_REASON_UNSCHEDULABLE, true)),
});
