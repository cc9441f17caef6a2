/** LimitRange (core/v1): per-namespace defaults and bounds of resources; enforced by the LimitRanger admission plugin. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { limitRangePrinter } from '../../printers/core-printers.js';

/** v1 LimitRange as the code here reads it (the full shape is the wire contract's). */
export type LimitRange = KubeObject & Record<string, any>;

export const limitRangeDefinition = defineResource<LimitRange>({
  group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true, shortNames: ['limits'],
  printer: limitRangePrinter,
});
