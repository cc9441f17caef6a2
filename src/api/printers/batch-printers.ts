/**
 * Table printers of batch/v1 Job and CronJob, with upstream v1.32's columns
 * (pkg/printers/internalversion/printers.go: printJob, printCronJob).
 */
import { age, col, humanDuration, type TablePrinter } from './table.js';
import { ageColumn, containerCells, containersColumn, formatLabelSelector, imagesColumn, nameColumn, type AnyObject } from './core-printers.js';

type Condition = { type?: string; status?: string };
/** Whether the first condition of `type` has status True. */
const hasCondition = (conditions: Condition[] | undefined, type: string): boolean => (conditions ?? []).find((c) => c.type === type)?.status === 'True';

/** STATUS of a job: Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
function jobStatus(job: AnyObject): string {
  const conds = job.status?.conditions as Condition[] | undefined;
  if (hasCondition(conds, 'Complete')) return 'Complete';
  if (hasCondition(conds, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(conds, 'Suspended')) return 'Suspended';
  if (hasCondition(conds, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter: TablePrinter = {
  columns: [
    nameColumn, col('Status', 'string', 0, '', 'Status of the job.'), col('Completions'), col('Duration', 'string', 0, '', 'Time required to complete the job.'),
    ageColumn, containersColumn, imagesColumn, col('Selector', 'string', 1),
  ],
  cells(obj, now) {
    const job = obj as AnyObject;
    const spec = job.spec ?? {};
    const succeeded = job.status?.succeeded ?? 0;
    let completions: string;
    if (spec.completions !== undefined && spec.completions !== null) completions = `${succeeded}/${spec.completions}`;
    else completions = (spec.parallelism ?? 0) > 1 ? `${succeeded}/1 of ${spec.parallelism}` : `${succeeded}/1`;
    const start = job.status?.startTime ? Date.parse(job.status.startTime) : NaN;
    const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : NaN;
    const duration = Number.isNaN(start) ? '' : humanDuration((Number.isNaN(end) ? now : end) - start);
    const [names, images] = containerCells(spec.template?.spec?.containers);
    return [job.metadata.name, jobStatus(job), completions, duration, age(job, now), names, images, formatLabelSelector(spec.selector)];
  },
};

/** printBoolPtr: True, False or `<unset>`. */
const boolPtr = (v: unknown): string => (v === undefined || v === null ? '<unset>' : v ? 'True' : 'False');

export const cronJobPrinter: TablePrinter = {
  columns: [
    nameColumn, col('Schedule'), col('Timezone'), col('Suspend', 'boolean'), col('Active', 'integer'), col('Last Schedule'), ageColumn,
    containersColumn, imagesColumn, col('Selector', 'string', 1),
  ],
  cells(obj, now) {
    const cj = obj as AnyObject;
    const spec = cj.spec ?? {};
    const last = cj.status?.lastScheduleTime ? Date.parse(cj.status.lastScheduleTime) : undefined;
    const lastSchedule = last === undefined ? '<none>' : Number.isNaN(last) ? '<unknown>' : humanDuration(now - last);
    const jobSpec = spec.jobTemplate?.spec ?? {};
    const [names, images] = containerCells(jobSpec.template?.spec?.containers);
    return [
      cj.metadata.name, spec.schedule ?? '', spec.timeZone ?? '<none>', boolPtr(spec.suspend), (cj.status?.active ?? []).length, lastSchedule, age(cj, now),
      names, images, formatLabelSelector(jobSpec.selector),
    ];
  },
};
