/**
 * Table printers of core/v1 kinds beyond pods, nodes, services...: PersistentVolume,
 * PersistentVolumeClaim, LimitRange, ResourceQuota, ReplicationController and
 * PodTemplate, with upstream v1.32's columns (pkg/printers/internalversion/printers.go;
 * LimitRange has no handler there and prints with the apiserver's default table
 * convertor, k8s.io/apiserver/pkg/registry/rest/table.go: NAME, CREATED AT). Also the
 * small formatting helpers the other group printers share (labels.FormatLabels,
 * metav1.FormatLabelSelector, layoutContainerCells, quantities).
 */
import type { KubeObject } from '../object.js';
import { selectorFromLabelSelector, type LabelSelectorLike } from '../../machinery/labels.js';
import { age, col, type TableColumnDefinition, type TablePrinter } from './table.js';

/** An object of a kind whose full shape is the wire contract's. */
export type AnyObject = KubeObject & Record<string, any>;

/** The NAME column every printer starts with. */
export const nameColumn: TableColumnDefinition = col('Name', 'string', 0, 'name', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.');
/** The AGE column (time since creationTimestamp). */
export const ageColumn: TableColumnDefinition = col('Age', 'string', 0, '', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
/** The wide CONTAINERS / IMAGES columns of workload templates. */
export const containersColumn: TableColumnDefinition = col('Containers', 'string', 1, '', 'Names of each container in the template.');
export const imagesColumn: TableColumnDefinition = col('Images', 'string', 1, '', 'Images referenced by each container in the template.');

/** Upstream layoutContainerCells: container names and images, each comma-joined. */
export function containerCells(containers: Array<{ name?: string; image?: string }> | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** labels.FormatLabels: `k=v` pairs sorted by key, comma-joined; `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/**
 * metav1.FormatLabelSelector: the selector's string form (requirements sorted by key,
 * set values sorted), `<none>` for a nil or empty selector, `<error>` when invalid.
 */
export function formatLabelSelector(ls: LabelSelectorLike | null | undefined): string {
  let reqs;
  try { reqs = selectorFromLabelSelector(ls).requirements; } catch { return '<error>'; }
  const text = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => {
    switch (r.operator) {
      case 'exists': return r.key;
      case '!': return `!${r.key}`;
      case '=': return `${r.key}=${r.values[0]}`;
      case '!=': return `${r.key}!=${r.values[0]}`;
      default: return `${r.key} ${r.operator} (${[...new Set(r.values)].sort().join(',')})`;
    }
  }).join(',');
  return text || '<none>';
}

/** A resource.Quantity as text; a missing quantity is the zero Quantity, `0`. */
export const quantityString = (q: unknown): string => (q === undefined || q === null || q === '' ? '0' : String(q));

/** The default table convertor's CREATED AT cell: creationTimestamp in RFC 3339, UTC, whole seconds. */
export function createdAt(obj: KubeObject): string {
  const t = obj.metadata.creationTimestamp ? Date.parse(obj.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? '0001-01-01T00:00:00Z' : new Date(Math.floor(t / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Columns of the apiserver's default table convertor (kinds without a printer upstream). */
export const createdAtColumns: TableColumnDefinition[] = [nameColumn, col('Created At', 'date', 0, '', 'CreationTimestamp is a timestamp representing the server time when this object was created.')];

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, without duplicates. */
export function accessModesString(modes: string[] | undefined): string {
  const m = new Set(modes ?? []);
  return ([['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']] as const)
    .filter(([mode]) => m.has(mode)).map(([, short]) => short).join(',');
}

const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    nameColumn, col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'),
    col('StorageClass', 'string', 0, '', 'StorageClass of the pv'), col('VolumeAttributesClass', 'string', 0, '', 'VolumeAttributesClass of the pv'),
    col('Reason'), ageColumn, col('VolumeMode', 'string', 1),
  ],
  cells(obj, now) {
    const pv = obj as AnyObject;
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const annotations = pv.metadata.annotations ?? {};
    const storageClass = BETA_STORAGE_CLASS in annotations ? annotations[BETA_STORAGE_CLASS] : spec.storageClassName ?? '';
    return [
      pv.metadata.name, quantityString(spec.capacity?.storage), accessModesString(spec.accessModes), spec.persistentVolumeReclaimPolicy ?? '',
      pv.metadata.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '', claim, storageClass, spec.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '', age(pv, now), spec.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    nameColumn, col('Status'), col('Volume'), col('Capacity'), col('Access Modes'),
    col('StorageClass', 'string', 0, '', 'StorageClass of the pvc'), col('VolumeAttributesClass', 'string', 0, '', 'VolumeAttributesClass of the pvc'),
    ageColumn, col('VolumeMode', 'string', 1),
  ],
  cells(obj, now) {
    const pvc = obj as AnyObject;
    const spec = pvc.spec ?? {};
    const bound = Boolean(spec.volumeName);
    const annotations = pvc.metadata.annotations ?? {};
    const storageClass = BETA_STORAGE_CLASS in annotations ? annotations[BETA_STORAGE_CLASS] : spec.storageClassName ?? '';
    return [
      pvc.metadata.name, pvc.metadata.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '', spec.volumeName ?? '',
      bound ? quantityString(pvc.status?.capacity?.storage) : '', bound ? accessModesString(pvc.status?.accessModes) : '',
      storageClass, spec.volumeAttributesClassName ?? '<unset>', age(pvc, now), spec.volumeMode ?? '<unset>',
    ];
  },
};

/** LimitRange: no printer upstream, so the default convertor's NAME, CREATED AT. */
export const limitRangePrinter: TablePrinter = {
  columns: createdAtColumns,
  cells: (obj) => [obj.metadata.name, createdAt(obj)],
};

export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    nameColumn, col('Request', 'string', 0, '', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 0, '', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'), ageColumn,
  ],
  cells(obj, now) {
    const rq = obj as AnyObject;
    const hard: Record<string, unknown> = rq.status?.hard ?? {};
    const used: Record<string, unknown> = rq.status?.used ?? {};
    const request: string[] = [];
    const limit: string[] = [];
    for (const res of Object.keys(hard).sort()) {
      const pieces = res.split('.');
      (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(`${res}: ${quantityString(used[res])}/${quantityString(hard[res])}`);
    }
    return [rq.metadata.name, request.join(', '), limit.join(', '), age(rq, now)];
  },
};

export const replicationControllerPrinter: TablePrinter = {
  columns: [nameColumn, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), ageColumn, containersColumn, imagesColumn, col('Selector', 'string', 1)],
  cells(obj, now) {
    const rc = obj as AnyObject;
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [rc.metadata.name, rc.spec?.replicas ?? 0, rc.status?.replicas ?? 0, rc.status?.readyReplicas ?? 0, age(rc, now), names, images, formatLabels(rc.spec?.selector)];
  },
};

export const podTemplatePrinter: TablePrinter = {
  columns: [nameColumn, col('Containers', 'string', 0, '', 'Names of each container in the template.'), col('Images', 'string', 0, '', 'Images referenced by each container in the template.'), col('Pod Labels', 'string', 0, '', 'The labels for the pod template.')],
  cells(obj) {
    const pt = obj as AnyObject;
    const [names, images] = containerCells(pt.template?.spec?.containers);
    return [pt.metadata.name, names, images, formatLabels(pt.template?.metadata?.labels)];
  },
};
