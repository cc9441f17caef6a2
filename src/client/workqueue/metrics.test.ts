import { it } from 'node:test';
import assert from 'node:assert/strict';
import client from 'prom-client';
import { createPrometheusWorkQueueMetricsProvider } from './metrics.js';
import { RateLimitingQueue, createRateLimitingQueue } from './rate-limiting-queue.js';

/** The value of the series `name{labels}` in a text exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it('a named queue reports depth, adds, queue and work durations, retries and unfinished work', async () => {
  const registry = new client.Registry();
  let now = 1_000;
  const provider = createPrometheusWorkQueueMetricsProvider(registry, () => now);
  const q = createRateLimitingQueue<string>({ name: 'deployment', metricsProvider: provider, baseDelayMs: 1 });
  q.add('a'); q.add('a'); q.add('b');
  let text = await registry.metrics();
  assert.equal(sample(text, 'workqueue_adds_total{name="deployment"}'), 2);
  assert.equal(sample(text, 'workqueue_depth{name="deployment"}'), 2);
  assert.equal(sample(text, 'workqueue_retries_total{name="deployment"}'), 0);

  now += 2_000;
  const a = await q.get();
  assert.equal(a.key, 'a');
  now += 3_000;
  text = await registry.metrics();
  assert.equal(sample(text, 'workqueue_depth{name="deployment"}'), 1);
  assert.equal(sample(text, 'workqueue_queue_duration_seconds_count{name="deployment"}'), 1);
  assert.equal(sample(text, 'workqueue_queue_duration_seconds_sum{name="deployment"}'), 2);
  assert.equal(sample(text, 'workqueue_unfinished_work_seconds{name="deployment"}'), 3);
  assert.equal(sample(text, 'workqueue_longest_running_processor_seconds{name="deployment"}'), 3);
  // Upstream's buckets: 1e-8 s × 10^0..9.
  assert.equal(sample(text, 'workqueue_queue_duration_seconds_bucket{le="1e-8",name="deployment"}'), 0);
  assert.equal(sample(text, 'workqueue_queue_duration_seconds_bucket{le="10",name="deployment"}'), 1);

  q.addRateLimited('a');
  q.done('a');
  text = await registry.metrics();
  assert.equal(sample(text, 'workqueue_work_duration_seconds_count{name="deployment"}'), 1);
  assert.equal(sample(text, 'workqueue_work_duration_seconds_sum{name="deployment"}'), 3);
  assert.equal(sample(text, 'workqueue_retries_total{name="deployment"}'), 1);
  assert.equal(sample(text, 'workqueue_unfinished_work_seconds{name="deployment"}'), 0);
  q.shutDown();
});

it('a queue named later counts what it already holds; a queue without a provider has no metrics', async () => {
  const registry = new client.Registry();
  const provider = createPrometheusWorkQueueMetricsProvider(registry);
  const q = new RateLimitingQueue<string>();
  q.add('x');
  q.setMetricsProvider(provider, 'job');
  q.add('y');
  const text = await registry.metrics();
  assert.equal(sample(text, 'workqueue_depth{name="job"}'), 2);
  assert.equal(sample(text, 'workqueue_adds_total{name="job"}'), 2);
  const plain = createRateLimitingQueue<string>();
  plain.add('z');
  assert.equal((await plain.get()).key, 'z');
  assert.equal(sample(await registry.metrics(), 'workqueue_depth{name=""}'), undefined);
  q.shutDown();
});
