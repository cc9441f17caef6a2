/** ResourceQuota (core/v1): per-namespace limits of aggregate use; usage is kept in status by the quota controller. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { resourceQuotaPrinter } from '../../printers/core-printers.js';

/** v1 ResourceQuota as the code here reads it (the full shape is the wire contract's). */
export type ResourceQuota = KubeObject & Record<string, any>;

export const resourceQuotaDefinition = defineResource<ResourceQuota>({
  group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true, shortNames: ['quota'], subresources: ['status'],
  printer: resourceQuotaPrinter,
});
