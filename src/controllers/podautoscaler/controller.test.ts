/**
 * The HPA controller against an in-process apiserver with a fake MetricsClient (no
 * Deployment controller runs: the test's pods stand for the Deployment's): it scales
 * the Deployment's `/scale` up on high cpu utilization, holds during the (shortened)
 * downscale stabilization window, then scales down; status, conditions and events as
 * upstream; a metrics failure gives FailedGetResourceMetric and ScalingActive False.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import type { KubeObject } from '../../api/object.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { HorizontalController } from './controller.js';
import { customMetricsResource, RestMetricsClient, type MetricsClient } from './metrics-client.js';
import type { HorizontalPodAutoscaler, PodMetricsInfo } from './types.js';

describe('horizontalpodautoscaling controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';
  /** Per-pod cpu usage in millicores the fake metrics client reports; undefined → it fails. */
  let usage: number | undefined = 90;
  const fake: MetricsClient = {
    async getResourceMetric(_resource, namespace, selector) {
      if (usage === undefined) throw new Error('unable to fetch metrics from resource metrics API: the server is currently unable to handle the request');
      const pods = (await client.resource<Pod>(resources.pods).list({ namespace, labelSelector: selector })).items;
      const m: PodMetricsInfo = new Map(pods.map((p) => [p.metadata.name!, { timestamp: Date.now(), windowMs: 15_000, value: usage! }]));
      return { metrics: m, timestamp: Date.now() };
    },
    // Custom metrics: every pod reports `podsMetricValue` (milli-units); external series are `externalValues`.
    async getRawMetric(metricName, namespace, selector, metricSelector) {
      seen.push(`pods ${metricName} ${selector} ${metricSelector}`);
      const pods = (await client.resource<Pod>(resources.pods).list({ namespace, labelSelector: selector })).items;
      return { metrics: new Map(pods.map((p) => [p.metadata.name!, { timestamp: Date.now(), windowMs: 60_000, value: podsMetricValue }])), timestamp: Date.now() };
    },
    async getObjectMetric(metricName, namespace, object) {
      throw new Error('unable to fetch metrics from custom metrics API: the server could not find the requested resource');
    },
    async getExternalMetric(metricName, _namespace, metricSelector) {
      seen.push(`external ${metricName} ${metricSelector}`);
      return { values: externalValues, timestamp: Date.now() };
    },
  };
  let podsMetricValue = 30_000;
  let externalValues = [40_000, 20_000];
  const seen: string[] = [];

  before(async () => {
    server = await startTestApiServer('hpa');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const labels = { app: 'web' };
    await client.resource(resources.deployments).create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } } },
    });
    const started = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    for (const name of ['web-a', 'web-b']) {
      const p = await client.resource<Pod>(resources.pods).create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } });
      await client.resource<Pod>(resources.pods).update({ ...p, status: { phase: 'Running', startTime: started, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: started }] } } as Pod, { subresource: 'status' });
    }
    const informers = createSharedInformerFactory(client);
    void new HorizontalController(client, informers, { metricsClient: fake, resyncPeriodMs: 100, downscaleStabilizationMs: 2_000 }).run(ac.signal, 1);
    informers.start(ac.signal);
  });
  after(async () => { ac.abort(); await server.close(); });

  const hpas = () => client.resource<HorizontalPodAutoscaler>(resources.horizontalpodautoscalers);
  const replicas = async () => (await client.request<{ spec: { replicas: number } }>('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`)).spec.replicas;
  const events = async (reason: string) => (await client.resource<KubeObject & { reason?: string; message?: string; involvedObject?: { name?: string } }>(resources.events).list({ namespace: ns })).items
    .filter((e) => e.reason === reason && e.involvedObject?.name === 'web').map((e) => e.message);
  const cond = (h: HorizontalPodAutoscaler, type: string) => h.status?.conditions?.find((c) => c.type === type);

  it('scales up on high utilization with status, conditions and an event', async () => {
    await hpas().create({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: ns },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    });
    await until('scale to 4', async () => (await replicas()) === 4);
    const h = await until('status', async () => { const x = await hpas().get('web', { namespace: ns }); return x.status?.desiredReplicas === 4 && x; });
    assert.equal(h.status?.currentReplicas, 2);
    assert.equal(h.status?.observedGeneration, h.metadata.generation);
    assert.ok(h.status?.lastScaleTime);
    assert.deepEqual(h.status?.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '90m' } } }]);
    assert.deepEqual([cond(h, 'AbleToScale')?.reason, cond(h, 'AbleToScale')?.message], ['SucceededRescale', 'the HPA controller was able to update the target scale to 4']);
    assert.deepEqual([cond(h, 'ScalingActive')?.status, cond(h, 'ScalingActive')?.reason, cond(h, 'ScalingActive')?.message], ['True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)']);
    assert.deepEqual([cond(h, 'ScalingLimited')?.status, cond(h, 'ScalingLimited')?.reason], ['False', 'DesiredWithinRange']);
    await until('event', async () => (await events('SuccessfulRescale')).includes('New size: 4; reason: cpu resource utilization (percentage of request) above target'));
  });

  it('holds during the downscale stabilization window, then scales down', async () => {
    usage = 10;
    const t0 = Date.now();
    const held = await until('stabilized', async () => { const x = await hpas().get('web', { namespace: ns }); return cond(x, 'AbleToScale')?.reason === 'ScaleDownStabilized' && x; });
    assert.equal(cond(held, 'AbleToScale')?.message, 'recent recommendations were higher than current one, applying the highest recent recommendation');
    assert.equal(await replicas(), 4);
    await until('scale to 1', async () => (await replicas()) === 1);
    assert.ok(Date.now() - t0 >= 1_500, 'not before the window');
    await until('event', async () => (await events('SuccessfulRescale')).includes('New size: 1; reason: All metrics below target'));
  });

  it('reports a metrics failure as FailedGetResourceMetric with ScalingActive False', async () => {
    usage = undefined;
    const h = await until('failed', async () => { const x = await hpas().get('web', { namespace: ns }); return cond(x, 'ScalingActive')?.status === 'False' && x; });
    const msg = 'failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request';
    assert.deepEqual([cond(h, 'ScalingActive')?.reason, cond(h, 'ScalingActive')?.message], ['FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${msg}`]);
    await until('events', async () => (await events('FailedGetResourceMetric')).includes(msg) && (await events('FailedComputeMetricsReplicas')).includes(`invalid metrics (1 invalid out of 1), first error is: ${msg}`));
    assert.equal(await replicas(), 1);
  });

  it('follows custom behavior: a ReplicaSet scaled up by at most 1 pod per minute (ScaleUpLimit)', async () => {
    usage = 200;
    const labels = { app: 'limited' };
    await client.resource(resources.replicasets).create({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'limited', namespace: ns },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    });
    const started = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const p = await client.resource<Pod>(resources.pods).create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'limited-a', namespace: ns, labels }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } });
    await client.resource<Pod>(resources.pods).update({ ...p, status: { phase: 'Running', startTime: started, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: started }] } } as Pod, { subresource: 'status' });
    await hpas().create({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'limited', namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'limited' }, minReplicas: 1, maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      },
    });
    const rsReplicas = async () => (await client.request<{ spec: { replicas: number } }>('GET', `/apis/apps/v1/namespaces/${ns}/replicasets/limited/scale`)).spec.replicas;
    await until('scale to 2', async () => (await rsReplicas()) === 2);
    const h = await until('limited', async () => { const x = await hpas().get('limited', { namespace: ns }); return x.status?.desiredReplicas === 2 && x; });
    assert.deepEqual([cond(h, 'ScalingLimited')?.status, cond(h, 'ScalingLimited')?.reason, cond(h, 'ScalingLimited')?.message],
      ['True', 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']);
    // Later syncs within the minute keep it at 2.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await rsReplicas(), 2);
  });

  /** A Deployment `name` with `n` Running, Ready pods labelled app=<name>. */
  async function target(name: string, n: number): Promise<void> {
    const labels = { app: name };
    await client.resource(resources.deployments).create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
      spec: { replicas: n, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    });
    const started = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    for (let i = 0; i < n; i++) {
      const p = await client.resource<Pod>(resources.pods).create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-${i}`, namespace: ns, labels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
      await client.resource<Pod>(resources.pods).update({ ...p, status: { phase: 'Running', startTime: started, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: started }] } } as Pod, { subresource: 'status' });
    }
  }
  const deploymentReplicas = async (name: string) => (await client.request<{ spec: { replicas: number } }>('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}/scale`)).spec.replicas;
  const hpaFor = (name: string, metric: Record<string, unknown>) => hpas().create({
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: ns },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 10, metrics: [metric] },
  });

  it('a Pods metric: the pods\' mean against target.averageValue (GetMetricReplicas)', async () => {
    await target('worker', 2);
    await hpaFor('worker', { type: 'Pods', pods: { metric: { name: 'queue_depth', selector: { matchLabels: { queue: 'jobs' } } }, target: { type: 'AverageValue', averageValue: '10' } } });
    await until('scale to 6', async () => (await deploymentReplicas('worker')) === 6); // 30 per pod against 10: ×3
    const h = await until('status', async () => { const x = await hpas().get('worker', { namespace: ns }); return x.status?.desiredReplicas === 6 && x; });
    assert.deepEqual(h.status?.currentMetrics, [{ type: 'Pods', pods: { metric: { name: 'queue_depth', selector: { matchLabels: { queue: 'jobs' } } }, current: { averageValue: '30' } } }]);
    assert.equal(cond(h, 'ScalingActive')?.message, 'the HPA was able to successfully calculate a replica count from pods metric queue_depth');
    assert.ok(seen.includes('pods queue_depth app=worker queue=jobs'), seen.join('; '));
  });

  it('an External metric: the sum of its series against target.value and the ready pods', async () => {
    await target('consumer', 2);
    await hpaFor('consumer', { type: 'External', external: { metric: { name: 'queue_messages', selector: { matchLabels: { queue: 'orders' } } }, target: { type: 'Value', value: '20' } } });
    await until('scale to 6', async () => (await deploymentReplicas('consumer')) === 6); // 60 against 20: ×3 of 2 ready pods
    const h = await until('status', async () => { const x = await hpas().get('consumer', { namespace: ns }); return x.status?.desiredReplicas === 6 && x; });
    assert.deepEqual(h.status?.currentMetrics, [{ type: 'External', external: { metric: { name: 'queue_messages', selector: { matchLabels: { queue: 'orders' } } }, current: { value: '60' } } }]);
    assert.equal(cond(h, 'ScalingActive')?.message, 'the HPA was able to successfully calculate a replica count from external metric queue_messages(&LabelSelector{MatchLabels:map[string]string{queue: orders,},MatchExpressions:[]LabelSelectorRequirement{},})');
  });

  it('an Object metric that cannot be read: FailedGetObjectMetric, worded as upstream', async () => {
    await target('frontend', 1);
    await hpaFor('frontend', { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'frontend' }, metric: { name: 'requests_per_second' }, target: { type: 'Value', value: '100' } } });
    const h = await until('failed', async () => { const x = await hpas().get('frontend', { namespace: ns }); return cond(x, 'ScalingActive')?.status === 'False' && x; });
    const cause = `unable to get metric requests_per_second: unable to fetch metrics from custom metrics API: the server could not find the requested resource on Service ${ns}/frontend`;
    assert.deepEqual([cond(h, 'ScalingActive')?.reason, cond(h, 'ScalingActive')?.message], ['FailedGetObjectMetric', `the HPA was unable to compute the replica count: ${cause}`]);
    await until('events', async () => { const evs = await client.resource<KubeObject & { reason?: string; message?: string; involvedObject?: { name?: string } }>(resources.events).list({ namespace: ns }); return evs.items.some((e) => e.reason === 'FailedGetObjectMetric' && e.involvedObject?.name === 'frontend' && e.message === cause); });
    assert.equal(await deploymentReplicas('frontend'), 1);
  });

  it('the default metrics client reads the custom and external metrics APIs (none is registered here: 404)', async () => {
    const rest = new RestMetricsClient(client);
    await assert.rejects(rest.getRawMetric('queue_depth', ns, 'app=worker', ''), /^Error: unable to fetch metrics from custom metrics API: the server could not find the requested resource/);
    await assert.rejects(rest.getObjectMetric('rps', ns, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, ''), /^Error: unable to fetch metrics from custom metrics API: /);
    await assert.rejects(rest.getExternalMetric('queue_messages', ns, 'queue=orders'), /^Error: unable to fetch metrics from external metrics API: /);
    assert.equal(customMetricsResource({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }), 'ingresses.networking.k8s.io');
    assert.equal(customMetricsResource({ apiVersion: 'v1', kind: 'Service', name: 's' }), 'services');
    assert.equal(customMetricsResource({ apiVersion: 'example.com/v1', kind: 'Policy', name: 'p' }), 'policies.example.com');
  });
});
