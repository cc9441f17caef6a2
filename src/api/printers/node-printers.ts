/**
 * Table printer of node.k8s.io/v1 RuntimeClass, with upstream v1.32's columns
 * (pkg/printers/internalversion/printers.go: printRuntimeClass).
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

export const runtimeClassPrinter: TablePrinter = {
  columns: [nameColumn, col('Handler'), ageColumn],
  cells: (obj, now) => [obj.metadata.name, (obj as AnyObject).handler ?? '', age(obj, now)],
};
