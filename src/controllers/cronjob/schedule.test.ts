/**
 * The pure parts of the CronJob controller: schedule times in time zones (robfig/cron
 * semantics), missed-schedule arithmetic, Job names and history-limit selection.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCronSchedule, rfc3339InZone } from './schedule.js';
import { jobNameFor, mostRecentScheduleTime, nextScheduleDelay } from './missed-schedules.js';
import { jobsBeyondHistoryLimits } from './job-status.js';
import type { CronJob } from '../../api/batch/v1/cron-job.js';
import type { Job } from '../../api/batch/v1/job.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('parseCronSchedule', () => {
  it('steps, ranges, lists and names in UTC', () => {
    assert.equal(iso(parseCronSchedule('*/15 * * * *', 'UTC').next(at('2026-01-01T00:07:30Z'))), '2026-01-01T00:15:00.000Z');
    assert.equal(iso(parseCronSchedule('*/15 * * * *', 'UTC').next(at('2026-01-01T00:15:00Z'))), '2026-01-01T00:30:00.000Z');
    assert.equal(iso(parseCronSchedule('5,10 1-3 * jan-feb *', 'UTC').next(at('2026-01-31T03:10:00Z'))), '2026-02-01T01:05:00.000Z');
    assert.equal(iso(parseCronSchedule('0 0 * * sun', 'UTC').next(at('2026-01-01T00:00:00Z'))), '2026-01-04T00:00:00.000Z');
    assert.equal(iso(parseCronSchedule('10/20 * * * *', 'UTC').next(at('2026-01-01T00:31:00Z'))), '2026-01-01T00:50:00.000Z');
  });

  it('day of month OR day of week when both are restricted, AND when one is *', () => {
    // 2026-02-13 is a Friday; the 1st of March is a Sunday.
    assert.equal(iso(parseCronSchedule('0 0 13 * 5', 'UTC').next(at('2026-02-01T00:00:00Z'))), '2026-02-06T00:00:00.000Z');
    assert.equal(iso(parseCronSchedule('0 0 1 * *', 'UTC').next(at('2026-02-01T00:00:00Z'))), '2026-03-01T00:00:00.000Z');
    assert.equal(iso(parseCronSchedule('0 0 */2 * 1', 'UTC').next(at('2026-02-01T00:00:00Z'))), '2026-02-02T00:00:00.000Z');
  });

  it('descriptors and @every', () => {
    assert.equal(iso(parseCronSchedule('@hourly', 'UTC').next(at('2026-01-01T00:59:59Z'))), '2026-01-01T01:00:00.000Z');
    assert.equal(iso(parseCronSchedule('@monthly', 'UTC').next(at('2026-01-15T00:00:00Z'))), '2026-02-01T00:00:00.000Z');
    assert.equal(iso(parseCronSchedule('@every 1m30s').next(at('2026-01-01T00:00:10.500Z'))), '2026-01-01T00:01:40.000Z');
  });

  it('evaluates in the time zone, from spec or a TZ= prefix, across DST', () => {
    // Friday 10:00 EST → Monday 09:00 EST = 14:00Z.
    assert.equal(iso(parseCronSchedule('0 9 * * 1-5', 'America/New_York').next(at('2026-01-02T15:00:00Z'))), '2026-01-05T14:00:00.000Z');
    assert.equal(iso(parseCronSchedule('TZ=Asia/Tokyo 0 9 * * *').next(at('2026-01-01T00:00:00Z'))), '2026-01-02T00:00:00.000Z');
    assert.equal(iso(parseCronSchedule('CRON_TZ=Asia/Kolkata 30 0 * * *').next(at('2026-01-01T00:00:00Z'))), '2026-01-01T19:00:00.000Z');
    // After the spring-forward night 09:00 New York is 13:00Z.
    assert.equal(iso(parseCronSchedule('0 9 * * *', 'America/New_York').next(at('2026-03-08T00:00:00Z'))), '2026-03-08T13:00:00.000Z');
  });

  it('a schedule that never fires has no next time; bad text throws robfig-style messages', () => {
    assert.equal(parseCronSchedule('0 0 31 2 *', 'UTC').next(at('2026-01-01T00:00:00Z')), undefined);
    assert.throws(() => parseCronSchedule('* * *'), /Expected exactly 5 fields, found 3/);
    assert.throws(() => parseCronSchedule('5-1 * * * *'), /beginning of range \(5\) beyond end of range \(1\)/);
    assert.throws(() => parseCronSchedule('TZ=Nowhere/City * * * * *'), /provided bad location/);
  });

  it('RFC 3339 in a zone and the Job name in minutes', () => {
    const t = at('2026-01-01T00:00:00Z');
    assert.equal(rfc3339InZone(t), '2026-01-01T00:00:00Z');
    assert.equal(rfc3339InZone(t, 'Asia/Kolkata'), '2026-01-01T05:30:00+05:30');
    assert.equal(rfc3339InZone(t, 'America/New_York'), '2025-12-31T19:00:00-05:00');
    assert.equal(jobNameFor('hello', t), `hello-${t / 60_000}`);
  });
});

