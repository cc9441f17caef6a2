/**
 * TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): deletes a
 * Job `spec.ttlSecondsAfterFinished` seconds after it finished. The finish time is
 * the `lastTransitionTime` of its True `Complete` or `Failed` condition. A Job not yet
 * expired is requeued for the exact expiry; an expired one is read again from the
 * apiserver (the cache may be old, the TTL may have been changed) and deleted with
 * propagationPolicy Background and a resourceVersion precondition, so the garbage
 * collector removes its pods.
 */
import type { Job } from '../../api/batch/v1/job.js';
import { isConflict, isNotFound } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedInformerFactory, SharedIndexInformer } from '../../client/informers/types.js';
import { splitMetaNamespaceKey } from '../../client/informers/types.js';
import { QueueController } from '../controller.js';
import { finishedCondition } from '../job/controller.js';

/** Options for tests: the clock (ms since epoch). */
export interface TTLAfterFinishedOptions { now?: () => number }

/**
 * When (ms since epoch) a Job may be deleted, or undefined when it never will be as
 * it stands: no TTL, not finished, already being deleted, or no finish time.
 */
export function jobExpiry(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return undefined;
  const at = Date.parse(finishedCondition(job)?.lastTransitionTime ?? '');
  return Number.isNaN(at) ? undefined : at + ttl * 1000;
}

/** The TTL-after-finished controller; register as `ttl-after-finished`. */
export class TTLAfterFinishedController extends QueueController {
  private readonly jobInformer: SharedIndexInformer<Job>;
  private readonly now: () => number;

  constructor(private readonly client: Client, informers: SharedInformerFactory, opts: TTLAfterFinishedOptions = {}) {
    super('ttl-after-finished', informers);
    this.now = opts.now ?? Date.now;
    this.jobInformer = informers.forResource<Job>(resources.jobs);
    const maybeEnqueue = (job: Job): void => { if (jobExpiry(job) !== undefined) this.enqueue(job); };
    this.jobInformer.addEventHandler({ onAdd: maybeEnqueue, onUpdate: (_o, n) => maybeEnqueue(n) });
  }

  protected async sync(key: string): Promise<void> {
    const cached = this.jobInformer.lister.get(key);
    if (!cached) return;
    const expiry = jobExpiry(cached);
    if (expiry === undefined) return;
    const left = expiry - this.now();
    if (left > 0) { this.queue.addAfter(key, left); return; }

    const { namespace, name } = splitMetaNamespaceKey(key);
    const jobs = this.client.resource<Job>(resources.jobs);
    let fresh: Job;
    try { fresh = await jobs.get(name, { namespace }); } catch (e) { if (isNotFound(e)) return; throw e; }
    const freshExpiry = jobExpiry(fresh);
    if (freshExpiry === undefined) return;
    if (freshExpiry > this.now()) { this.queue.addAfter(key, freshExpiry - this.now()); return; }
    try {
      await jobs.delete(name, { namespace, propagationPolicy: 'Background', preconditions: { resourceVersion: fresh.metadata.resourceVersion } });
    } catch (e) {
      if (isNotFound(e)) return;
      // Changed since the read: look again.
      if (isConflict(e)) { this.queue.add(key); return; }
      throw e;
    }
  }
}
