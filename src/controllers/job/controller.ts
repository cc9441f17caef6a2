/**
 * Job controller (upstream pkg/controller/job/job_controller.go, API v1.32): runs a
 * Job's pods to completion. Per sync it reads the Job and the pods it controls
 * (by controller reference), then
 *  - for a finished Job (Complete/Failed) only releases the pods' tracking finalizers;
 *  - records newly finished pods in `status.uncountedTerminatedPods`, removes their
 *    `batch.kubernetes.io/job-tracking` finalizer, then moves them into
 *    `succeeded`/`failed` (tracking.ts);
 *  - on `suspend` deletes the active pods and sets `Suspended`; on resume resets
 *    `startTime` and flips `Suspended` to False;
 *  - detects failure: a pod failure policy FailJob rule, more failed pods than
 *    `backoffLimit` (or, with restartPolicy OnFailure, as many container restarts),
 *    `activeDeadlineSeconds` passed, more failed indexes than `maxFailedIndexes`, or
 *    every index done with some failed (`backoffLimitPerIndex`, FailIndex) — sets `FailureTarget`,
 *    deletes the active pods (counted as failed), and adds `Failed` once none is
 *    left and every finished pod is counted;
 *  - detects success (enough successful pods, or indexes) — deletes what still runs
 *    and sets `Complete` and `completionTime` once every finished pod is counted;
 *  - otherwise keeps `min(parallelism, remaining)` pods active, creating them from
 *    the template (after the failure back-off) or deleting the surplus; Indexed pods
 *    with `backoffLimitPerIndex` carry their index's failure counts (indexed.ts);
 *  - writes status (active, ready, terminating, succeeded, failed, completedIndexes,
 *    failedIndexes, uncountedTerminatedPods, startTime, completionTime, conditions).
 * Pods the controller deletes itself (surplus, suspension) lose their finalizer first
 * and are not counted, as upstream.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Job } from '../../api/batch/v1/job.js';
import { isNotFound } from '../../machinery/errors.js';
import { rfc3339 } from '../../machinery/time.js';
import { resources, type Client } from '../../client/interface.js';
import { type SharedInformerFactory, type SharedIndexInformer, metaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { controllerRef, QueueController } from '../controller.js';
import { Expectations } from '../expectations.js';
import { isPodReady, ownerRefTo, podFromTemplate, rankForDeletion } from '../pod-util.js';
import { type BackoffRecord, DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS, remainingBackoff } from './backoff.js';
import { completionIndexOf, exceedsBackoffLimitPerIndex, formatIndexes, INDEX_FAILURE_COUNT_ANNOTATION, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION, nextIndexFailureCounts, parseIndexes, setCompletionIndex } from './indexed.js';
import { matchPodFailurePolicy, type PodFailurePolicyMatch } from './pod-failure-policy.js';
import { JOB_TRACKING_FINALIZER, hasTrackingFinalizer, isPodConsideredFailed, readUncounted, removeTrackingFinalizerPatch, writeUncounted } from './tracking.js';

/** Most pods created or deleted for one Job in one sync (upstream MaxPodCreateDeletePerSync). */
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Queue keys of pods whose tracking finalizer must go because their Job is gone (namespaces cannot contain ':'). */
const ORPHAN_POD_PREFIX = 'orphan-pod:';

/** A Job condition (batch/v1 JobCondition). */
export interface JobCondition { type: string; status: 'True' | 'False' | 'Unknown'; lastProbeTime?: string; lastTransitionTime?: string; reason?: string; message?: string }

/** Options for tests: a clock (ms since epoch) and the failure back-off base/cap (ms). */
export interface JobControllerOptions { now?: () => number; podFailureBackoffMs?: number; maxPodFailureBackoffMs?: number }

