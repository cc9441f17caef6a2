/**
 * StorageObjectInUseProtection admission (upstream plugin/pkg/admission/storage/
 * storageobjectinuseprotection): a created PersistentVolumeClaim gets the finalizer
 * `kubernetes.io/pvc-protection`, a PersistentVolume `kubernetes.io/pv-protection`, so
 * neither disappears while in use; the controller manager's pvc-protection and
 * pv-protection controllers remove them once nothing uses the object.
 */
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

export const storageObjectInUseProtection = (): AdmissionPlugin => ({
  name: 'StorageObjectInUseProtection',
  admit(a: AdmissionAttributes) {
    if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== '' || !a.object) return;
    const finalizer = a.resource.plural === 'persistentvolumeclaims' ? PVC_PROTECTION_FINALIZER : a.resource.plural === 'persistentvolumes' ? PV_PROTECTION_FINALIZER : undefined;
    if (!finalizer) return;
    const finalizers = (a.object.metadata.finalizers ??= []);
    if (!finalizers.includes(finalizer)) finalizers.push(finalizer);
  },
});
