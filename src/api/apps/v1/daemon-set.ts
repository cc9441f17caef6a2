/** DaemonSet (apps/v1; pkg/registry/apps/daemonset): RollingUpdate by default (maxUnavailable 1, maxSurge 0); the selector must match the template and is immutable. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { daemonSetPrinter } from '../../printers/apps-printers.js';
import { defaultPodSpec } from '../../core/v1/pod.js';
import { selectorImmutable, validateWorkloadTemplate } from '../../validation-helpers.js';

/** apps/v1 DaemonSet as the code here reads it (the full shape is the wire contract's). */
export type DaemonSet = KubeObject & Record<string, any>;

export const daemonSetDefinition = defineResource<DaemonSet>({
  group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'],
  printer: daemonSetPrinter,
  defaults(ds) {
    ds.spec ??= {};
    ds.spec.updateStrategy ??= { type: 'RollingUpdate' };
    if (ds.spec.updateStrategy.type === 'RollingUpdate') ds.spec.updateStrategy.rollingUpdate = { maxUnavailable: 1, maxSurge: 0, ...ds.spec.updateStrategy.rollingUpdate };
    ds.spec.revisionHistoryLimit ??= 10;
    if (ds.spec.template?.spec) defaultPodSpec(ds.spec.template.spec);
  },
  validate: (ds) => validateWorkloadTemplate(ds.spec),
  validateUpdate: (ds, old) => selectorImmutable(ds.spec?.selector, old.spec?.selector),
  strategy: { tracksGeneration: true },
});
