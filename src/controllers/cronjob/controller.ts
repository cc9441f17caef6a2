/**
 * CronJob controller (upstream pkg/controller/cronjob/cronjob_controllerv2.go): at each
 * schedule time of a CronJob, creates a Job from `spec.jobTemplate` named
 * `<cronjob>-<minutes since the epoch>`, honouring suspend, startingDeadlineSeconds,
 * concurrencyPolicy (Allow/Forbid/Replace) and spec.timeZone; tracks the Jobs it owns in
 * `status.active`, `status.lastScheduleTime` and `status.lastSuccessfulTime`; deletes
 * finished Jobs beyond the history limits; and requeues itself for the next schedule
 * time. It only creates/deletes Jobs and reads their conditions — running them is the
 * Job controller's business.
 */
import type { CronJob } from '../../api/batch/v1/cron-job.js';
import type { Job } from '../../api/batch/v1/job.js';
import { isTimeZone } from '../../api/batch/v1/cron-schedule.js';
import { isAlreadyExists, isNotFound, StatusError } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import { type SharedInformerFactory, type SharedIndexInformer } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { controllerRef, QueueController } from '../controller.js';
import { ownerRefTo } from '../pod-util.js';
import { parseCronSchedule, rfc3339InZone, type CronSchedule } from './schedule.js';
import { jobNameFor, mostRecentScheduleTime, nextScheduleDelay } from './missed-schedules.js';
import { finishedCondition, jobsBeyondHistoryLimits } from './job-status.js';

/** batch/v1 cronjobs. */
/** batch/v1 jobs. */

/** Annotation on each created Job: its scheduled time, RFC 3339 in the CronJob's time zone (UTC when unset). */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** The longest single requeue delay (ms); longer waits are re-evaluated after it (Node timers overflow past ~24.8 days). */
const MAX_REQUEUE_MS = 24 * 3_600_000;

/** Options for {@link CronJobController}. */
export interface CronJobControllerOptions {
  /** The clock, ms since the epoch (default Date.now); tests move it instead of waiting minutes. */
  now?: () => number;
  /** IANA zone for schedules of CronJobs without spec.timeZone (default: the process's local zone, as upstream uses the controller manager's). */
  localTimeZone?: string;
}

/** meta/v1 Time text of ms since the epoch (seconds precision). */
const metaTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

interface ObjectReference { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; resourceVersion?: string }

/** The CronJob controller; register as `new CronJobController(client, informers)`. */
export class CronJobController extends QueueController {
  private readonly cronJobInformer: SharedIndexInformer<CronJob>;
  private readonly jobInformer: SharedIndexInformer<Job>;
  private readonly recorder: EventRecorder;
  private readonly now: () => number;

  constructor(private readonly client: Client, informers: SharedInformerFactory, private readonly opts: CronJobControllerOptions = {}) {
    super('cronjob', informers);
    this.now = opts.now ?? Date.now;
    this.recorder = createEventRecorder(client, { component: 'cronjob-controller' });
    this.cronJobInformer = informers.forResource<CronJob>(resources.cronjobs);
    this.jobInformer = informers.forResource<Job>(resources.jobs);
    this.jobInformer.addIndexers({ controllerUID: (j) => { const r = controllerRef(j); return r ? [r.uid] : []; } });
    this.cronJobInformer.addEventHandler({ onAdd: this.enqueue, onUpdate: (o, n) => this.onCronJobUpdate(o, n), onDelete: this.enqueue });
    this.jobInformer.addEventHandler({
      onAdd: (j) => this.enqueueOwner(j),
      onUpdate: (old, j) => { this.enqueueOwner(old); this.enqueueOwner(j); },
      onDelete: (o) => this.enqueueOwner(unwrapTombstone(o)),
    });
  }

