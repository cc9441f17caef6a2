/**
 * DefaultStorageClass admission (upstream plugin/pkg/admission/storage/storageclass/
 * setdefault): a PersistentVolumeClaim created without `spec.storageClassName` (absent,
 * not "") gets the default StorageClass — the one annotated
 * `storageclass.kubernetes.io/is-default-class: "true"` (or the beta annotation); with
 * several, the newest (then the first by name), as upstream since v1.26. No default: the
 * claim is left as it is.
 */
import type { KubeObject } from '../../api/object.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** The default StorageClass among `classes`, or undefined. */
export function defaultStorageClass(classes: KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter((c) => DEFAULT_ANNOTATIONS.some((a) => c.metadata.annotations?.[a] === 'true'));
  defaults.sort((a, b) => String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
  return defaults[0];
}

/** `storageClasses()`: every stored StorageClass. */
export const defaultStorageClassAdmission = (storageClasses: () => Promise<KubeObject[]>): AdmissionPlugin => ({
  name: 'DefaultStorageClass',
  async admit(a: AdmissionAttributes) {
    if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== '' || a.resource.plural !== 'persistentvolumeclaims' || !a.object) return;
    const spec = ((a.object as { spec?: Record<string, unknown> }).spec ??= {});
    if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
    const chosen = defaultStorageClass(await storageClasses());
    if (chosen) spec.storageClassName = chosen.metadata.name;
  },
});