/** The Complete or Failed condition that is True, if the Job finished (upstream IsJobFinished). */
export function finishedCondition(job: Job): JobCondition | undefined {
  return (job.status?.conditions as JobCondition[] | undefined)?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const hasCondition = (job: Job, type: string) => (job.status?.conditions as JobCondition[] | undefined)?.find((c) => c.type === type && c.status === 'True');

/** Latest container finish time of a terminal pod (ms), if it reports one. */
function podFinishedAt(p: Pod): number | undefined {
  const times = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]
    .map((c) => Date.parse(c.state?.terminated?.finishedAt ?? '')).filter((t) => !Number.isNaN(t));
  return times.length ? Math.max(...times) : undefined;
}

/** The Job controller; register as `job`. */
export class JobController extends QueueController {
  private readonly jobInformer: SharedIndexInformer<Job>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly expectations = new Expectations();
  private readonly recorder: EventRecorder;
  private readonly now: () => number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  /** Per Job key: the failure back-off record and the terminal pods already folded into it. */
  private readonly backoff = new Map<string, BackoffRecord & { seen: Set<string> }>();
  /** Per Job key: resourceVersions this controller wrote status over; a cached Job still at one of them is stale. */
  private readonly overwritten = new Map<string, Set<string>>();

  constructor(private readonly client: Client, informers: SharedInformerFactory, opts: JobControllerOptions = {}) {
    super('job', informers);
    this.now = opts.now ?? Date.now;
    this.backoffBaseMs = opts.podFailureBackoffMs ?? DEFAULT_POD_FAILURE_BACKOFF_MS;
    this.backoffMaxMs = opts.maxPodFailureBackoffMs ?? MAX_POD_FAILURE_BACKOFF_MS;
    this.recorder = createEventRecorder(client, { component: 'job-controller' });
    this.jobInformer = informers.forResource<Job>(resources.jobs);
    this.podInformer = informers.forResource<Pod>(resources.pods);
    this.podInformer.addIndexers({ jobControllerUID: (p) => { const r = controllerRef(p); return r?.kind === 'Job' ? [r.uid] : []; } });
    this.jobInformer.addEventHandler({
      onAdd: this.enqueue,
      onUpdate: (_o, n) => this.enqueue(n),
      onDelete: (o) => {
        this.enqueue(o);
        // Its pods keep the tracking finalizer until released here.
        const job = unwrapTombstone(o);
        for (const p of this.podInformer.lister.byIndex('jobControllerUID', job.metadata.uid!)) if (hasTrackingFinalizer(p)) this.queue.add(ORPHAN_POD_PREFIX + metaNamespaceKey(p));
      },
    });
    const onPod = (p: Pod): void => {
      const j = this.ownerOf(p);
      if (j) this.enqueue(j);
      else if (hasTrackingFinalizer(p)) this.queue.add(ORPHAN_POD_PREFIX + metaNamespaceKey(p));
    };
    this.podInformer.addEventHandler({
      onAdd: (p) => { const j = this.ownerOf(p); if (j) this.expectations.creationObserved(metaNamespaceKey(j)); onPod(p); },
      onUpdate: (old, p) => {
        const j = this.ownerOf(p);
        if (j && p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.expectations.deletionObserved(metaNamespaceKey(j));
        onPod(p);
      },
      onDelete: (o) => {
        const p = unwrapTombstone(o);
        const j = this.ownerOf(p);
        if (j) { if (!p.metadata.deletionTimestamp) this.expectations.deletionObserved(metaNamespaceKey(j)); this.enqueue(j); }
      },
    });
  }

  private ownerOf(p: Pod): Job | undefined {
    const ref = controllerRef(p);
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.jobInformer.lister.get(`${p.metadata.namespace}/${ref.name}`);
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  protected async sync(key: string): Promise<void> {
    if (key.startsWith(ORPHAN_POD_PREFIX)) return this.syncOrphanPod(key.slice(ORPHAN_POD_PREFIX.length));
    const job = this.jobInformer.lister.get(key);
    if (!job) { this.expectations.delete(key); this.backoff.delete(key); this.overwritten.delete(key); return; }
    // Our last status write is not in the cache yet: its update event will bring the key back.
    if (this.overwritten.get(key)?.has(job.metadata.resourceVersion!)) return;
    this.overwritten.delete(key);
    const namespace = job.metadata.namespace!;
    const pods = this.podInformer.lister.byIndex('jobControllerUID', job.metadata.uid!).filter((p) => p.metadata.namespace === namespace);
    if (finishedCondition(job) || job.metadata.deletionTimestamp) {
      await this.removeTrackingFinalizers(pods.filter(hasTrackingFinalizer));
      return;
    }
    // Pods created or deleted but not yet seen: the cache would lie about active pods.
    if (!this.expectations.satisfied(key)) return;

    const now = this.now();
    const spec = job.spec ?? {};
    const indexed = spec.completionMode === 'Indexed';
    const completions: number | undefined = spec.completions ?? undefined;
    const parallelism: number = spec.parallelism ?? 1;

    const active = pods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
    const terminating = pods.filter((p) => !isTerminal(p) && p.metadata.deletionTimestamp);
    const succeededPods = pods.filter((p) => p.status?.phase === 'Succeeded');

    // Tracking: finished pods still holding the finalizer get recorded as uncounted.
    const uncounted = readUncounted(job);
    const toFinalize: Pod[] = [];
    let newlyUncounted = false;
    for (const p of pods) {
      if (!hasTrackingFinalizer(p)) continue;
      const uid = p.metadata.uid!;
      if (uncounted.succeeded.has(uid) || uncounted.failed.has(uid)) { toFinalize.push(p); continue; }
      if (p.status?.phase === 'Succeeded') { uncounted.succeeded.add(uid); newlyUncounted = true; toFinalize.push(p); }
      else if (isPodConsideredFailed(p, job)) {
        toFinalize.push(p);
        if (p.status?.phase === 'Failed' && matchPodFailurePolicy(spec.podFailurePolicy, p)?.action === 'Ignore') continue;
        uncounted.failed.add(uid); newlyUncounted = true;
      }
    }

    // What the pod failure policy says about the Failed pods still around.
    let failJob: PodFailurePolicyMatch | undefined;
    const failedIndexes = indexed ? parseIndexes(job.status?.failedIndexes, completions!) : new Set<number>();
    const perIndexLimit: number | undefined = indexed ? spec.backoffLimitPerIndex ?? undefined : undefined;
    /** Per index, its latest Failed pod and whether the policy ignored that failure (for the replacement's counts). */
    const lastFailed = new Map<number, { pod: Pod; ignored: boolean }>();
    for (const p of pods) {
      if (p.status?.phase !== 'Failed') continue;
      const m = matchPodFailurePolicy(spec.podFailurePolicy, p);
      if (m?.action === 'FailJob') failJob ??= m;
      const i = indexed ? completionIndexOf(p, completions!) : undefined;
      if (i === undefined) continue;
      if (m?.action === 'FailIndex') failedIndexes.add(i);
      else if (perIndexLimit !== undefined && m?.action !== 'Ignore' && exceedsBackoffLimitPerIndex(p, perIndexLimit)) failedIndexes.add(i);
      const prev = lastFailed.get(i);
      if (!prev || (Date.parse(prev.pod.metadata.creationTimestamp ?? '') || 0) <= (Date.parse(p.metadata.creationTimestamp ?? '') || 0)) lastFailed.set(i, { pod: p, ignored: m?.action === 'Ignore' });
    }
    this.observeBackoff(key, pods, now);

    const succeededIndexes = new Set<number>();
    if (indexed) {
      for (const i of parseIndexes(job.status?.completedIndexes, completions!)) succeededIndexes.add(i);
      for (const p of succeededPods) { const i = completionIndexOf(p, completions!); if (i !== undefined) succeededIndexes.add(i); }
    }
    let succeeded: number = (job.status?.succeeded ?? 0) + uncounted.succeeded.size;
    let failed: number = (job.status?.failed ?? 0) + uncounted.failed.size;

    const status: Record<string, any> = structuredClone(job.status ?? {});
    const conditions: JobCondition[] = status.conditions ?? [];
    const events: Array<[type: 'Normal' | 'Warning', reason: string, message: string]> = [];
    const setCondition = (type: string, cstatus: JobCondition['status'], reason: string, message: string): boolean => {
      const c = conditions.find((x) => x.type === type);
      const t = rfc3339(new Date(now));
      if (c && c.status === cstatus && c.reason === reason && c.message === message) return false;
      if (c) Object.assign(c, { status: cstatus, reason, message, lastProbeTime: t, ...(c.status !== cstatus ? { lastTransitionTime: t } : {}) });
      else conditions.push({ type, status: cstatus, lastProbeTime: t, lastTransitionTime: t, reason, message });
      return true;
    };

    const suspended = spec.suspend === true;
    const wasSuspended = conditions.find((c) => c.type === 'Suspended')?.status === 'True';
    const toDelete: Pod[] = [];
    const toCreate: Array<number | undefined> = [];
    let requeueAfter: number | undefined;

    // Failure first: once FailureTarget is set, it stays.
    let failure = hasCondition(job, 'FailureTarget') as JobCondition | undefined;
    if (!failure) {
      let reason: string | undefined; let message: string | undefined;
      if (failJob) { reason = 'PodFailurePolicy'; message = failJob.message; }
      // With backoffLimitPerIndex upstream defaults backoffLimit to MaxInt32; the API here defaults it to 6 regardless, so it is not applied then.
      else if ((perIndexLimit === undefined && failed > (spec.backoffLimit ?? 6)) || this.pastBackoffLimitOnFailure(job, active)) { reason = 'BackoffLimitExceeded'; message = 'Job has reached the specified backoff limit'; }
      else if (!suspended && this.pastActiveDeadline(job, now)) { reason = 'DeadlineExceeded'; message = 'Job was active longer than specified deadline'; }
      else if (indexed && spec.maxFailedIndexes !== undefined && spec.maxFailedIndexes !== null && failedIndexes.size > spec.maxFailedIndexes) { reason = 'MaxFailedIndexesExceeded'; message = 'Job has exceeded the specified maximal number of failed indexes'; }
      else if (indexed && failedIndexes.size > 0 && failedIndexes.size + [...succeededIndexes].filter((i) => !failedIndexes.has(i)).length >= completions!) { reason = 'FailedIndexes'; message = 'Job has failed indexes'; }
      if (reason) { setCondition('FailureTarget', 'True', reason, message!); failure = { type: 'FailureTarget', status: 'True', reason, message }; }
    }

    let complete = false;
    if (failure) {
      // A failing Job's running pods count as failed.
      for (const p of active) if (hasTrackingFinalizer(p) && !uncounted.failed.has(p.metadata.uid!)) { uncounted.failed.add(p.metadata.uid!); newlyUncounted = true; failed++; }
      toDelete.push(...active);
    } else if (suspended) {
      toDelete.push(...active);
      if (setCondition('Suspended', 'True', 'JobSuspended', 'Job suspended')) events.push(['Normal', 'Suspended', 'Job suspended']);
    } else {
      if (wasSuspended) {
        setCondition('Suspended', 'False', 'JobResumed', 'Job resumed');
        events.push(['Normal', 'Resumed', 'Job resumed']);
        status.startTime = rfc3339(new Date(now));
      }
      status.startTime ??= rfc3339(new Date(now));
      if (indexed) complete = succeededIndexes.size >= completions!;
      else if (completions === undefined) complete = succeeded > 0 && active.length === 0;
      else complete = succeeded >= completions;

      if (complete) {
        toDelete.push(...active);
      } else {
        this.planPods(job, active, terminating, succeeded, succeededIndexes, failedIndexes, toDelete, toCreate);
        if (toCreate.length) {
          const wait = remainingBackoff(this.backoff.get(key), now, this.backoffBaseMs, this.backoffMaxMs);
          if (wait > 0) { toCreate.length = 0; requeueAfter = wait; }
        }
        // Requeue at the deadline.
        if (spec.activeDeadlineSeconds && status.startTime) {
          const left = Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - now;
          requeueAfter = Math.min(requeueAfter ?? Infinity, Math.max(left, 0));
        }
      }
    }
    toDelete.splice(MAX_POD_CREATE_DELETE_PER_SYNC);
    toCreate.splice(MAX_POD_CREATE_DELETE_PER_SYNC);

    const deleted = new Set(toDelete.map((p) => p.metadata.uid));
    const setCount = (field: string, n: number) => { if (n > 0) status[field] = n; else delete status[field]; };
    setCount('active', active.length - toDelete.length + toCreate.length);
    status.ready = active.filter((p) => !deleted.has(p.metadata.uid) && isPodReady(p)).length;
    status.terminating = terminating.length + toDelete.filter((p) => p.spec?.nodeName).length;
    if (indexed) {
      const ci = formatIndexes(succeededIndexes);
      if (ci) status.completedIndexes = ci; else delete status.completedIndexes;
      // failedIndexes is reported with backoffLimitPerIndex (also empty), else only when a FailIndex rule hit.
      const fi = formatIndexes(failedIndexes);
      if (fi || perIndexLimit !== undefined) status.failedIndexes = fi; else delete status.failedIndexes;
    }
    const counted = () => {
      setCount('succeeded', succeeded - uncounted.succeeded.size);
      setCount('failed', failed - uncounted.failed.size);
      status.uncountedTerminatedPods = writeUncounted(uncounted);
    };
    counted();

    // 1. Record newly finished pods before their finalizers go.
    let current = job;
    if (conditions.length) status.conditions = conditions;
    if (newlyUncounted) current = await this.writeStatus(current, status);

    if (toDelete.length || toCreate.length) this.expectations.expect(key, toCreate.length, toDelete.length);
    await this.deletePods(job, toDelete);
    await this.createPods(job, toCreate, perIndexLimit === undefined ? undefined : (i) => nextIndexFailureCounts(lastFailed.get(i)?.pod, lastFailed.get(i)?.ignored ?? false));

    // 2. Release the recorded pods; 3. count those released (or gone).
    const released = await this.removeTrackingFinalizers(toFinalize);
    const present = new Map(pods.map((p) => [p.metadata.uid!, p]));
    for (const set of [uncounted.succeeded, uncounted.failed]) {
      for (const uid of set) {
        const p = present.get(uid);
        if (!p || !hasTrackingFinalizer(p) || released.has(uid) || (deleted.has(uid) && set === uncounted.failed)) set.delete(uid);
      }
    }
    counted();

    // Terminal conditions only once nothing runs and every finished pod is counted.
    const allCounted = uncounted.succeeded.size === 0 && uncounted.failed.size === 0;
    if (failure && allCounted && active.length - toDelete.length === 0 && terminating.length === 0 && toDelete.every((p) => !p.spec?.nodeName)) {
      setCondition('Failed', 'True', failure.reason!, failure.message!);
      events.push(['Warning', failure.reason!, failure.message!]);
    }
    if (complete && allCounted && setCondition('Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods')) {
      status.completionTime = rfc3339(new Date(now));
      events.push(['Normal', 'Completed', 'Job completed']);
    }
    if (conditions.length) status.conditions = conditions;
    await this.writeStatus(current, status);
    for (const [type, reason, message] of events) this.recorder.event(job, type, reason, message);
    if (requeueAfter !== undefined) this.queue.addAfter(key, Math.max(requeueAfter, 1));
  }

  /**
   * Which pods to create (indexes for Indexed, `undefined` entries otherwise) and which
   * active ones to delete so that min(parallelism, remaining) stay active. Pods being
   * deleted count as active only with podReplacementPolicy Failed.
   */
  private planPods(job: Job, active: Pod[], terminating: Pod[], succeeded: number, succeededIndexes: Set<number>, failedIndexes: Set<number>, toDelete: Pod[], toCreate: Array<number | undefined>): void {
    const spec = job.spec ?? {};
    const completions: number | undefined = spec.completions ?? undefined;
    const parallelism: number = spec.parallelism ?? 1;
    const waitForTerminating = spec.podReplacementPolicy === 'Failed';
    if (spec.completionMode === 'Indexed') {
      const byIndex = new Map<number, Pod[]>();
      for (const p of active) {
        const i = completionIndexOf(p, completions!);
        // Pods without a valid index, for a finished index, or duplicates: surplus.
        if (i === undefined || succeededIndexes.has(i) || failedIndexes.has(i)) { toDelete.push(p); continue; }
        byIndex.set(i, [...(byIndex.get(i) ?? []), p]);
      }
      for (const list of byIndex.values()) toDelete.push(...rankForDeletion(list).slice(0, list.length - 1));
      const busy = new Set(byIndex.keys());
      if (waitForTerminating) for (const p of terminating) { const i = completionIndexOf(p, completions!); if (i !== undefined) busy.add(i); }
      let room = parallelism - byIndex.size - (waitForTerminating ? terminating.length : 0);
      for (let i = 0; i < completions! && room > 0; i++) {
        if (succeededIndexes.has(i) || failedIndexes.has(i) || busy.has(i)) continue;
        toCreate.push(i); room--;
      }
      return;
    }
    // Without completions, after a first success whatever still runs keeps running, but nothing new starts.
    const want = completions === undefined ? (succeeded > 0 ? active.length : parallelism) : Math.max(0, Math.min(parallelism, completions - succeeded));
    const diff = active.length + (waitForTerminating ? terminating.length : 0) - want;
    if (diff > 0) toDelete.push(...rankForDeletion(active).slice(0, Math.min(diff, active.length)));
    else for (let n = 0; n < -diff; n++) toCreate.push(undefined);
  }

  /** Folds newly seen terminal pods into the Job's back-off record: a failure counts up, a success resets. */
  private observeBackoff(key: string, pods: Pod[], now: number): void {
    let rec = this.backoff.get(key);
    if (!rec) { rec = { failuresAfterLastSuccess: 0, lastFailureTime: 0, seen: new Set() }; this.backoff.set(key, rec); }
    const fresh = pods.filter((p) => isTerminal(p) && !rec!.seen.has(p.metadata.uid!))
      .map((p) => ({ p, at: Math.min(now, podFinishedAt(p) ?? now) }))
      .sort((a, b) => a.at - b.at);
    for (const { p, at } of fresh) {
      rec.seen.add(p.metadata.uid!);
      // Reported finish times have second precision: one seen just now counts from now.
      const t = now - at < 2000 ? now : at;
      if (p.status?.phase === 'Succeeded') rec.failuresAfterLastSuccess = 0;
      else { rec.failuresAfterLastSuccess++; rec.lastFailureTime = Math.max(rec.lastFailureTime, t); }
    }
  }

  /** restartPolicy OnFailure: container restarts of the active pods reach backoffLimit (upstream pastBackoffLimitOnFailure). */
  private pastBackoffLimitOnFailure(job: Job, active: Pod[]): boolean {
    if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
    const limit = job.spec?.backoffLimit ?? 6;
    let restarts = 0;
    for (const p of active) for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
    return limit === 0 ? restarts > 0 : restarts >= limit;
  }

  /** `activeDeadlineSeconds` counted from `status.startTime` has passed at `now`. */
  private pastActiveDeadline(job: Job, now: number): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    const start = job.status?.startTime;
    if (!ads || !start) return false;
    return now >= Date.parse(start) + ads * 1000;
  }

  /** A pod whose Job is gone (or was replaced by one with another uid) loses the tracking finalizer. */
  private async syncOrphanPod(podKey: string): Promise<void> {
    const pod = this.podInformer.lister.get(podKey);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerRef(pod);
    if (ref?.kind === 'Job') {
      if (this.ownerOf(pod)) return;
      // The cache may be behind: ask the apiserver before letting go.
      const live = await this.client.resource<Job>(resources.jobs).get(ref.name, { namespace: pod.metadata.namespace }).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
      if (live?.metadata.uid === ref.uid) { this.enqueue(live); return; }
    }
    await this.removeTrackingFinalizers([pod]);
  }

  /** Removes the tracking finalizer from each pod; returns the uids done (pods already gone count as done). */
  private async removeTrackingFinalizers(victims: Pod[]): Promise<Set<string>> {
    const done = new Set<string>();
    const pods = this.client.resource<Pod>(resources.pods);
    const results = await Promise.allSettled(victims.map(async (p) => {
      try {
        await pods.patch(p.metadata.name!, removeTrackingFinalizerPatch(p), 'application/strategic-merge-patch+json', { namespace: p.metadata.namespace });
      } catch (e) { if (!isNotFound(e)) throw e; }
      done.add(p.metadata.uid!);
    }));
    const failedPatch = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failedPatch && done.size === 0) throw failedPatch.reason;
    return done;
  }

