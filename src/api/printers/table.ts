/**
 * Server-side Table printing (meta.k8s.io/v1 Table; upstream
 * pkg/printers/internalversion/printers.go): a printer per resource gives column
 * definitions and the cells of one object.
 */
import type { KubeObject } from '../object.js';

/** meta/v1 TableColumnDefinition. */
export interface TableColumnDefinition { name: string; type: string; format: string; description: string; priority: number }

export interface TablePrinter {
  columns: TableColumnDefinition[];
  cells(obj: KubeObject, now: number): unknown[];
}

/** A column; priority 1 columns appear only with `-o wide`. */
export const col = (name: string, type = 'string', priority = 0, format = '', description = ''): TableColumnDefinition =>
  ({ name, type, format, description: description || name, priority });

/**
 * Human-readable age as upstream's duration.HumanDuration: `45s`, `5m10s`, `3h20m`,
 * `2d3h`, `400d`, `2y10d`.
 */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  if (h < 192) return h % 24 ? `${Math.floor(h / 24)}d${h % 24}h` : `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 8) { const d = Math.floor(h / 24) % 365; return d ? `${Math.floor(h / 24 / 365)}y${d}d` : `${Math.floor(h / 24 / 365)}y`; }
  return `${Math.floor(h / 24 / 365)}y`;
}

/** AGE of an object: time since creationTimestamp, `<unknown>` without one. */
export const age = (obj: KubeObject, now: number): string =>
  obj.metadata.creationTimestamp ? humanDuration(now - Date.parse(obj.metadata.creationTimestamp)) : '<unknown>';

/** The default printer (upstream's default table convertor columns as kubectl shows them: NAME, AGE). */
export const defaultPrinter: TablePrinter = {
  columns: [col('Name', 'string', 0, 'name', 'Name must be unique within a namespace.'), col('Age', 'string', 0, '', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  cells: (o, now) => [o.metadata.name, age(o, now)],
};
