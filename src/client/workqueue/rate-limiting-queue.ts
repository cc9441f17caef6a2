/**
 * The rate-limiting layer (client-go rate_limiting_queue.go with the per-item
 * exponential failure limiter: 5 ms doubling to 1000 s).
 */
import type { WorkQueue } from '../informers/types.js';
import { DelayingQueue } from './delaying-queue.js';
import type { QueueOptions } from './queue.js';

export class RateLimitingQueue<K = string> extends DelayingQueue<K> implements WorkQueue<K> {
  private readonly failures = new Map<K, number>();
  constructor(private readonly baseMs = 5, private readonly maxMs = 1_000_000, opts: QueueOptions = {}) { super(opts); }

  addRateLimited(key: K): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.maxMs, this.baseMs * 2 ** n));
  }
  forget(key: K): void { this.failures.delete(key); }
  numRequeues(key: K): number { return this.failures.get(key) ?? 0; }
}

/** A new rate-limiting queue; with `metricsProvider` it reports workqueue_* metrics under `name` (metrics.ts). */
export const createRateLimitingQueue = <K = string>(opts: { baseDelayMs?: number; maxDelayMs?: number } & QueueOptions = {}): WorkQueue<K> =>
  new RateLimitingQueue<K>(opts.baseDelayMs, opts.maxDelayMs, opts);
