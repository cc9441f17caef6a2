/**
 * The ResourceQuota controller against an in-process apiserver: status.hard mirrored,
 * pods and cpu/memory requests and limits counted and dropped on deletion or when a pod
 * turns terminal, services with node ports and load balancers, legacy and `count/`
 * object counts (a kind from the table), BestEffort and PriorityClass scopes, the
 * periodic resync; plus quantity formatting and pod usage as pure functions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startControllerHarness, type ControllerHarness } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { builtinResourceTable } from '../../api/builtin-resources.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { ResourceQuota } from '../../api/core/v1/resource-quota.js';
import { ResourceQuotaController } from './controller.js';
import { addAmount, formatAmount, parseAmount } from '../../machinery/quantity-amount.js';
import { podEvaluator, podMatchesScope, podResources } from '../../quota/evaluators.js';

const fmt = (q: string | number) => formatAmount(parseAmount(q));
const sum = (...qs: string[]) => formatAmount(qs.map(parseAmount).reduce(addAmount, parseAmount(0)));

describe('quantities', () => {
  it('canonical forms as upstream', () => {
    assert.deepEqual(['0', '0m', '500m', '1000m', '1.5', '1500000', '1024', '1000', '1Gi', '1536Mi', '0.5Gi', '1e3', '100n', '0.1n'].map(fmt),
      ['0', '0', '500m', '1', '1500m', '1500k', '1024', '1k', '1Gi', '1536Mi', '512Mi', '1e3', '100n', '1n']);
  });
  it('sums keep the format of the first non-zero addend', () => {
    assert.equal(sum('250m', '250m'), '500m');
    assert.equal(sum('1Gi', '512Mi'), '1536Mi');
    assert.equal(sum('0', '1Gi', '1G'), '2073741824');
    assert.equal(sum('1G', '1Gi'), '2073741824');
    assert.equal(sum('512Mi', '512Mi'), '1Gi');
  });
});

describe('pod usage and scopes', () => {
  const pod = (spec: object, status: object = {}, meta: object = {}): Pod => ({ metadata: { name: 'p', ...meta }, spec, status }) as unknown as Pod;
  it('requests: containers summed, max with init containers, sidecars added, overhead', () => {
    const p = pod({
      containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }, { name: 'b', resources: { requests: { cpu: '200m', memory: '64Mi' } } }],
      initContainers: [{ name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } }, { name: 'init', resources: { requests: { cpu: '1', memory: '32Mi' } } }],
      overhead: { cpu: '10m' },
    });
    const r = podResources(p, 'requests');
    assert.equal(formatAmount(r.cpu), '1060m'); // max(350m, 50m + 1) + 10m
    assert.equal(formatAmount(r.memory), '64Mi');
    assert.deepEqual(Object.keys(podResources(p, 'limits')), []);
  });
  it('terminal pods and pods past their grace period count only under count/pods', () => {
    const ev = podEvaluator(resources.pods);
    const spec = { containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] };
    assert.deepEqual(Object.keys(ev.usage(pod(spec, { phase: 'Succeeded' }), 0)), ['count/pods']);
    const now = Date.parse('2026-01-01T00:01:00Z');
    assert.deepEqual(Object.keys(ev.usage(pod(spec, {}, { deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 }), now)), ['count/pods']);
    assert.deepEqual(Object.keys(ev.usage(pod(spec, {}), now)).sort(), ['count/pods', 'cpu', 'pods', 'requests.cpu']);
  });
  it('scopes: Terminating, BestEffort, PriorityClass operators', () => {
    const best = pod({ containers: [{ name: 'a' }], activeDeadlineSeconds: 10, priorityClassName: 'high' });
    const burst = pod({ containers: [{ name: 'a', resources: { requests: { memory: '1Mi' } } }] });
    assert.deepEqual(['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort'].map((s) => podMatchesScope({ scopeName: s, operator: 'Exists' }, best)), [true, false, true, false]);
    assert.deepEqual(['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort'].map((s) => podMatchesScope({ scopeName: s, operator: 'Exists' }, burst)), [false, true, false, true]);
    const pc = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', p: Pod) => podMatchesScope({ scopeName: 'PriorityClass', operator, values: ['high'] }, p);
    assert.deepEqual([pc('In', best), pc('NotIn', best), pc('Exists', best), pc('DoesNotExist', best)], [true, false, true, false]);
    assert.deepEqual([pc('In', burst), pc('NotIn', burst), pc('Exists', burst), pc('DoesNotExist', burst)], [false, true, false, false]);
  });
});

describe('resourcequota controller', { timeout: 60_000 }, () => {
  let harness: ControllerHarness;
  let client: Client;
  const ns = 'default';

  before(async () => {
    harness = await startControllerHarness('resourcequota', (c, informers) => [new ResourceQuotaController(c, informers, { table: builtinResourceTable(), resyncPeriodMs: 500 })]);
    client = harness.client;
  });
  after(async () => { await harness.stop(); });

  const pods = () => client.resource<Pod>(resources.pods);
  const quotas = () => client.resource<ResourceQuota>(resources.resourcequotas);
  const createQuota = (name: string, spec: object) => quotas().create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: ns }, spec });
  const createPod = (name: string, resources?: object, spec: object = {}) =>
    pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', image: 'i', ...(resources ? { resources } : {}) }], ...spec } });
  const used = (name: string, want: Record<string, string>) => until(`${name} used ${JSON.stringify(want)}`, async () => {
    const q = await quotas().get(name, { namespace: ns });
    return JSON.stringify(q.status?.used) === JSON.stringify(want) ? q : undefined;
  });
  const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

  it('mirrors hard and counts pods, cpu and memory; drops a deleted pod and a terminal one', async () => {
    await createQuota('compute', { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'count/pods': '20' } });
    let q = await used('compute', { pods: '0', 'requests.cpu': '0', 'requests.memory': '0', 'limits.cpu': '0', 'count/pods': '0' });
    assert.deepEqual(q.status?.hard, { pods: '10', 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'count/pods': '20' });
    await createPod('p1', { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1' } });
    // Every container states what the quota limits (ResourceQuota admission's rule).
    await createPod('p2', { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '500m' } });
    q = await until('two pods', async () => { const x = await quotas().get('compute', { namespace: ns }); return x.status?.used?.pods === '2' && x; });
    assert.deepEqual(sorted(q.status!.used), sorted({ pods: '2', 'requests.cpu': '500m', 'requests.memory': '1Gi', 'limits.cpu': '1500m', 'count/pods': '2' }));
    await pods().delete('p2', { namespace: ns, gracePeriodSeconds: 0 });
    await until('p2 dropped', async () => { const x = await quotas().get('compute', { namespace: ns }); return x.status?.used?.pods === '1' && x.status.used['requests.cpu'] === '250m' && x; });
    const p1 = await pods().get('p1', { namespace: ns });
    await pods().update({ ...p1, status: { phase: 'Succeeded' } }, { subresource: 'status' });
    q = await until('p1 terminal', async () => { const x = await quotas().get('compute', { namespace: ns }); return x.status?.used?.pods === '0' && x; });
    assert.deepEqual([q.status!.used['requests.cpu'], q.status!.used['count/pods']], ['0', '1']);
    await pods().delete('p1', { namespace: ns, gracePeriodSeconds: 0 });
    await quotas().delete('compute', { namespace: ns });
  });

  it('services, node ports, load balancers, legacy and count/ object counts', async () => {
    await createQuota('objects', { hard: { services: '5', 'services.nodeports': '5', 'services.loadbalancers': '1', configmaps: '5', 'count/deployments.apps': '2', resourcequotas: '10' } });
    const svc = (name: string, type: string) => client.resource(resources.services).create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { type, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } });
    await svc('np', 'NodePort');
    await svc('lb', 'LoadBalancer');
    await client.resource(resources.configmaps).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: ns } });
    await client.resource(resources.deployments).create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: ns }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    const cmBefore = (await client.resource(resources.configmaps).list({ namespace: ns })).items.length;
    const q = await until('objects counted', async () => {
      const x = await quotas().get('objects', { namespace: ns });
      return x.status?.used?.['count/deployments.apps'] === '1' && x.status.used.services === '2' && x.status.used.configmaps === String(cmBefore) && x;
    });
    assert.deepEqual([q.status!.used['services.nodeports'], q.status!.used['services.loadbalancers'], q.status!.used.resourcequotas], ['4', '1', '1']);
  });

  it('BestEffort and PriorityClass scopes select the pods counted', async () => {
    await createQuota('besteffort', { hard: { pods: '5' }, scopes: ['BestEffort'] });
    await createQuota('high', { hard: { pods: '5', 'requests.cpu': '2' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } });
    await client.resource({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' }).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    await createPod('be');
    await createPod('hi', { requests: { cpu: '100m' } }, { priorityClassName: 'high' });
    await used('besteffort', { pods: '1' });
    await until('high counted', async () => { const x = await quotas().get('high', { namespace: ns }); return x.status?.used?.pods === '1' && x.status.used['requests.cpu'] === '100m' && x; });
  });

  it('the periodic resync repairs a status changed behind its back', async () => {
    await until('status tampered', async () => {
      const q = await quotas().get('besteffort', { namespace: ns });
      return quotas().update({ ...q, status: { hard: q.status!.hard, used: { pods: '7' } } }, { subresource: 'status' });
    });
    await used('besteffort', { pods: '1' });
  });
});
