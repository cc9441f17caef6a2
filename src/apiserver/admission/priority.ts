/**
 * Priority (upstream plugin/pkg/admission/priority), the part k8ts has until
 * PriorityClasses are served: a new pod without a priority class gets priority 0 and
 * preemptionPolicy PreemptLowerPriority.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';
import { isPodCreate } from './pod-create.js';

export const priorityAdmission = (): AdmissionPlugin => ({
  name: 'Priority',
  admit(a: AdmissionAttributes) {
    if (!isPodCreate(a)) return;
    const spec = ((a.object as Pod).spec ??= {});
    spec.priority ??= 0;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
  },
});
