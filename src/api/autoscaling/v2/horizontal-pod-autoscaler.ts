/** HorizontalPodAutoscaler (autoscaling/v2; pkg/registry/autoscaling/horizontalpodautoscaler): minReplicas 1 and an 80 % CPU target by default. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { horizontalPodAutoscalerPrinter } from '../../printers/autoscaling-printers.js';
import { invalidValue, required } from '../../../machinery/field-errors.js';

/** autoscaling/v2 HorizontalPodAutoscaler as the code here reads it (the full shape is the wire contract's). */
export type HorizontalPodAutoscaler = KubeObject & Record<string, any>;

export const horizontalPodAutoscalerDefinition = defineResource<HorizontalPodAutoscaler>({
  group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, shortNames: ['hpa'], categories: ['all'], subresources: ['status'],
  printer: horizontalPodAutoscalerPrinter,
  defaults(hpa) {
    hpa.spec ??= {};
    hpa.spec.minReplicas ??= 1;
    if (!hpa.spec.metrics || hpa.spec.metrics.length === 0) hpa.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  },
  validate: (hpa) => [
    ...(hpa.spec?.scaleTargetRef?.kind && hpa.spec.scaleTargetRef.name ? [] : [required('spec.scaleTargetRef')]),
    ...((hpa.spec?.maxReplicas ?? 0) < 1 ? [invalidValue('spec.maxReplicas', hpa.spec?.maxReplicas ?? 0, 'must be greater than or equal to 1')] : []),
    ...((hpa.spec?.minReplicas ?? 1) > (hpa.spec?.maxReplicas ?? 0) ? [invalidValue('spec.maxReplicas', hpa.spec?.maxReplicas ?? 0, 'must be greater than or equal to `minReplicas`')] : []),
  ],
});
