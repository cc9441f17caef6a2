/**
 * The shape every controller shares (upstream pkg/controller/*): handlers enqueue
 * `namespace/name` keys; `run` waits for the caches, then N workers take keys and call
 * `sync(key)`: forget on success, requeue rate-limited on error, always done().
 */
import type { KubeObject } from '../api/object.js';
import type { SharedInformerFactory, WorkQueue } from '../client/informers/types.js';
import { metaNamespaceKey } from '../client/informers/types.js';
import { RateLimitingQueue } from '../client/workqueue/rate-limiting-queue.js';
import { unwrapTombstone } from '../client/informers/shared-informer.js';
import { isConflict } from '../machinery/errors.js';
import { onAbort } from '../machinery/time.js';

export interface Controller {
  readonly name: string;
  run(signal: AbortSignal, workers: number): Promise<void>;
}

/** Base with the queue/worker loop; subclasses implement sync(key). */
export abstract class QueueController implements Controller {
  /** Its work queue; the controller manager names it after the controller for its metrics. */
  readonly queue: WorkQueue<string> & Pick<RateLimitingQueue<string>, 'setMetricsProvider'> = new RateLimitingQueue<string>();
  constructor(readonly name: string, protected readonly informers: SharedInformerFactory) {}

  /** Reconciles one key; throw to retry with backoff. */
  protected abstract sync(key: string): Promise<void>;

  enqueue = (obj: KubeObject | { key: string; obj: KubeObject; tombstone: true }): void => {
    this.queue.add(metaNamespaceKey(unwrapTombstone(obj as never)));
  };

  async run(signal: AbortSignal, workers: number): Promise<void> {
    await this.runQueue(signal, this.queue, (key) => this.sync(key), workers);
  }

  /**
   * Runs `workers` loops over `queue` with `sync` until `signal` aborts (which shuts the
   * queue down): waits for the informer caches first, then see {@link processQueue}. For a
   * controller's own queue (run) and any second queue it keeps (upstream runs each
   * queue's workers with `wait.UntilWithContext`).
   */
  protected async runQueue(signal: AbortSignal, queue: WorkQueue<string>, sync: (key: string) => Promise<void>, workers: number, opts: QueueWorkerOptions = {}): Promise<void> {
    onAbort(signal, () => queue.shutDown());
    try { await this.informers.waitForCacheSync(signal); } catch { return; }
    const label = opts.label ? `${this.name} ${opts.label}` : this.name;
    await Promise.all(Array.from({ length: workers }, () => processQueue(queue, sync, { ...opts, label })));
  }
}

/** Options for {@link processQueue}. */
export interface QueueWorkerOptions {
  /** Prefix of the failure log lines (default: none). */
  label?: string;
  /** Errors after which the key is dropped rather than retried, e.g. the object is gone (default: none). */
  drop?: (err: unknown) => boolean;
}

/**
 * One worker loop (upstream processNextWorkItem): takes keys from `queue` until it is shut
 * down and drained, calls `sync(key)`; on success forgets the key's backoff, on error
 * requeues it rate-limited (unless `opts.drop(err)`, then forgets it), always done().
 * Conflicts (a cache behind the server) are retried without logging; other failures are
 * logged for the first 15 retries of a key, then every 20th.
 */
export async function processQueue(queue: WorkQueue<string>, sync: (key: string) => Promise<void>, opts: QueueWorkerOptions = {}): Promise<void> {
  for (;;) {
    const item = await queue.get();
    if (item.shutdown) return;
    try {
      await sync(item.key);
      queue.forget(item.key);
    } catch (err) {
      if (opts.drop?.(err)) {
        queue.forget(item.key);
      } else {
        const n = queue.numRequeues(item.key);
        if (!isConflict(err) && (n < 15 || n % 20 === 0)) console.error(`${opts.label ?? 'controller'}: sync ${item.key} failed: ${(err as Error)?.message ?? err}`);
        queue.addRateLimited(item.key);
      }
    } finally {
      queue.done(item.key);
    }
  }
}

/** The controller owner reference of an object, if any. */
export const controllerRef = (obj: KubeObject) => obj.metadata.ownerReferences?.find((r) => r.controller);

