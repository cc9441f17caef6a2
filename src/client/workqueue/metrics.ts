/**
 * Work queue metrics (client-go util/workqueue/metrics.go — the queueMetrics hooks and
 * the MetricsProvider — with the Prometheus provider of
 * k8s.io/component-base/metrics/prometheus/workqueue). Every series carries
 * `name` = the queue's name (the controller's):
 *   workqueue_depth                              gauge, items waiting (dirty, not yet handed out);
 *   workqueue_adds_total                         counter, adds that queued an item;
 *   workqueue_queue_duration_seconds             histogram, add → get;
 *   workqueue_work_duration_seconds              histogram, get → done;
 *   workqueue_retries_total                      counter, delayed/rate-limited re-adds;
 *   workqueue_unfinished_work_seconds            gauge, summed age of items being processed;
 *   workqueue_longest_running_processor_seconds  gauge, age of the oldest item being processed.
 * Histogram buckets are upstream's: 1e-8 s × 10^0..9. The two "unfinished" gauges are
 * computed at scrape time (upstream refreshes them every 500 ms). A queue without a
 * provider keeps no metrics at all (one undefined check per operation).
 */
import client from 'prom-client';

/** The hooks a queue calls (upstream queueMetrics). Keys are compared with ===. */
export interface QueueMetrics<K = unknown> {
  /** An item entered the dirty set. */
  add(item: K): void;
  /** An item was handed to a worker. */
  get(item: K): void;
  /** A worker finished an item. */
  done(item: K): void;
  /** An item is re-added after a delay (addAfter / addRateLimited). */
  retry(): void;
}

/** Makes the metrics of one named queue (upstream MetricsProvider). */
export interface WorkQueueMetricsProvider {
  newQueueMetrics<K>(name: string): QueueMetrics<K>;
}

/** ExponentialBuckets(10e-9, 10, 10), as upstream. */
const BUCKETS = Array.from({ length: 10 }, (_, i) => 1e-8 * 10 ** i);

/**
 * The Prometheus provider: registers the seven workqueue_* metrics on `registry` (once
 * per provider) and returns a provider whose queues report under their name. Two queues
 * with the same name share series (as upstream). Time comes from `now` (ms, default
 * performance.now).
 */
export function createPrometheusWorkQueueMetricsProvider(registry: client.Registry, now: () => number = () => performance.now()): WorkQueueMetricsProvider {
  const registers = [registry];
  const labelNames = ['name'] as const;
  const depth = new client.Gauge({ name: 'workqueue_depth', help: '[ALPHA] Current depth of workqueue', labelNames, registers });
  const adds = new client.Counter({ name: 'workqueue_adds_total', help: '[ALPHA] Total number of adds handled by workqueue', labelNames, registers });
  const latency = new client.Histogram({ name: 'workqueue_queue_duration_seconds', help: '[ALPHA] How long in seconds an item stays in workqueue before being requested.', labelNames, buckets: BUCKETS, registers });
  const work = new client.Histogram({ name: 'workqueue_work_duration_seconds', help: '[ALPHA] How long in seconds processing an item from workqueue takes.', labelNames, buckets: BUCKETS, registers });
  const retries = new client.Counter({ name: 'workqueue_retries_total', help: '[ALPHA] Total number of retries handled by workqueue', labelNames, registers });
  // Items being processed, per queue name: item → start (ms).
  const processing = new Map<string, Map<unknown, number>>();
  new client.Gauge({
    name: 'workqueue_unfinished_work_seconds', labelNames, registers,
    help: "[ALPHA] How many seconds of work has done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
    collect() {
      const t = now();
      for (const [name, items] of processing) { let sum = 0; for (const s of items.values()) sum += t - s; this.set({ name }, sum / 1000); }
    },
  });
  new client.Gauge({
    name: 'workqueue_longest_running_processor_seconds', labelNames, registers,
    help: '[ALPHA] How many seconds has the longest running processor for workqueue been running.',
    collect() {
      const t = now();
      for (const [name, items] of processing) { let max = 0; for (const s of items.values()) max = Math.max(max, t - s); this.set({ name }, max / 1000); }
    },
  });
  return {
    newQueueMetrics<K>(name: string): QueueMetrics<K> {
      const labels = { name };
      const started = processing.get(name) ?? new Map<unknown, number>();
      processing.set(name, started);
      const added = new Map<K, number>();
      // Zero-valued series exist from the start, as upstream's.
      depth.set(labels, 0); adds.inc(labels, 0); retries.inc(labels, 0);
      return {
        add(item) {
          adds.inc(labels); depth.inc(labels);
          if (!added.has(item)) added.set(item, now());
        },
        get(item) {
          depth.dec(labels);
          const t = now();
          started.set(item, t);
          const a = added.get(item);
          if (a !== undefined) { latency.observe(labels, (t - a) / 1000); added.delete(item); }
        },
        done(item) {
          const s = started.get(item);
          if (s !== undefined) { work.observe(labels, (now() - s) / 1000); started.delete(item); }
        },
        retry() { retries.inc(labels); },
      };
    },
  };
}
