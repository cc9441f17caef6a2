/** CSINode (storage.k8s.io/v1): the CSI drivers installed on a node. */
import { duplicate, required } from '../../../machinery/field-errors.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { csiNodePrinter } from '../../printers/storage-printers.js';

/** storage.k8s.io/v1 CSINode as the code here reads it (the full shape is the wire contract's). */
export type CSINode = KubeObject & Record<string, any>;

export const cSINodeDefinition = defineResource<CSINode>({
  group: 'storage.k8s.io', version: 'v1', kind: 'CSINode', plural: 'csinodes', namespaced: false,
  validate(n) {
    const seen = new Set<string>();
    return ((n.spec?.drivers ?? []) as Array<{ name?: string }>).flatMap((d, i) => {
      if (!d.name) return [required(`spec.drivers[${i}].name`)];
      if (seen.has(d.name)) return [duplicate(`spec.drivers[${i}].name`, d.name)];
      seen.add(d.name);
      return [];
    });
  },
  printer: csiNodePrinter,
});
