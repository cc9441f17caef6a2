/**
 * Table printer of autoscaling/v2 HorizontalPodAutoscaler, with upstream v1.32's
 * columns (pkg/printers/internalversion/printers.go: printHorizontalPodAutoscaler,
 * formatHPAMetrics): TARGETS like `cpu: 45%/80%`, `cpu: <unknown>/80%`,
 * `500m/1 (avg)`; at most two metrics, then `+ N more...`.
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

/** Quantity.String() of a possibly nil *Quantity. */
const q = (v: unknown): string => (v === undefined || v === null ? '<nil>' : String(v));
const pct = (v: unknown): string => `${v}%`;
const present = (v: unknown): boolean => v !== undefined && v !== null;

/** One metric's `current/target` text; `status` is the current metric at the same index. */
function formatMetric(spec: AnyObject, status: AnyObject | undefined): string {
  switch (spec.type) {
    case 'External': case 'Object': {
      const key = spec.type === 'External' ? 'external' : 'object';
      const target = spec[key]?.target ?? {};
      const cur = status?.[key];
      if (present(target.averageValue)) {
        const current = cur && present(cur.current?.averageValue) ? q(cur.current.averageValue) : '<unknown>';
        return `${current}/${q(target.averageValue)} (avg)`;
      }
      return `${cur ? q(cur.current?.value) : '<unknown>'}/${q(target.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? q(status.pods.current?.averageValue) : '<unknown>'}/${q(spec.pods?.target?.averageValue)}`;
    case 'Resource': case 'ContainerResource': {
      const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
      const src = spec[key] ?? {};
      const target = src.target ?? {};
      const cur = status?.[key];
      if (present(target.averageValue)) return `${src.name ?? ''}: ${cur ? q(cur.current?.averageValue) : '<unknown>'}/${q(target.averageValue)}`;
      const current = cur && present(cur.current?.averageUtilization) ? pct(cur.current.averageUtilization) : '<unknown>';
      const goal = present(target.averageUtilization) ? pct(target.averageUtilization) : '<auto>';
      return `${src.name ?? ''}: ${current}/${goal}`;
    }
    default:
      return '<unknown type>';
  }
}

/** The TARGETS cell (upstream formatHPAMetrics). */
export function formatHPAMetrics(specs: AnyObject[] | undefined, statuses: AnyObject[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((s, i) => formatMetric(s, statuses?.[i]));
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(', ')} + ${list.length - max} more...` : list.join(', ');
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [nameColumn, col('Reference'), col('Targets'), col('MinPods'), col('MaxPods'), col('Replicas'), ageColumn],
  cells(obj, now) {
    const hpa = obj as AnyObject;
    const spec = hpa.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    return [
      hpa.metadata.name, `${ref.kind ?? ''}/${ref.name ?? ''}`, formatHPAMetrics(spec.metrics, hpa.status?.currentMetrics),
      present(spec.minReplicas) ? String(spec.minReplicas) : '<unset>', spec.maxReplicas ?? 0, hpa.status?.currentReplicas ?? 0, age(hpa, now),
    ];
  },
};
