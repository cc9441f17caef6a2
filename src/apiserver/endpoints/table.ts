/**
 * meta.k8s.io/v1 Table responses (upstream endpoints/handlers/response.go), chosen by
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (negotiate.ts): a list, an
 * object or a watch event's object as rows of the resource's printer.
 */
import type { KubeObject } from '../../api/object.js';
import type { TablePrinter } from '../../api/printers/table.js';

/** Builds the Table with `printer`'s columns; `includeObject` None | Metadata (default) | Object. */
export function toTable(printer: TablePrinter, objects: KubeObject[], resourceVersion: string | undefined, includeObject = 'Metadata', noHeaders = false, extra: { continue?: string; remainingItemCount?: number } = {}): KubeObject {
  const now = Date.now();
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion, ...extra } as KubeObject['metadata'],
    columnDefinitions: noHeaders ? [] : printer.columns,
    rows: objects.map((o) => ({
      cells: printer.cells(o, now),
      object: includeObject === 'None' ? undefined : includeObject === 'Object' ? o
        : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
