/**
 * Scheduler scenarios against a real API server (issue #7, acceptance 1): simulated Node
 * objects, the scheduler and the disruption controller in-process, and a stand-in
 * kubelet that marks bound pods Running/Ready and finishes deletions. Each scenario is a
 * test: resource fit, node selector, required and preferred node affinity, taints and
 * tolerations, pod affinity and anti-affinity, topology spread, scheduling gates,
 * preemption of lower-priority pods (steered away from a pod a PodDisruptionBudget
 * protects), and the exact FailedScheduling message.
 *
 * Nodes: n1 (zone a, 2 cpu), n2 (zone b, 4 cpu, disk=ssd), n3 (zone c, 4 cpu, tainted
 * dedicated=gpu:NoSchedule).
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { resources, type Client } from '../../src/client/interface.js';
import { createSharedInformerFactory } from '../../src/client/informers/shared-informer-factory.js';
import { runScheduler } from '../../src/scheduler/scheduler.js';
import { DisruptionController } from '../../src/controllers/disruption/controller.js';
import type { Pod } from '../../src/api/core/v1/pod-types.js';
import type { KubeObject } from '../../src/api/object.js';
import { rfc3339 } from '../../src/machinery/time.js';

const NS = 'sched';
const TOLERATE_GPU = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }];

describe('scheduler scenarios (issue #7)', { timeout: 180_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const pods = () => client.resource<Pod>(resources.pods);

  const node = (name: string, zone: string, cpu: string, extra: { labels?: Record<string, string>; taints?: unknown[] } = {}): KubeObject => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone, ...extra.labels } },
    spec: extra.taints ? { taints: extra.taints } : {},
    status: {
      capacity: { cpu, memory: '8Gi', pods: '110' }, allocatable: { cpu, memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated', lastHeartbeatTime: rfc3339(), lastTransitionTime: rfc3339() }],
    },
  });
  const pod = (name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}, cpu = '100m'): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu, memory: '64Mi' } } }], terminationGracePeriodSeconds: 1, ...spec },
  });
  const boundTo = (name: string, ms = 15_000): Promise<string> =>
    until(`${name} bound`, async () => (await pods().get(name, { namespace: NS })).spec?.nodeName, ms, 50);
  const failedScheduling = (name: string): Promise<string> => until(`FailedScheduling of ${name}`, async () =>
    (await client.resource<KubeObject & { message?: string }>(resources.events).list({ namespace: NS, fieldSelector: `involvedObject.name=${name},reason=FailedScheduling` })).items[0]?.message, 15_000, 100);

  before(async () => {
    server = await startTestApiServer('sched-scenarios');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    for (const n of [node('n1', 'a', '2'), node('n2', 'b', '4', { labels: { disk: 'ssd' } }), node('n3', 'c', '4', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })]) {
      await client.resource(resources.nodes).create(n);
    }
    for (const [name, value] of [['low', 10], ['high', 1000]] as const) {
      await client.request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
    }
    const informers = createSharedInformerFactory(client);
    void runScheduler({ client, informers, signal: ac.signal, queue: { initialBackoffMs: 100, maxBackoffMs: 500, maxInUnschedulableMs: 2000 } });
    void new DisruptionController(client, informers).run(ac.signal, 1);
    informers.start(ac.signal);
    // The stand-in kubelet: bound pods become Running and Ready; deletions finish at once.
    void (async () => {
      while (!ac.signal.aborted) {
        try {
          for await (const ev of pods().watch({ namespace: NS, signal: ac.signal })) {
            const p = ev.object;
            if (ev.type === 'DELETED') continue;
            if (p.metadata.deletionTimestamp) { await pods().delete(p.metadata.name!, { namespace: NS, gracePeriodSeconds: 0 }).catch(() => undefined); continue; }
            if (p.spec?.nodeName && p.status?.phase !== 'Running') {
              const t = rfc3339();
              await pods().patch(p.metadata.name!, { status: { phase: 'Running', startTime: t, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }] } },
                'application/strategic-merge-patch+json', { namespace: NS, subresource: 'status' }).catch(() => undefined);
            }
          }
        } catch { /* watch again */ }
      }
    })();
  });
  afterEach(async () => {
    for (const p of (await pods().list({ namespace: NS })).items) await pods().delete(p.metadata.name!, { namespace: NS, gracePeriodSeconds: 0 }).catch(() => undefined);
    await until('namespace empty', async () => (await pods().list({ namespace: NS })).items.length === 0, 10_000);
  });
  after(async () => { ac.abort(); await server.close(); });

  it('resource fit: requests (or limits alone, which default requests) choose the node with room', async () => {
    await pods().create(pod('big', {}, {}, '3'));
    assert.equal(await boundTo('big'), 'n2');
    await pods().create({ ...pod('limits-only'), spec: { containers: [{ name: 'c', image: 'busybox', resources: { limits: { cpu: '3500m', memory: '64Mi' } } }], tolerations: TOLERATE_GPU } });
    assert.equal(await boundTo('limits-only'), 'n3', 'only n3 has 3.5 cpu left once n2 holds 3');
  });

  it('node selector and required node affinity', async () => {
    await pods().create(pod('ssd', { nodeSelector: { disk: 'ssd' } }));
    assert.equal(await boundTo('ssd'), 'n2');
    await pods().create(pod('zone-c', { tolerations: TOLERATE_GPU, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['c'] }] }] } } } }));
    assert.equal(await boundTo('zone-c'), 'n3');
  });

  it('preferred node affinity outweighs the resource scores', async () => {
    await pods().create(pod('prefers-a', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] } }] } } }));
    assert.equal(await boundTo('prefers-a'), 'n1');
  });

  it('taints and tolerations: only a tolerating pod may use the tainted node', async () => {
    for (let i = 0; i < 4; i++) await pods().create(pod(`plain-${i}`, { nodeSelector: { 'topology.kubernetes.io/zone': 'c' } }));
    assert.match(await failedScheduling('plain-0'), /1 node\(s\) had untolerated taint \{dedicated: gpu\}/);
    await pods().create(pod('tolerant', { tolerations: TOLERATE_GPU, nodeSelector: { 'topology.kubernetes.io/zone': 'c' } }));
    assert.equal(await boundTo('tolerant'), 'n3');
  });

  it('pod affinity follows a pod into its zone; anti-affinity keeps pods apart', async () => {
    await pods().create(pod('db', { nodeSelector: { disk: 'ssd' } }, { app: 'db' }));
    assert.equal(await boundTo('db'), 'n2');
    await pods().create(pod('web', { tolerations: TOLERATE_GPU, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' }] } } }));
    assert.equal(await boundTo('web'), 'n2');
    const anti = { tolerations: TOLERATE_GPU, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
    for (let i = 0; i < 3; i++) await pods().create(pod(`cache-${i}`, anti, { app: 'cache' }));
    const nodes = await Promise.all([0, 1, 2].map((i) => boundTo(`cache-${i}`)));
    assert.deepEqual([...nodes].sort(), ['n1', 'n2', 'n3']);
    await pods().create(pod('cache-3', anti, { app: 'cache' }));
    assert.match(await failedScheduling('cache-3'), /^0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\./);
  });

  it('topology spread with maxSkew 1 puts one pod in each zone', async () => {
    const spread = { tolerations: TOLERATE_GPU, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }] };
    for (let i = 0; i < 3; i++) { await pods().create(pod(`spread-${i}`, spread, { app: 'spread' })); await boundTo(`spread-${i}`); }
    const zones = await Promise.all([0, 1, 2].map((i) => boundTo(`spread-${i}`)));
    assert.deepEqual([...zones].sort(), ['n1', 'n2', 'n3']);
  });

  it('scheduling gates hold a pod until the last gate is removed', async () => {
    await pods().create(pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }));
    const reason = await until('SchedulingGated', async () => (await pods().get('gated', { namespace: NS })).status?.conditions?.find((c) => c.type === 'PodScheduled')?.reason, 5_000);
    assert.equal(reason, 'SchedulingGated');
    assert.equal((await pods().get('gated', { namespace: NS })).spec?.nodeName, undefined);
    await pods().patch('gated', [{ op: 'remove', path: '/spec/schedulingGates' }], 'application/json-patch+json', { namespace: NS });
    assert.ok(await boundTo('gated'));
  });

  it('preemption: a high-priority pod evicts a lower-priority one, sparing the pod a PDB protects', async () => {
    // One low-priority pod fills each of n1 and n2 (cpu); the one on n2 is protected by a PDB.
    await pods().create(pod('victim-a', { priorityClassName: 'low', nodeSelector: { 'topology.kubernetes.io/zone': 'a' } }, { app: 'victim-a' }, '1800m'));
    await pods().create(pod('protected-b', { priorityClassName: 'low', nodeSelector: { 'topology.kubernetes.io/zone': 'b' } }, { app: 'protected' }, '3800m'));
    assert.equal(await boundTo('victim-a'), 'n1');
    assert.equal(await boundTo('protected-b'), 'n2');
    await client.request('POST', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'protect' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'protected' } } } });
    await until('PDB status', async () => {
      const pdb = await client.request<{ status?: { observedGeneration?: number; currentHealthy?: number; disruptionsAllowed?: number } }>('GET', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/protect`);
      return pdb.status?.currentHealthy === 1 && pdb.status.disruptionsAllowed === 0;
    }, 10_000);
    // A high-priority pod that fits on n1 or n2 only after a preemption (not n3: no toleration).
    await pods().create(pod('urgent', { priorityClassName: 'high' }, {}, '1500m'));
    assert.equal(await boundTo('urgent', 30_000), 'n1');
    await until('victim gone', async () => !(await pods().list({ namespace: NS })).items.some((p) => p.metadata.name === 'victim-a'), 10_000);
    assert.ok((await pods().get('protected-b', { namespace: NS })).spec?.nodeName === 'n2', 'the protected pod stays');
    await client.request('DELETE', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/protect`);
  });

  it('the room a preemption made is kept for the nominated pod: a lower-priority pod does not take it', async () => {
    // The victim's finalizer keeps it terminating on n1 until the test lets it go.
    const victim = pod('held-victim', { priorityClassName: 'low', nodeSelector: { 'topology.kubernetes.io/zone': 'a' } }, {}, '1800m');
    victim.metadata.finalizers = ['k8ts.io/test-hold'];
    await pods().create(victim);
    assert.equal(await boundTo('held-victim'), 'n1');
    await pods().create(pod('nominated', { priorityClassName: 'high', nodeSelector: { 'topology.kubernetes.io/zone': 'a' } }, {}, '1500m'));
    await until('nominated to n1', async () => (await pods().get('nominated', { namespace: NS })).status?.nominatedNodeName === 'n1', 15_000, 50);
    // 150m fits beside the terminating victim (1800m of 2), but not beside it and the nominated pod.
    await pods().create(pod('latecomer', { priorityClassName: 'low', nodeSelector: { 'topology.kubernetes.io/zone': 'a' } }, {}, '150m'));
    assert.match(await failedScheduling('latecomer'), /^0\/3 nodes are available: 1 Insufficient cpu, /);
    assert.equal((await pods().get('latecomer', { namespace: NS })).spec?.nodeName, undefined);
    await pods().patch('held-victim', { metadata: { finalizers: null } }, 'application/merge-patch+json', { namespace: NS });
    assert.equal(await boundTo('nominated', 15_000), 'n1');
    assert.equal(await boundTo('latecomer', 15_000), 'n1', 'once the nominated pod is bound, the rest of the room is free');
  });

  it('an unschedulable pod gets upstream\'s exact FailedScheduling message', async () => {
    await pods().create(pod('huge', {}, {}, '5'));
    assert.equal(await failedScheduling('huge'),
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
    const cond = (await pods().get('huge', { namespace: NS })).status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.deepEqual([cond?.status, cond?.reason], ['False', 'Unschedulable']);
  });
});
