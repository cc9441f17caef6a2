/**
 * Reading a Job's outcome as the CronJob controller does (upstream pkg/controller/job/util
 * IsJobFinished/FinishedCondition and cronjob's getFinishedStatus/byJobStartTime): a Job
 * is finished once it has a `Complete` or `Failed` condition with status "True".
 */
import type { Job } from '../../api/batch/v1/job.js';

/** The finishing condition type of `job` ('Complete' | 'Failed'), or undefined while it runs. */
export function finishedCondition(job: Job): 'Complete' | 'Failed' | undefined {
  for (const c of (job.status?.conditions ?? []) as Array<{ type?: string; status?: string }>) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

/** Whether `job` has finished (Complete or Failed). */
export const isJobFinished = (job: Job): boolean => finishedCondition(job) !== undefined;

/**
 * Orders Jobs oldest first by status.startTime (Jobs never started last), ties by name, as
 * upstream's byJobStartTime; returns a new array.
 */
export function sortByStartTime(jobs: Job[]): Job[] {
  const start = (j: Job) => (j.status?.startTime ? Date.parse(j.status.startTime) : undefined);
  return [...jobs].sort((a, b) => {
    const sa = start(a); const sb = start(b);
    if (sa === undefined && sb !== undefined) return 1;
    if (sa !== undefined && sb === undefined) return -1;
    if (sa === sb) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
    return sa! - sb!;
  });
}

/**
 * The finished Jobs to delete so at most `successfulLimit` Complete and `failedLimit`
 * Failed Jobs remain, oldest first (upstream cleanupFinishedJobs/removeOldestJobs). A
 * limit that is undefined keeps everything of its kind.
 */
export function jobsBeyondHistoryLimits(jobs: Job[], successfulLimit: number | undefined, failedLimit: number | undefined): Job[] {
  const pick = (kind: 'Complete' | 'Failed', limit: number | undefined): Job[] => {
    if (limit === undefined) return [];
    const finished = sortByStartTime(jobs.filter((j) => finishedCondition(j) === kind));
    return finished.slice(0, Math.max(0, finished.length - limit));
  };
  return [...pick('Complete', successfulLimit), ...pick('Failed', failedLimit)];
}
