/** PriorityClass (scheduling.k8s.io/v1; pkg/apis/scheduling/validation): value and preemptionPolicy are immutable; values above one billion are reserved for the system classes. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { priorityClassPrinter } from '../../printers/scheduling-printers.js';
import { forbiddenField } from '../../../machinery/field-errors.js';
import { validatePriorityClass } from './priority-class-validation.js';

/** scheduling.k8s.io/v1 PriorityClass as the code here reads it (the full shape is the wire contract's). */
export type PriorityClass = KubeObject & Record<string, any>;

export const priorityClassDefinition = defineResource<PriorityClass>({
  group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false, shortNames: ['pc'],
  printer: priorityClassPrinter,
  defaults(pc) { pc.preemptionPolicy ??= 'PreemptLowerPriority'; },
  validate: (pc) => validatePriorityClass(pc),
  validateUpdate: (pc, old) => [
    ...(pc.value !== old.value ? [forbiddenField('value', 'may not be changed in an update.')] : []),
    ...(pc.preemptionPolicy !== old.preemptionPolicy ? [forbiddenField('preemptionPolicy', 'may not be changed in an update.')] : []),
  ],
});
