/**
 * PriorityClass validation (upstream pkg/apis/scheduling/validation): values above
 * 1,000,000,000 are reserved to the system classes, whose names start with `system-`.
 */
import { type FieldError, forbiddenField, invalidValue, notSupported } from '../../../machinery/field-errors.js';

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** The two classes upstream creates at start (system-cluster-critical, system-node-critical). */
export const SYSTEM_PRIORITY_CLASSES = [
  { name: 'system-node-critical', value: 2_000_001_000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: 2_000_000_000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

interface PriorityClassLike { metadata: { name?: string }; value?: number; preemptionPolicy?: string }

export function validatePriorityClass(pc: PriorityClassLike): FieldError[] {
  const errs: FieldError[] = [];
  const name = pc.metadata.name ?? '';
  const system = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (name.startsWith('system-') && !system) errs.push(forbiddenField('metadata.name', `priority class names with 'system-' prefix are reserved for system use only.`));
  if (system && pc.value !== system.value) errs.push(invalidValue('value', pc.value ?? 0, `value of system priority class ${name} must be ${system.value}`));
  if (!system && (pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) errs.push(forbiddenField('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  if (pc.preemptionPolicy && !['PreemptLowerPriority', 'Never'].includes(pc.preemptionPolicy)) errs.push(notSupported('preemptionPolicy', pc.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  return errs;
}
