/** PersistentVolume (core/v1; pkg/registry/core/persistentvolume): status starts Pending; the reclaim policy defaults to Retain. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { persistentVolumePrinter } from '../../printers/core-printers.js';
import { required } from '../../../machinery/field-errors.js';

/** v1 PersistentVolume as the code here reads it (the full shape is the wire contract's). */
export type PersistentVolume = KubeObject & Record<string, any>;

/** The volume sources a PersistentVolume may have (PersistentVolumeSource). */
const PV_SOURCES = ['gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local', 'storageos', 'csi'];

export const persistentVolumeDefinition = defineResource<PersistentVolume>({
  group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'], subresources: ['status'],
  printer: persistentVolumePrinter,
  defaults(pv) {
    pv.spec ??= {};
    pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    pv.spec.volumeMode ??= 'Filesystem';
    pv.status ??= {};
    pv.status.phase ??= 'Pending';
  },
  validate: (pv) => [
    ...(pv.spec?.capacity?.storage === undefined ? [required('spec.capacity')] : []),
    ...(PV_SOURCES.some((k) => pv.spec?.[k]) ? [] : [required('spec', 'must specify a volume type')]),
  ],
  strategy: { prepareForCreate(pv) { pv.status = { phase: 'Pending' }; } },
});
