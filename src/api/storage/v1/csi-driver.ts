/** CSIDriver (storage.k8s.io/v1): how Kubernetes talks to one CSI driver; defaults as upstream. */
import { notSupported } from '../../../machinery/field-errors.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { csiDriverPrinter } from '../../printers/storage-printers.js';

/** storage.k8s.io/v1 CSIDriver as the code here reads it (the full shape is the wire contract's). */
export type CSIDriver = KubeObject & Record<string, any>;

export const cSIDriverDefinition = defineResource<CSIDriver>({
  group: 'storage.k8s.io', version: 'v1', kind: 'CSIDriver', plural: 'csidrivers', namespaced: false,
  printer: csiDriverPrinter,
  validate: (d) => (d.spec?.fsGroupPolicy && !['File', 'None', 'ReadWriteOnceWithFSType'].includes(d.spec.fsGroupPolicy)
    ? [notSupported('spec.fsGroupPolicy', d.spec.fsGroupPolicy, ['File', 'None', 'ReadWriteOnceWithFSType'])] : []),
  defaults(d) {
    d.spec ??= {};
    d.spec.attachRequired ??= true;
    d.spec.podInfoOnMount ??= false;
    d.spec.storageCapacity ??= false;
    d.spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
    d.spec.requiresRepublish ??= false;
    d.spec.seLinuxMount ??= false;
    if (!d.spec.volumeLifecycleModes || d.spec.volumeLifecycleModes.length === 0) d.spec.volumeLifecycleModes = ['Persistent'];
  },
});
