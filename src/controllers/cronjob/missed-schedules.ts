/**
 * Which schedule time a CronJob owes a Job for, and when to look again (upstream
 * pkg/controller/cronjob/utils.go: mostRecentScheduleTime, nextScheduleTime,
 * nextScheduleTimeDuration). Pure functions of the CronJob, the clock and the schedule;
 * times are ms since the Unix epoch.
 */
import type { CronJob } from '../../api/batch/v1/cron-job.js';
import type { CronSchedule } from './schedule.js';

/** How many schedule times were missed since the earliest time considered: none, some, or more than 100 (upstream's "too many"). */
export type MissedSchedules = 'none' | 'few' | 'many';

/** More missed times than this since the last schedule is reported as TooManyMissedTimes. */
export const MAX_MISSED_SCHEDULES = 100;

/** Upstream's padding on requeues, for clock skew (100 ms). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/** Result of {@link mostRecentScheduleTime}. */
export interface MostRecent {
  /** status.lastScheduleTime, else metadata.creationTimestamp, moved up to now − startingDeadlineSeconds when asked. */
  earliest: number;
  /** The latest schedule time in (earliest, now], if any. */
  mostRecent?: number;
  missed: MissedSchedules;
  /** Set when two consecutive schedule times are less than a second apart (a schedule that never fires, such as Feb 31). */
  error?: string;
}

const parseTime = (t: string | undefined): number | undefined => (t ? Date.parse(t) : undefined);

/**
 * The most recent unmet schedule time of `cj` at `now` (upstream mostRecentScheduleTime):
 * counts missed times approximately from the interval between the first two, and walks
 * only the last couple of intervals, so a CronJob stopped for years costs nothing.
 */
export function mostRecentScheduleTime(cj: CronJob, now: number, schedule: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = parseTime(cj.status?.lastScheduleTime) ?? parseTime(cj.metadata.creationTimestamp) ?? now;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && typeof deadline === 'number') earliest = Math.max(earliest, now - deadline * 1000);
  const t1 = schedule.next(earliest);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 !== undefined && now < t1) return { earliest, missed: 'none' };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const elapsed = Math.floor((now - t1!) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1! + (missedCount - 2) * between * 1000;
  for (let t = schedule.next(potentialEarliest); t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  const missed: MissedSchedules = missedCount > MAX_MISSED_SCHEDULES ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliest, mostRecent, missed };
}

/** How long (ms) until the next schedule time, plus {@link NEXT_SCHEDULE_DELTA_MS} (upstream nextScheduleTimeDuration); undefined when the schedule never fires again. */
export function nextScheduleDelay(cj: CronJob, now: number, schedule: CronSchedule): number | undefined {
  const r = mostRecentScheduleTime(cj, now, schedule, false);
  const from = r.error ? now : r.mostRecent ?? (r.missed === 'none' ? r.earliest : now);
  const next = schedule.next(from);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
}

/** `<cronjob name>-<scheduled time in minutes since the epoch>`: the deterministic Job name that doubles as a lock against creating a time's Job twice (upstream getJobName). */
export const jobNameFor = (cronJobName: string, scheduledMs: number): string => `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