describe('missed schedules', () => {
  const cj = (created: string, extra: Record<string, unknown> = {}, status: Record<string, unknown> = {}): CronJob =>
    ({ metadata: { name: 'c', creationTimestamp: created }, spec: { schedule: '* * * * *', ...extra }, status });
  const everyMinute = parseCronSchedule('* * * * *', 'UTC');

  it('nothing due, one due, several missed (the latest is run), more than 100 missed', () => {
    const created = '2026-01-01T00:00:30Z';
    assert.deepEqual(mostRecentScheduleTime(cj(created), at('2026-01-01T00:00:50Z'), everyMinute, true), { earliest: at(created), missed: 'none' });
    assert.equal(iso(mostRecentScheduleTime(cj(created), at('2026-01-01T00:01:10Z'), everyMinute, true).mostRecent), '2026-01-01T00:01:00.000Z');
    const few = mostRecentScheduleTime(cj(created), at('2026-01-01T00:05:10Z'), everyMinute, true);
    assert.deepEqual([iso(few.mostRecent), few.missed], ['2026-01-01T00:05:00.000Z', 'few']);
    const many = mostRecentScheduleTime(cj(created), at('2026-01-01T03:00:10Z'), everyMinute, true);
    assert.deepEqual([iso(many.mostRecent), many.missed], ['2026-01-01T03:00:00.000Z', 'many']);
    // startingDeadlineSeconds bounds how far back the controller looks.
    const bounded = mostRecentScheduleTime(cj(created, { startingDeadlineSeconds: 200 }), at('2026-01-01T03:00:10Z'), everyMinute, true);
    assert.equal(bounded.missed, 'few');
  });

  it('lastScheduleTime is the starting point; the requeue delay aims past the next time', () => {
    const c = cj('2026-01-01T00:00:00Z', {}, { lastScheduleTime: '2026-01-01T00:05:00Z' });
    assert.equal(mostRecentScheduleTime(c, at('2026-01-01T00:05:30Z'), everyMinute, true).mostRecent, undefined);
    assert.equal(nextScheduleDelay(c, at('2026-01-01T00:05:30Z'), everyMinute), 30_100);
    assert.equal(mostRecentScheduleTime(cj('2026-01-01T00:00:00Z'), at('2026-06-01T00:00:00Z'), parseCronSchedule('0 0 31 2 *', 'UTC'), true).error,
      'time difference between two schedules is less than 1 second');
  });
});

describe('history limits', () => {
  const job = (name: string, type: string, start: string): Job =>
    ({ metadata: { name }, status: { startTime: start, conditions: [{ type, status: 'True' }] } });
  it('keeps the newest finished Jobs of each kind, never running ones', () => {
    const jobs = [
      job('s1', 'Complete', '2026-01-01T00:01:00Z'), job('s3', 'Complete', '2026-01-01T00:03:00Z'), job('s2', 'Complete', '2026-01-01T00:02:00Z'),
      job('f1', 'Failed', '2026-01-01T00:01:00Z'), job('f2', 'Failed', '2026-01-01T00:02:00Z'),
      { metadata: { name: 'running' }, status: { startTime: '2026-01-01T00:00:00Z' } },
    ];
    assert.deepEqual(jobsBeyondHistoryLimits(jobs, 1, 0).map((j) => j.metadata.name), ['s1', 's2', 'f1', 'f2']);
    assert.deepEqual(jobsBeyondHistoryLimits(jobs, 3, 1).map((j) => j.metadata.name), ['f1']);
    assert.deepEqual(jobsBeyondHistoryLimits(jobs, undefined, undefined), []);
  });
});
