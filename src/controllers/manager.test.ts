/**
 * The controller manager's work-queue metrics against an in-process apiserver: each
 * controller's queue reports under the controller's name.
 */
import { after, before, describe, it } from 'node:test';
import { until, startControllerHarness, type ControllerHarness } from '../../test/support/apiserver.js';
import { resources, type Client } from '../client/interface.js';
import { createControllerManagerMetrics, type ControllerManagerMetrics } from '../server/component-metrics-server.js';
import { runControllerManager } from './manager.js';

describe('controller manager metrics', { timeout: 30_000 }, () => {
  let harness: ControllerHarness;
  let client: Client;
  const metrics: ControllerManagerMetrics = createControllerManagerMetrics({ defaultMetrics: false });

  before(async () => {
    harness = await startControllerHarness('cm-metrics', (c, informers, server) => [{
      run: (signal) => runControllerManager({ client: c, informers, signal, controllers: ['serviceaccount', 'namespace'], rootCA: server.pki.ca.certPem, workqueueMetrics: metrics.workqueue, workers: 1 }),
    }], []);
    client = harness.client;
  });
  after(async () => { await harness.stop(); });

  it('labels each queue with its controller name', async () => {
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metrics-ns' } });
    await until('serviceaccount queue worked', async () => {
      const text = await metrics.registry.metrics();
      const n = (series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ')[1] ?? 0);
      return n('workqueue_adds_total{name="serviceaccount"}') >= 1 && n('workqueue_work_duration_seconds_count{name="serviceaccount"}') >= 1
        && n('workqueue_adds_total{name="namespace"}') >= 1 && text.includes('workqueue_depth{name="namespace"}');
    });
  });
});
