/**
 * Table printer of policy/v1 PodDisruptionBudget, with upstream v1.32's columns
 * (pkg/printers/internalversion/printers.go: printPodDisruptionBudget): the unset one
 * of MIN AVAILABLE / MAX UNAVAILABLE prints N/A.
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

const intOrString = (v: unknown): string => (v === undefined || v === null ? 'N/A' : String(v));

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameColumn, col('Min Available', 'string', 0, '', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 0, '', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 0, '', 'Calculated number of pods that may be disrupted at this time.'), ageColumn,
  ],
  cells(obj, now) {
    const pdb = obj as AnyObject;
    return [pdb.metadata.name, intOrString(pdb.spec?.minAvailable), intOrString(pdb.spec?.maxUnavailable), pdb.status?.disruptionsAllowed ?? 0, age(pdb, now)];
  },
};