  /**
   * A changed schedule or time zone requeues the CronJob for the new next schedule time
   * (an unparseable one is reported as UnParseableCronJobSchedule); any other change
   * requeues it now (upstream updateCronJob).
   */
  private onCronJobUpdate(old: CronJob, cur: CronJob): void {
    if (old.spec?.schedule === cur.spec?.schedule && old.spec?.timeZone === cur.spec?.timeZone) { this.enqueue(cur); return; }
    const key = `${cur.metadata.namespace}/${cur.metadata.name}`;
    let schedule: CronSchedule;
    try {
      const text: string = cur.spec?.schedule ?? '';
      const tz: string | undefined = cur.spec?.timeZone ?? undefined;
      schedule = parseCronSchedule(text, !text.includes('TZ') && tz !== undefined && isTimeZone(tz) ? tz : this.opts.localTimeZone);
    } catch {
      this.recorder.event({ ...cur, apiVersion: 'batch/v1', kind: 'CronJob' }, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cur.spec?.schedule}`);
      return;
    }
    const delay = nextScheduleDelay(cur, this.now(), schedule);
    this.queue.addAfter(key, Math.min(Math.max(delay ?? 0, 0), MAX_REQUEUE_MS));
  }

  private enqueueOwner(job: Job): void {
    const ref = controllerRef(job);
    if (ref?.kind === 'CronJob') this.queue.add(`${job.metadata.namespace}/${ref.name}`);
  }

  /** The Jobs in the CronJob's namespace whose controller reference is the CronJob. */
  private jobsOf(cj: CronJob): Job[] {
    return this.jobInformer.lister.list({ namespace: cj.metadata.namespace }).filter((j) => {
      const ref = controllerRef(j);
      return ref?.kind === 'CronJob' && ref.uid === cj.metadata.uid;
    });
  }

  protected async sync(key: string): Promise<void> {
    const cached = this.cronJobInformer.lister.get(key);
    if (!cached) return;
    const cj: CronJob = { ...structuredClone(cached), apiVersion: 'batch/v1', kind: 'CronJob' };
    cj.status ??= {};
    const jobs = this.jobsOf(cj);
    const before = JSON.stringify(cj.status);
    await this.cleanupFinishedJobs(cj, jobs);
    let requeueMs: number | undefined;
    let syncError: unknown;
    try { requeueMs = await this.syncCronJob(cj, jobs); } catch (e) { syncError = e; }
    if (JSON.stringify(cj.status) !== before) {
      if (!cj.status.active?.length) delete cj.status.active;
      await this.client.resource<CronJob>(resources.cronjobs).update(cj, { subresource: 'status' })
        .catch((e) => { if (!isNotFound(e)) throw e; });
    }
    if (requeueMs !== undefined) { this.queue.addAfter(key, Math.min(Math.max(requeueMs, 0), MAX_REQUEUE_MS)); return; }
    if (syncError) throw syncError;
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit (upstream cleanupFinishedJobs). */
  private async cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<void> {
    const spec = cj.spec ?? {};
    for (const job of jobsBeyondHistoryLimits(jobs.filter((j) => !j.metadata.deletionTimestamp), spec.successfulJobsHistoryLimit ?? undefined, spec.failedJobsHistoryLimit ?? undefined)) {
      await this.deleteJob(cj, job);
    }
  }

  /** Deletes `job` (Background propagation), drops it from status.active and records SuccessfulDelete; false (with FailedDelete) on error (upstream deleteJob). */
  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.client.resource<Job>(resources.jobs).delete(job.metadata.name!, { namespace: job.metadata.namespace, propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) {
        this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(e as Error).message}`);
        return false;
      }
    }
    this.removeActive(cj, job.metadata.uid);
    this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    return true;
  }

  private removeActive(cj: CronJob, uid: string | undefined): void {
    cj.status.active = ((cj.status.active ?? []) as ObjectReference[]).filter((r) => r.uid !== uid);
  }
  private isActive(cj: CronJob, uid: string | undefined): boolean {
    return ((cj.status.active ?? []) as ObjectReference[]).some((r) => r.uid === uid);
  }

  /**
   * One pass of upstream syncCronJob on `cj` (mutating its status): reconciles
   * status.active with the owned Jobs, then creates the Job owed for the most recent
   * unmet schedule time, if any. Returns the delay (ms) until the next look, undefined
   * when the CronJob needs no timed requeue (suspended, bad schedule, being deleted).
   */
  private async syncCronJob(cj: CronJob, jobs: Job[]): Promise<number | undefined> {
    const now = this.now();
    const jobsClient = this.client.resource<Job>(resources.jobs);
    const childUIDs = new Set<string>();
    for (const job of jobs) {
      childUIDs.add(job.metadata.uid!);
      const found = this.isActive(cj, job.metadata.uid);
      const condition = finishedCondition(job);
      if (!found && !condition) {
        // The cache may lag our own status write: look at the live CronJob first.
        const live = await this.client.resource<CronJob>(resources.cronjobs).get(cj.metadata.name!, { namespace: cj.metadata.namespace }).catch(() => undefined);
        if (live && ((live.status?.active ?? []) as ObjectReference[]).some((r) => r.uid === job.metadata.uid)) {
          cj.status.active = [...((cj.status.active ?? []) as ObjectReference[]), ...((live.status.active as ObjectReference[]).filter((r) => r.uid === job.metadata.uid))];
          continue;
        }
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata.name}`);
      } else if (found && condition) {
        this.removeActive(cj, job.metadata.uid);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${condition}`);
      }
      if (condition === 'Complete' && job.status?.completionTime) {
        const last = cj.status.lastSuccessfulTime ? Date.parse(cj.status.lastSuccessfulTime) : undefined;
        if (last === undefined || Date.parse(job.status.completionTime) > last) cj.status.lastSuccessfulTime = job.status.completionTime;
      }
    }
    // Active entries whose Job is gone (checked live: the cache may be behind).
    for (const ref of [...((cj.status.active ?? []) as ObjectReference[])]) {
      if (childUIDs.has(ref.uid!)) continue;
      try {
        await jobsClient.get(ref.name!, { namespace: ref.namespace ?? cj.metadata.namespace });
      } catch (e) {
        if (!isNotFound(e)) throw e;
        this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        this.removeActive(cj, ref.uid);
      }
    }
    if (cj.metadata.deletionTimestamp) return undefined;

    const timeZone: string | undefined = cj.spec?.timeZone ?? undefined;
    if (timeZone !== undefined && !isTimeZone(timeZone)) {
      this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${timeZone}": unknown time zone ${timeZone}`);
      return undefined;
    }
    if (cj.spec?.suspend) return undefined;

    const scheduleText: string = cj.spec?.schedule ?? '';
    let schedule: CronSchedule;
    try {
      if (scheduleText.includes('TZ')) {
        this.recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule "${scheduleText}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
        schedule = parseCronSchedule(scheduleText, this.opts.localTimeZone);
      } else {
        schedule = parseCronSchedule(scheduleText, timeZone ?? this.opts.localTimeZone);
      }
    } catch (e) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${scheduleText}" : ${(e as Error).message}`);
      return undefined;
    }

    const recent = mostRecentScheduleTime(cj, now, schedule, true);
    if (recent.error) {
      this.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${scheduleText} : ${recent.error}`);
      return undefined;
    }
    const next = () => nextScheduleDelay(cj, now, schedule);
    if (recent.mostRecent === undefined || recent.mostRecent > now) return next();
    if (recent.missed === 'many') {
      this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    const scheduled = recent.mostRecent;
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (typeof deadline === 'number' && scheduled + deadline * 1000 < now) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(scheduled).toUTCString().replace('GMT', '+0000')}`);
      return next();
    }
    const name = jobNameFor(cj.metadata.name!, scheduled);
    const alreadyProcessed = ((cj.status.active ?? []) as ObjectReference[]).some((r) => r.name === name)
      || (cj.status.lastScheduleTime && Date.parse(cj.status.lastScheduleTime) === scheduled);
    if (alreadyProcessed) return next();
    if (cj.spec?.concurrencyPolicy === 'Forbid' && (cj.status.active ?? []).length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return next();
    }
    if (cj.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...((cj.status.active ?? []) as ObjectReference[])]) {
        let job: Job;
        try { job = await jobsClient.get(ref.name!, { namespace: ref.namespace ?? cj.metadata.namespace }); } catch (e) {
          this.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${(e as Error).message}`);
          throw e;
        }
        if (!(await this.deleteJob(cj, job))) throw new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`);
      }
    }

    let created: Job;
    try {
      created = await jobsClient.create<Job>(this.jobFromTemplate(cj, scheduled), { namespace: cj.metadata.namespace });
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    } catch (e) {
      if (isAlreadyExists(e)) {
        created = await jobsClient.get(name, { namespace: cj.metadata.namespace });
        // Someone else's Job, or one we already track: nothing more to do.
        if (controllerRef(created)?.uid !== cj.metadata.uid || this.isActive(cj, created.metadata.uid)) return undefined;
      } else {
        const terminating = e instanceof StatusError && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
        if (!terminating) this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        throw e;
      }
    }
    cj.status.active = [...((cj.status.active ?? []) as ObjectReference[]), {
      kind: 'Job', namespace: created.metadata.namespace, name: created.metadata.name, uid: created.metadata.uid,
      apiVersion: 'batch/v1', resourceVersion: created.metadata.resourceVersion,
    }];
    cj.status.lastScheduleTime = metaTime(scheduled);
    return next();
  }

  /** The Job for `scheduled` (upstream getJobFromTemplate2): the template's labels, annotations and spec, the scheduled-timestamp annotation, a controller reference. */
  private jobFromTemplate(cj: CronJob, scheduled: number): Job {
    const template = cj.spec?.jobTemplate ?? {};
    return {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name: jobNameFor(cj.metadata.name!, scheduled),
        namespace: cj.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        annotations: { ...(template.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339InZone(scheduled, cj.spec?.timeZone ?? 'UTC') },
        ownerReferences: [ownerRefTo(cj, 'batch/v1', 'CronJob')],
      },
      spec: structuredClone(template.spec ?? {}),
    };
  }
}
