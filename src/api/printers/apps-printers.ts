/**
 * Table printers of apps/v1 DaemonSet, StatefulSet and ControllerRevision, with
 * upstream v1.32's columns (pkg/printers/internalversion/printers.go: printDaemonSet,
 * printStatefulSet, printControllerRevision).
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, containerCells, containersColumn, formatLabels, formatLabelSelector, imagesColumn, nameColumn, type AnyObject } from './core-printers.js';

export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameColumn, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'),
    col('Node Selector'), ageColumn, containersColumn, imagesColumn, col('Selector', 'string', 1),
  ],
  cells(obj, now) {
    const ds = obj as AnyObject;
    const st = ds.status ?? {};
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      ds.metadata.name, st.desiredNumberScheduled ?? 0, st.currentNumberScheduled ?? 0, st.numberReady ?? 0, st.updatedNumberScheduled ?? 0, st.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector), age(ds, now), names, images, formatLabelSelector(ds.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: [nameColumn, col('Ready', 'string', 0, '', 'Number of the pod with ready state'), ageColumn, containersColumn, imagesColumn],
  cells(obj, now) {
    const ss = obj as AnyObject;
    const [names, images] = containerCells(ss.spec?.template?.spec?.containers);
    return [ss.metadata.name, `${ss.status?.readyReplicas ?? 0}/${ss.spec?.replicas ?? 0}`, age(ss, now), names, images];
  },
};

/**
 * CONTROLLER is the controlling owner as `<kind>.<group>/<name>` lower-cased
 * (`daemonset.apps/fluentd`), `<none>` without one.
 */
export const controllerRevisionPrinter: TablePrinter = {
  columns: [nameColumn, col('Controller', 'string', 0, '', 'Controller of the object'), col('Revision'), ageColumn],
  cells(obj, now) {
    const cr = obj as AnyObject;
    const ref = (cr.metadata.ownerReferences ?? []).find((o) => o.controller === true);
    let controller = '<none>';
    if (ref) {
      const parts = (ref.apiVersion ?? '').split('/');
      const group = parts.length === 2 ? parts[0] : '';
      const groupKind = group ? `${ref.kind ?? ''}.${group}` : ref.kind ?? '';
      controller = groupKind ? `${groupKind.toLowerCase()}/${ref.name}` : ref.name;
    }
    return [cr.metadata.name, controller, cr.revision ?? 0, age(cr, now)];
  },
};
