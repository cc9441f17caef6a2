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
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    try { await this.informers.waitForCacheSync(signal); } catch { return; }
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
  }

  private async worker(): Promise<void> {
    for (;;) {
      const item = await this.queue.get();
      if (item.shutdown) return;
      try {
        await this.sync(item.key);
        this.queue.forget(item.key);
      } catch (err) {
        // A conflict only means the cache was behind: retry quietly.
        if (!isConflict(err) && (this.queue.numRequeues(item.key) < 15 || this.queue.numRequeues(item.key) % 20 === 0)) {
          console.error(`${this.name}: sync ${item.key} failed: ${(err as Error)?.message ?? err}`);
        }
        this.queue.addRateLimited(item.key);
      } finally {
        this.queue.done(item.key);
      }
    }
  }
}

/** The controller owner reference of an object, if any. */
export const controllerRef = (obj: KubeObject) => obj.metadata.ownerReferences?.find((r) => r.controller);

