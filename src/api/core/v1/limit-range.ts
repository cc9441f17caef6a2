/** LimitRange (core/v1): per-namespace defaults and bounds of resources; enforced by the LimitRanger admission plugin. */
import { invalidValue } from '../../../machinery/field-errors.js';
import { isQuantity, parseQuantity } from '../../../machinery/quantity.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { limitRangePrinter } from '../../printers/core-printers.js';

/** v1 LimitRange as the code here reads it (the full shape is the wire contract's). */
export type LimitRange = KubeObject & Record<string, any>;

export const limitRangeDefinition = defineResource<LimitRange>({
  group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true, shortNames: ['limits'],
  printer: limitRangePrinter,
  validate: (lr) => ((lr.spec?.limits ?? []) as Array<Record<string, Record<string, string | number> | undefined>>).flatMap((l, i) =>
    Object.entries(l.default ?? {}).flatMap(([res, v]) => {
      const max = l.max?.[res];
      return max !== undefined && isQuantity(v) && isQuantity(max) && parseQuantity(v) > parseQuantity(max)
        ? [invalidValue(`spec.limits[${i}].default[${res}]`, String(v), `default value ${v} is greater than max value ${max}`)] : [];
    })),
});
