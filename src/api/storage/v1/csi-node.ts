/** CSINode (storage.k8s.io/v1): the CSI drivers installed on a node. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { csiNodePrinter } from '../../printers/storage-printers.js';

/** storage.k8s.io/v1 CSINode as the code here reads it (the full shape is the wire contract's). */
export type CSINode = KubeObject & Record<string, any>;

export const cSINodeDefinition = defineResource<CSINode>({
  group: 'storage.k8s.io', version: 'v1', kind: 'CSINode', plural: 'csinodes', namespaced: false,
  printer: csiNodePrinter,
});
