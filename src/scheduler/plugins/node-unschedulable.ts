/** NodeUnschedulable (upstream plugins/nodeunschedulable): cordoned nodes fit only pods tolerating the unschedulable taint. */
import { success, unschedulable, type FilterPlugin } from '../framework/interface.js';

export const nodeUnschedulable = (): FilterPlugin => ({
  name: 'NodeUnschedulable',
  filter(pod, n) {
    if (!n.node.spec?.unschedulable) return success();
    const tolerated = (pod.spec?.tolerations ?? []).some((t) => (t.key === 'node.kubernetes.io/unschedulable' || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoSchedule'));
    return tolerated ? success() : unschedulable("node(s) were unschedulable", true);
  },
});
