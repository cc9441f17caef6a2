/**
 * The base work queue (client-go util/workqueue/queue.go): FIFO of keys with a dirty set
 * (a key is queued at most once) and a processing set (a key is never handed to two
 * workers at once; one re-added while processing is queued again after done()).
 * With a metrics provider (metrics.ts) it reports depth, adds and durations under its name.
 */
import type { QueueMetrics, WorkQueueMetricsProvider } from './metrics.js';

/** Options of a queue: its name and where its metrics go (none: no metrics). */
export interface QueueOptions {
  /** The queue's name, the `name` label of its metrics. */
  name?: string;
  metricsProvider?: WorkQueueMetricsProvider;
}

export class Queue<K = string> {
  private readonly items: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private waiters: Array<() => void> = [];
  private shuttingDown = false;
  protected metrics: QueueMetrics<K> | undefined;

  constructor(opts: QueueOptions = {}) {
    if (opts.metricsProvider) this.setMetricsProvider(opts.metricsProvider, opts.name ?? '');
  }

  /**
   * Starts reporting metrics under `name` (upstream's named queue config); items already
   * queued count toward the depth. Replaces an earlier provider.
   */
  setMetricsProvider(provider: WorkQueueMetricsProvider, name: string): void {
    this.metrics = provider.newQueueMetrics<K>(name);
    for (const k of this.dirty) this.metrics.add(k);
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.metrics?.add(key);
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.items.push(key);
    this.waiters.shift()?.();
  }

  len(): number { return this.items.length; }

  async get(): Promise<{ key: K; shutdown: false } | { key: undefined; shutdown: true }> {
    while (this.items.length === 0) {
      if (this.shuttingDown) return { key: undefined, shutdown: true };
      await new Promise<void>((r) => this.waiters.push(r));
    }
    const key = this.items.shift()!;
    this.processing.add(key);
    this.dirty.delete(key);
    this.metrics?.get(key);
    return { key, shutdown: false };
  }

  done(key: K): void {
    this.metrics?.done(key);
    this.processing.delete(key);
    if (this.dirty.has(key)) { this.items.push(key); this.waiters.shift()?.(); }
  }

  shutDown(): void {
    this.shuttingDown = true;
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }

  get isShuttingDown(): boolean { return this.shuttingDown; }
}
