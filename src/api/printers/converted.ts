/** A printer of another version: prints a served version's object after converting it (upstream prints the internal version). */
import type { KubeObject } from '../object.js';
import type { TablePrinter } from './table.js';

export function printConverted<T extends KubeObject>(printer: TablePrinter, convert: (obj: T) => KubeObject): TablePrinter {
  return { columns: printer.columns, cells: (obj, now) => printer.cells(convert(obj as T), now) };
}
