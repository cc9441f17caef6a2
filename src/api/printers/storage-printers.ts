/**
 * Table printers of storage.k8s.io/v1 StorageClass, CSIDriver, CSINode,
 * VolumeAttachment and CSIStorageCapacity, with upstream v1.32's columns
 * (pkg/printers/internalversion/printers.go: printStorageClass, printCSIDriver,
 * printCSINode, printVolumeAttachment, printCSIStorageCapacity). The default
 * StorageClass (is-default-class annotation "true") prints as `<name> (default)`.
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

/** storageutil.IsDefaultAnnotation: the GA or beta is-default-class annotation is "true". */
const isDefaultClass = (annotations: Record<string, string> | undefined): boolean =>
  annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' || annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true';

export const storageClassPrinter: TablePrinter = {
  columns: [nameColumn, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion'), ageColumn],
  cells(obj, now) {
    const sc = obj as AnyObject;
    const name = isDefaultClass(sc.metadata.annotations) ? `${sc.metadata.name} (default)` : sc.metadata.name;
    return [name, sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', sc.allowVolumeExpansion ?? false, age(sc, now)];
  },
};

export const csiDriverPrinter: TablePrinter = {
  columns: [
    nameColumn, col('AttachRequired', 'boolean'), col('PodInfoOnMount', 'boolean'), col('StorageCapacity', 'boolean'), col('TokenRequests'),
    col('RequiresRepublish', 'boolean'), col('Modes'), ageColumn,
  ],
  cells(obj, now) {
    const d = obj as AnyObject;
    const spec = d.spec ?? {};
    const tokenRequests = Array.isArray(spec.tokenRequests) ? (spec.tokenRequests as Array<{ audience?: string }>).map((t) => t.audience ?? '').join(',') : '<unset>';
    const modes = ((spec.volumeLifecycleModes ?? []) as string[]).join(',') || '<none>';
    return [d.metadata.name, spec.attachRequired ?? true, spec.podInfoOnMount ?? false, spec.storageCapacity ?? false, tokenRequests, spec.requiresRepublish ?? false, modes, age(d, now)];
  },
};

export const csiNodePrinter: TablePrinter = {
  columns: [nameColumn, col('Drivers', 'integer', 0, '', 'Drivers indicates the number of CSI drivers registered on the node'), ageColumn],
  cells: (obj, now) => [obj.metadata.name, ((obj as AnyObject).spec?.drivers ?? []).length, age(obj, now)],
};

export const volumeAttachmentPrinter: TablePrinter = {
  columns: [nameColumn, col('Attacher', 'string', 0, 'name'), col('PV'), col('Node'), col('Attached', 'boolean'), ageColumn],
  cells(obj, now) {
    const va = obj as AnyObject;
    return [va.metadata.name, va.spec?.attacher ?? '', va.spec?.source?.persistentVolumeName ?? '', va.spec?.nodeName ?? '', va.status?.attached ?? false, age(va, now)];
  },
};

/** CSIStorageCapacity has no AGE column upstream. */
export const csiStorageCapacityPrinter: TablePrinter = {
  columns: [nameColumn, col('StorageClassName'), col('Capacity')],
  cells(obj) {
    const c = obj as AnyObject;
    return [c.metadata.name, c.storageClassName ?? '', c.capacity !== undefined && c.capacity !== null ? String(c.capacity) : '<unset>'];
  },
};
