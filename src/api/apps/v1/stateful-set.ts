/** StatefulSet (apps/v1; pkg/registry/apps/statefulset): OrderedReady, RollingUpdate with partition 0, PVC retention Retain by default. */
import { invalidValue } from '../../../machinery/field-errors.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { statefulSetPrinter } from '../../printers/apps-printers.js';
import { defaultPodSpec } from '../../core/v1/pod.js';
import { nonNegative, selectorImmutable, validateWorkloadTemplate } from '../../validation-helpers.js';

/** apps/v1 StatefulSet as the code here reads it (the full shape is the wire contract's). */
export type StatefulSet = KubeObject & Record<string, any>;

export const statefulSetDefinition = defineResource<StatefulSet>({
  group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['status', 'scale'],
  printer: statefulSetPrinter,
  defaults(sts) {
    sts.spec ??= {};
    sts.spec.replicas ??= 1;
    sts.spec.podManagementPolicy ??= 'OrderedReady';
    sts.spec.updateStrategy ??= { type: 'RollingUpdate' };
    if (sts.spec.updateStrategy.type === 'RollingUpdate') sts.spec.updateStrategy.rollingUpdate = { partition: 0, ...sts.spec.updateStrategy.rollingUpdate };
    sts.spec.revisionHistoryLimit ??= 10;
    sts.spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
    if (sts.spec.template?.spec) defaultPodSpec(sts.spec.template.spec);
  },
  validate: (sts) => [
    ...nonNegative('spec.replicas', sts.spec?.replicas),
    ...(sts.spec?.podManagementPolicy && !['OrderedReady', 'Parallel'].includes(sts.spec.podManagementPolicy)
      ? [invalidValue('spec.podManagementPolicy', sts.spec.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'")] : []),
    ...validateWorkloadTemplate(sts.spec, ((sts.spec?.volumeClaimTemplates ?? []) as Array<{ metadata?: { name?: string } }>).map((t) => t.metadata?.name ?? '')),
  ],
  validateUpdate: (sts, old) => selectorImmutable(sts.spec?.selector, old.spec?.selector),
  strategy: { tracksGeneration: true },
});
