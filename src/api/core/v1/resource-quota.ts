/** ResourceQuota (core/v1): per-namespace limits of aggregate use; usage is kept in status by the quota controller. */
import { invalidValue } from '../../../machinery/field-errors.js';
import { isQuantity, parseQuantity } from '../../../machinery/quantity.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { resourceQuotaPrinter } from '../../printers/core-printers.js';

/** v1 ResourceQuota as the code here reads it (the full shape is the wire contract's). */
export type ResourceQuota = KubeObject & Record<string, any>;

export const resourceQuotaDefinition = defineResource<ResourceQuota>({
  group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true, shortNames: ['quota'], subresources: ['status'],
  validate: (rq) => Object.entries((rq.spec?.hard ?? {}) as Record<string, string | number>).flatMap(([k, v]) =>
    (!isQuantity(v) ? [invalidValue(`spec.hard[${k}]`, String(v), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]
      : parseQuantity(v) < 0 ? [invalidValue(`spec.hard[${k}]`, String(v), 'must be greater than or equal to 0')] : [])),
  printer: resourceQuotaPrinter,
});
