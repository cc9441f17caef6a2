/**
 * Printers of the resources other than pods, with upstream's columns
 * (pkg/printers/internalversion/printers.go). Each kind's ResourceDefinition names its
 * printer; kinds without one print with `defaultPrinter` (NAME, AGE).
 */
import type { KubeObject } from '../object.js';
import type { Node, Service, Endpoints, Event, Secret, ConfigMap, ServiceAccount, Namespace } from '../core/v1/types.js';
import type { Deployment, ReplicaSet } from '../apps/v1/types.js';
import type { Lease } from '../coordination/v1/types.js';
import { labelSelectorString } from '../../machinery/labels.js';
import { age, col, defaultPrinter, humanDuration, type TablePrinter } from './table.js';

const name = col('Name', 'string', 0, 'name');
const ageCol = col('Age', 'string');
const none = (v: string | undefined): string => v || '<none>';
const containersOf = (spec: { template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } } | undefined) => spec?.template?.spec?.containers ?? [];

export const nodePrinter: TablePrinter = {
  columns: [name, col('Status'), col('Roles'), ageCol, col('Version'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1), col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
  cells(obj, now) {
    const n = obj as Node;
    const ready = (n.status?.conditions ?? []).find((c) => c.type === 'Ready');
    const statuses = [ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown'];
    if (n.spec?.unschedulable) statuses.push('SchedulingDisabled');
    const roles = Object.keys(n.metadata.labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.slice('node-role.kubernetes.io/'.length)).filter(Boolean).sort();
    if (n.metadata.labels?.['kubernetes.io/role']) roles.push(n.metadata.labels['kubernetes.io/role']);
    const addr = (t: string) => (n.status?.addresses ?? []).find((a) => a.type === t)?.address;
    const info = n.status?.nodeInfo ?? {};
    return [n.metadata.name, statuses.join(','), roles.length ? roles.join(',') : '<none>', age(n, now), info.kubeletVersion ?? '', none(addr('InternalIP')), none(addr('ExternalIP')), info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>'];
  },
};

export const namespacePrinter: TablePrinter = {
  columns: [name, col('Status'), ageCol],
  cells: (obj, now) => [obj.metadata.name, (obj as Namespace).status?.phase ?? '', age(obj, now)],
};

function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}
export const servicePrinter: TablePrinter = {
  columns: [name, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), ageCol, col('Selector', 'string', 1)],
  cells(obj, now) {
    const s = obj as Service;
    const type = s.spec?.type ?? 'ClusterIP';
    const lbIPs = ((s.status?.loadBalancer?.ingress ?? []) as Array<{ ip?: string; hostname?: string }>).map((i) => i.ip || i.hostname).filter(Boolean);
    const ext = type === 'ExternalName' ? s.spec?.externalName ?? '' : [...(s.spec?.externalIPs ?? []), ...lbIPs].join(',') || (type === 'LoadBalancer' ? '<pending>' : '<none>');
    const sel = Object.entries(s.spec?.selector ?? {}).sort().map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
    return [s.metadata.name, type, s.spec?.clusterIP || '<none>', ext, servicePorts(s), age(s, now), sel];
  },
};

export const endpointsPrinter: TablePrinter = {
  columns: [name, col('Endpoints'), ageCol],
  cells(obj, now) {
    const list: string[] = [];
    for (const ss of (obj as Endpoints).subsets ?? []) for (const a of ss.addresses ?? []) for (const p of ss.ports ?? [{ port: undefined }]) list.push(p.port ? `${a.ip}:${p.port}` : `${a.ip}`);
    const text = list.length === 0 ? '<none>' : list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
    return [obj.metadata.name, text, age(obj, now)];
  },
};

export const configMapPrinter: TablePrinter = {
  columns: [name, col('Data', 'integer'), ageCol],
  cells: (obj, now) => [obj.metadata.name, Object.keys((obj as ConfigMap).data ?? {}).length + Object.keys((obj as ConfigMap).binaryData ?? {}).length, age(obj, now)],
};
export const secretPrinter: TablePrinter = {
  columns: [name, col('Type'), col('Data', 'integer'), ageCol],
  cells: (obj, now) => [obj.metadata.name, (obj as Secret).type ?? '', Object.keys((obj as Secret).data ?? {}).length, age(obj, now)],
};
export const serviceAccountPrinter: TablePrinter = {
  columns: [name, col('Secrets', 'integer'), ageCol],
  cells: (obj, now) => [obj.metadata.name, ((obj as ServiceAccount).secrets ?? []).length, age(obj, now)],
};

/**
 * printEvent: LAST SEEN is lastTimestamp, else the first seen (firstTimestamp, else
 * eventTime), and a series' lastObservedTime; COUNT is the series' count, else count
 * (1 when unset); SOURCE falls back to reportingController/reportingInstance.
 */
export const eventPrinter: TablePrinter = {
  columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 'string', 1), col('Source', 'string', 1), col('Message'), col('First Seen', 'string', 1), col('Count', 'string', 1), col('Name', 'string', 1)],
  cells(obj, now) {
    const e = obj as Event;
    const since = (v: unknown): string => {
      const t = typeof v === 'string' && v ? Date.parse(v) : NaN;
      return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
    };
    const first = e.firstTimestamp ? since(e.firstTimestamp) : since(e.eventTime);
    let last = e.lastTimestamp ? since(e.lastTimestamp) : first;
    const series = e.series as { count?: number; lastObservedTime?: string } | null | undefined;
    let count = e.count ?? 0;
    if (series) { last = since(series.lastObservedTime); count = series.count ?? 0; } else if (count === 0) count = 1;
    const io = e.involvedObject ?? {};
    const target = io.name ? `${(io.kind ?? '').toLowerCase()}/${io.name}` : (io.kind ?? '').toLowerCase();
    const component = e.source?.component || e.reportingComponent || '';
    const instance = e.source?.host || e.reportingInstance || '';
    return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', instance ? `${component}, ${instance}` : component, (e.message ?? '').trim(), first, count, e.metadata.name];
  },
};

export const leasePrinter: TablePrinter = {
  columns: [name, col('Holder'), ageCol],
  cells: (obj, now) => [obj.metadata.name, (obj as Lease).spec?.holderIdentity ?? '', age(obj, now)],
};

export const deploymentPrinter: TablePrinter = {
  columns: [name, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
  cells(obj, now) {
    const d = obj as Deployment;
    const cs = containersOf(d.spec);
    return [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, age(d, now), cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(','), labelSelectorString(d.spec?.selector)];
  },
};
export const replicaSetPrinter: TablePrinter = {
  columns: [name, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
  cells(obj, now) {
    const r = obj as ReplicaSet;
    const cs = containersOf(r.spec);
    return [r.metadata.name, r.spec?.replicas ?? 0, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, age(r, now), cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(','), labelSelectorString(r.spec?.selector)];
  },
};

export const componentStatusPrinter: TablePrinter = {
  columns: [name, col('Status'), col('Message'), col('Error')],
  cells(obj) {
    const c = ((obj.conditions ?? []) as Array<{ type: string; status: string; message?: string; error?: string }>).find((x) => x.type === 'Healthy');
    return [obj.metadata.name, c?.status === 'True' ? 'Healthy' : 'Unhealthy', c?.message ?? '', c?.error ?? ''];
  },
};
