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
  validate: (pdb) => [
    ...(pdb.spec?.minAvailable !== undefined && pdb.spec?.maxUnavailable !== undefined ? [invalidValue('spec', pdb.spec, 'minAvailable and maxUnavailable cannot be both set')] : []),
    ...(['minAvailable', 'maxUnavailable'] as const).flatMap((f) => {
      const v = pdb.spec?.[f];
      if (typeof v === 'number') return v < 0 ? [invalidValue(`spec.${f}`, v, 'must be greater than or equal to 0')] : [];
      if (typeof v === 'string' && /^\d+%$/.test(v)) return parseInt(v, 10) > 100 ? [invalidValue(`spec.${f}`, v, 'must not be greater than 100%')] : [];
      return v === undefined ? [] : [invalidValue(`spec.${f}`, v, 'a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')')];
    }),
  ],
  strategy: { tracksGeneration: true },
});