  /** Creates one pod per entry (an index, or undefined for NonIndexed); `failureCounts` gives an index's per-index failure annotations. */
  private async createPods(job: Job, indexes: Array<number | undefined>, failureCounts?: (index: number) => { failures: number; ignoredFailures: number }): Promise<void> {
    if (!indexes.length) return;
    const key = metaNamespaceKey(job);
    const namespace = job.metadata.namespace!;
    const name = job.metadata.name!;
    const pods = this.client.resource<Pod>(resources.pods);
    const make = (index: number | undefined): Pod => {
      const pod = podFromTemplate(job.spec.template, namespace, index === undefined ? `${name}-` : `${name}-${index}-`, ownerRefTo(job, 'batch/v1', 'Job'));
      pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER];
      if (index === undefined) return pod;
      if (failureCounts) {
        const c = failureCounts(index);
        pod.metadata.annotations = { ...pod.metadata.annotations, [INDEX_FAILURE_COUNT_ANNOTATION]: `${c.failures}`, ...(c.ignoredFailures ? { [INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]: `${c.ignoredFailures}` } : {}) };
      }
      return setCompletionIndex(pod, name, index);
    };
    let done = 0;
    // Slow start (1, 2, 4, …) so a broken template does not flood the apiserver.
    for (let batch = 1; done < indexes.length; batch *= 2) {
      const chunk = indexes.slice(done, done + batch);
      const results = await Promise.allSettled(chunk.map((i) => pods.create<Pod>(make(i), { namespace })));
      done += chunk.length;
      for (const r of results) {
        if (r.status === 'fulfilled') this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        else { this.expectations.creationObserved(key); this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(r.reason as Error).message}`); }
      }
      const failedCreate = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
      if (failedCreate) { for (let i = done; i < indexes.length; i++) this.expectations.creationObserved(key); throw failedCreate.reason; }
    }
  }

  /** Deletes pods, each after removing its tracking finalizer (upstream deleteJobPods). */
  private async deletePods(job: Job, victims: Pod[]): Promise<void> {
    if (!victims.length) return;
    const key = metaNamespaceKey(job);
    const pods = this.client.resource<Pod>(resources.pods);
    await Promise.all(victims.map(async (p) => {
      try {
        if (hasTrackingFinalizer(p)) await pods.patch(p.metadata.name!, removeTrackingFinalizerPatch(p), 'application/strategic-merge-patch+json', { namespace: p.metadata.namespace });
        await pods.delete(p.metadata.name!, { namespace: p.metadata.namespace, preconditions: { uid: p.metadata.uid } });
        this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      } catch (e) {
        this.expectations.deletionObserved(key);
        if (!isNotFound(e)) { this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`); throw e; }
      }
    }));
  }

  /** Writes `status` over `job` through jobs/status when it differs; returns the Job as stored (or `job` when unchanged or gone). */
  private async writeStatus(job: Job, status: Record<string, any>): Promise<Job> {
    if (JSON.stringify(status) === JSON.stringify(job.status ?? {})) return job;
    try {
      const written = await this.client.resource<Job>(resources.jobs).update({ ...job, status: structuredClone(status) }, { subresource: 'status' });
      const key = metaNamespaceKey(job);
      const seen = this.overwritten.get(key) ?? new Set<string>();
      seen.add(job.metadata.resourceVersion!);
      this.overwritten.set(key, seen);
      return written;
    } catch (e) { if (isNotFound(e)) return job; throw e; }
  }
}
