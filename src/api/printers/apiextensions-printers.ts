/**
 * Table printers of apiextensions.k8s.io/v1 CustomResourceDefinition and
 * apiregistration.k8s.io/v1 APIService, with upstream v1.32's columns. CRDs use the
 * generic registry's default table convertor (apiserver pkg/registry/rest/table.go):
 * NAME and CREATED AT (creationTimestamp in RFC 3339, UTC). APIServices use
 * kube-aggregator's convertor (pkg/registry/apiservice/etcd): NAME, SERVICE
 * (`namespace/name`, or `Local` without a service), AVAILABLE (the Available condition's
 * status, `False (Reason)` when not True and a reason is given; `Unknown` without one)
 * and AGE.
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

const CREATION_TIMESTAMP_DOC = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** Go's time.Time.UTC().Format(time.RFC3339): seconds precision, `Z`. */
function rfc3339(ts: string | undefined): string {
  if (!ts) return '0001-01-01T00:00:00Z';
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? ts : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const customResourceDefinitionPrinter: TablePrinter = {
  columns: [nameColumn, col('Created At', 'date', 0, '', CREATION_TIMESTAMP_DOC)],
  cells: (obj) => [obj.metadata.name, rfc3339(obj.metadata.creationTimestamp)],
};

/** The AVAILABLE cell of an APIService. */
export function apiServiceAvailable(svc: AnyObject): string {
  const cond = ((svc.status?.conditions ?? []) as Array<{ type?: string; status?: string; reason?: string }>).find((c) => c.type === 'Available');
  if (!cond) return 'Unknown';
  if (cond.status === 'True') return 'True';
  return cond.reason ? `${cond.status ?? ''} (${cond.reason})` : cond.status ?? '';
}

export const apiServicePrinter: TablePrinter = {
  columns: [nameColumn, col('Service', 'string', 0, '', 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'string', 0, '', 'Whether this service is available.'), ageColumn],
  cells(obj, now) {
    const svc = obj as AnyObject;
    const ref = svc.spec?.service;
    return [svc.metadata.name, ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : 'Local', apiServiceAvailable(svc), age(svc, now)];
  },
};
