/** PersistentVolumeClaim (core/v1; pkg/registry/core/persistentvolumeclaim): status starts Pending. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { persistentVolumeClaimPrinter } from '../../printers/core-printers.js';
import { required } from '../../../machinery/field-errors.js';

/** v1 PersistentVolumeClaim as the code here reads it (the full shape is the wire contract's). */
export type PersistentVolumeClaim = KubeObject & Record<string, any>;

export const persistentVolumeClaimDefinition = defineResource<PersistentVolumeClaim>({
  group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true, shortNames: ['pvc'], subresources: ['status'],
  printer: persistentVolumeClaimPrinter,
  defaults(pvc) {
    pvc.spec ??= {};
    pvc.spec.volumeMode ??= 'Filesystem';
  },
  validate: (pvc) => [
    ...((pvc.spec?.accessModes ?? []).length === 0 ? [required('spec.accessModes', 'at least 1 access mode is required')] : []),
    ...(pvc.spec?.resources?.requests?.storage === undefined ? [required('spec.resources[storage]')] : []),
  ],
  strategy: { prepareForCreate(pvc) { pvc.status = { phase: 'Pending' }; } },
});
