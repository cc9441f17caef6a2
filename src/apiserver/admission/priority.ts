/**
 * Priority (upstream plugin/pkg/admission/priority): a new pod's priorityClassName is
 * resolved to its PriorityClass — the pod gets the class's value and preemptionPolicy;
 * a class that does not exist is a 403. Without a class the pod gets priority 0 and
 * preemptionPolicy PreemptLowerPriority (k8ts has no global-default class lookup yet).
 */
import type { KubeObject } from '../../api/object.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { forbidden } from '../../machinery/errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';
import { isPodCreate } from './pod-create.js';

/** `lookupPriorityClass(name)` gives the stored PriorityClass or undefined. */
export const priorityAdmission = (lookupPriorityClass: (name: string) => Promise<KubeObject | undefined>): AdmissionPlugin => ({
  name: 'Priority',
  async admit(a: AdmissionAttributes) {
    if (!isPodCreate(a)) return;
    const spec = ((a.object as Pod).spec ??= {});
    if (spec.priorityClassName) {
      const pc = await lookupPriorityClass(spec.priorityClassName) as (KubeObject & { value?: number; preemptionPolicy?: string }) | undefined;
      if (!pc) throw forbidden(`pods "${a.name}" is forbidden: no PriorityClass with name ${spec.priorityClassName} was found`, { group: '', resource: 'pods', name: a.name });
      spec.priority = pc.value ?? 0;
      spec.preemptionPolicy ??= pc.preemptionPolicy ?? 'PreemptLowerPriority';
      return;
    }
    spec.priority ??= 0;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
  },
});
