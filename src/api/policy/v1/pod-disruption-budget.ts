/** PodDisruptionBudget (policy/v1; pkg/registry/policy/poddisruptionbudget): at most one of minAvailable and maxUnavailable. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { podDisruptionBudgetPrinter } from '../../printers/policy-printers.js';
import { invalidValue } from '../../../machinery/field-errors.js';

/** policy/v1 PodDisruptionBudget as the code here reads it (the full shape is the wire contract's). */
export type PodDisruptionBudget = KubeObject & Record<string, any>;

export const podDisruptionBudgetDefinition = defineResource<PodDisruptionBudget>({
  group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true, shortNames: ['pdb'], subresources: ['status'],
  printer: podDisruptionBudgetPrinter,
  validate: (pdb) => (pdb.spec?.minAvailable !== undefined && pdb.spec?.maxUnavailable !== undefined
    ? [invalidValue('spec', pdb.spec, 'minAvailable and maxUnavailable cannot be both set')] : []),
  strategy: { tracksGeneration: true },
});
