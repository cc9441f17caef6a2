/**
 * The scheduler's metrics against an in-process apiserver with two nodes: a pod that
 * fits (scheduled, one attempt, PreFilter/Score/Bind timed), a pod too big for any node (unschedulable,
 * a preemption attempt, waiting in the unschedulable pool or backoff), a gated pod
 * (pending "gated"); names, labels and upstream buckets in the text exposition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startControllerHarness, type ControllerHarness } from '../../test/support/apiserver.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { Node } from '../api/core/v1/types.js';
import { resources, type Client } from '../client/interface.js';
import { createSchedulerMetrics, type SchedulerMetrics } from './metrics.js';
import { runScheduler } from './scheduler.js';

/** The value of the series `series` (name with its labels as printed) in a text exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('scheduler metrics', { timeout: 60_000 }, () => {
  let harness: ControllerHarness;
  let client: Client;
  const metrics: SchedulerMetrics = createSchedulerMetrics({ defaultMetrics: false });
  const ns = 'default';
  const pods = () => client.resource<Pod>(resources.pods);
  const createPod = (name: string, cpu: string, extra: Partial<NonNullable<Pod['spec']>> = {}) => pods().create<Pod>({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
    spec: { ...extra, containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }] },
  });

  before(async () => {
    harness = await startControllerHarness('scheduler-metrics', async (c, informers) => {
      // The nodes exist with their capacity before the scheduler starts.
      for (const name of ['n1', 'n2']) {
        const n = await c.resource<Node>(resources.nodes).create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
        await c.resource<Node>(resources.nodes).update({ ...n, status: { allocatable: { cpu: '1', memory: '4Gi', pods: '110' }, capacity: { cpu: '1', memory: '4Gi', pods: '110' } } }, { subresource: 'status' });
      }
      return [{ run: (signal) => runScheduler({ client: c, informers, signal, metrics, queue: { initialBackoffMs: 5_000, maxBackoffMs: 5_000 } }) }];
    }, [ns]);
    client = harness.client;
  });
  after(async () => { await harness.stop(); });

  it('counts attempts by result and profile, pending pods by queue, and times extension points', async () => {
    await createPod('fits', '500m');
    await createPod('too-big', '4');
    await createPod('gated', '100m', { schedulingGates: [{ name: 'example.com/wait' }] });
    await until('fits bound', async () => !!(await pods().get('fits', { namespace: ns })).spec?.nodeName);
    const p = 'profile="default-scheduler"';
    const text = await until('both attempts recorded', async () => {
      const t = await metrics.text();
      return sample(t, `scheduler_schedule_attempts_total{result="scheduled",${p}}`) === 1
        && (sample(t, `scheduler_schedule_attempts_total{result="unschedulable",${p}}`) ?? 0) >= 1 && t;
    });
    assert.equal(sample(text, `scheduler_scheduling_attempt_duration_seconds_count{result="scheduled",${p}}`), 1);
    // Upstream's buckets: 1 ms × 2^0..14.
    assert.ok(text.includes(`scheduler_scheduling_attempt_duration_seconds_bucket{le="0.001",result="scheduled",${p}}`));
    assert.ok(text.includes(`scheduler_scheduling_attempt_duration_seconds_bucket{le="16.384",result="scheduled",${p}}`));
    assert.equal(sample(text, 'scheduler_pod_scheduling_attempts_count'), 1);
    assert.equal(sample(text, 'scheduler_pod_scheduling_attempts_bucket{le="1"}'), 1);
    assert.ok((sample(text, 'scheduler_preemption_attempts_total') ?? 0) >= 1);
    assert.equal(sample(text, 'scheduler_preemption_victims_count'), 0);
    for (const point of ['PreFilter', 'Score', 'Bind', 'Reserve', 'Permit', 'PreBind']) {
      assert.ok((sample(text, `scheduler_framework_extension_point_duration_seconds_count{extension_point="${point}",status="Success",${p}}`) ?? 0) >= 1, point);
    }
    assert.ok((sample(text, `scheduler_framework_extension_point_duration_seconds_count{extension_point="PostFilter",status="Unschedulable",${p}}`) ?? 0) >= 1);
    assert.ok(text.includes(`scheduler_framework_extension_point_duration_seconds_bucket{le="0.0001",extension_point="PreFilter",status="Success",${p}}`));
    // too-big waits (unschedulable pool, or backoff when a node event raced its attempt); gated never entered the queue.
    const pending = await metrics.text();
    assert.equal(sample(pending, 'scheduler_pending_pods{queue="active"}'), 0);
    assert.equal((sample(pending, 'scheduler_pending_pods{queue="unschedulable"}') ?? 0) + (sample(pending, 'scheduler_pending_pods{queue="backoff"}') ?? 0), 1);
    assert.equal(sample(pending, 'scheduler_pending_pods{queue="gated"}'), 1);
  });
});
