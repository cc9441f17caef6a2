/** StorageClass (storage.k8s.io/v1; pkg/registry/storage/storageclass): reclaimPolicy Delete and volumeBindingMode Immediate by default; provisioner and parameters are immutable. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { storageClassPrinter } from '../../printers/storage-printers.js';
import { forbiddenField, notSupported, required } from '../../../machinery/field-errors.js';

/** storage.k8s.io/v1 StorageClass as the code here reads it (the full shape is the wire contract's). */
export type StorageClass = KubeObject & Record<string, any>;

export const storageClassDefinition = defineResource<StorageClass>({
  group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', namespaced: false, shortNames: ['sc'],
  printer: storageClassPrinter,
  defaults(sc) { sc.reclaimPolicy ??= 'Delete'; sc.volumeBindingMode ??= 'Immediate'; },
  validate: (sc) => [
    ...(sc.provisioner ? [] : [required('provisioner')]),
    ...(sc.reclaimPolicy && !['Delete', 'Retain'].includes(sc.reclaimPolicy) ? [notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain'])] : []),
    ...(sc.volumeBindingMode && !['Immediate', 'WaitForFirstConsumer'].includes(sc.volumeBindingMode) ? [notSupported('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer'])] : []),
  ],
  validateUpdate: (sc, old) => [
    ...(sc.provisioner !== old.provisioner ? [forbiddenField('provisioner', 'updates to provisioner are forbidden.')] : []),
    ...(JSON.stringify(sc.parameters ?? {}) !== JSON.stringify(old.parameters ?? {}) ? [forbiddenField('parameters', 'updates to parameters are forbidden.')] : []),
  ],
});
