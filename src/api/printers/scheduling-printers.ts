/**
 * Table printer of scheduling.k8s.io/v1 PriorityClass, with upstream v1.32's columns
 * (pkg/printers/internalversion/printers.go: printPriorityClass). PREEMPTIONPOLICY is
 * a priority-0 column after AGE (the server always prints wide).
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

export const priorityClassPrinter: TablePrinter = {
  columns: [nameColumn, col('Value', 'integer'), col('Global-Default', 'boolean'), ageColumn, col('PreemptionPolicy')],
  cells(obj, now) {
    const pc = obj as AnyObject;
    return [pc.metadata.name, pc.value ?? 0, pc.globalDefault ?? false, age(pc, now), pc.preemptionPolicy ?? ''];
  },
};
