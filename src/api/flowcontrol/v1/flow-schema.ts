/** FlowSchema (flowcontrol.apiserver.k8s.io/v1): classifies requests into priority levels (API Priority and Fairness). */
import { invalidValue } from '../../../machinery/field-errors.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { flowSchemaPrinter } from '../../printers/flowcontrol-printers.js';

/** flowcontrol.apiserver.k8s.io/v1 FlowSchema as the code here reads it (the full shape is the wire contract's). */
export type FlowSchema = KubeObject & Record<string, any>;

export const flowSchemaDefinition = defineResource<FlowSchema>({
  group: 'flowcontrol.apiserver.k8s.io', version: 'v1', kind: 'FlowSchema', plural: 'flowschemas', namespaced: false, subresources: ['status'],
  printer: flowSchemaPrinter,
  validate: (fs) => {
    const p = fs.spec?.matchingPrecedence;
    return p === undefined ? [] : p <= 0 ? [invalidValue('spec.matchingPrecedence', p, 'must be a positive value')] : p > 10000 ? [invalidValue('spec.matchingPrecedence', p, 'must not be greater than 10000')] : [];
  },
  defaults(fs) { fs.spec ??= {}; fs.spec.matchingPrecedence ??= 1000; },
});
