/** RuntimeClass (node.k8s.io/v1): a container runtime configuration; the handler is required and immutable. */
import { isDNS1123Label } from '../../../machinery/validation.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { runtimeClassPrinter } from '../../printers/node-printers.js';
import { invalidValue, required } from '../../../machinery/field-errors.js';

/** node.k8s.io/v1 RuntimeClass as the code here reads it (the full shape is the wire contract's). */
export type RuntimeClass = KubeObject & Record<string, any>;

export const runtimeClassDefinition = defineResource<RuntimeClass>({
  group: 'node.k8s.io', version: 'v1', kind: 'RuntimeClass', plural: 'runtimeclasses', namespaced: false,
  printer: runtimeClassPrinter,
  validate: (rc) => (!rc.handler ? [required('handler')] : isDNS1123Label(rc.handler).map((m) => invalidValue('handler', rc.handler, m))),
  validateUpdate: (rc, old) => (rc.handler !== old.handler ? [invalidValue('handler', rc.handler ?? '', 'field is immutable')] : []),
});
