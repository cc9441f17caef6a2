/**
 * The Deployment controller against an in-process apiserver, with the ReplicaSet
 * controller and a stand-in kubelet that marks chosen pods Running and Ready: a rolling
 * update never leaves fewer than `replicas - maxUnavailable` ready pods and ends with
 * NewReplicaSetAvailable; a rollout without progress ends ProgressDeadlineExceeded; pause
 * and resume show DeploymentPaused / DeploymentResumed as upstream.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import type { Deployment } from '../../api/apps/v1/types.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Condition } from '../../api/meta/v1/types.js';
import { DeploymentController } from './controller.js';
import { ReplicaSetController } from '../replicaset/controller.js';
import { runFakeKubelet } from '../../../test/support/fake-kubelet.js';

describe('deployment controller', { timeout: 90_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'deploy';
  /** Images whose pods the stand-in kubelet makes Ready (others stay Pending). */
  const healthy = new Set<string>(['web:1', 'web:2']);

  before(async () => {
    server = await startTestApiServer('deployment');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const informers = createSharedInformerFactory(client);
    void new DeploymentController(client, informers).run(ac.signal, 2);
    void new ReplicaSetController(client, informers).run(ac.signal, 2);
    informers.start(ac.signal);
    // The stand-in kubelet: pods of healthy images become Running and Ready.
    void runFakeKubelet({ client, namespace: ns, signal: ac.signal, intervalMs: 50,
      shouldStart: (p) => healthy.has(p.spec?.containers?.[0]?.image ?? '') && p.status?.phase !== 'Running' });
  });
  after(async () => { ac.abort(); await server.close(); });

  const deployments = () => client.resource<Deployment>(resources.deployments);
  const progressing = async (name: string): Promise<Condition | undefined> =>
    ((await deployments().get(name, { namespace: ns })).status?.conditions as Condition[] | undefined)?.find((c) => c.type === 'Progressing');
  const deployment = (name: string, image: string, spec: Record<string, unknown> = {}): Deployment => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { replicas: 4, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } }, ...spec },
  } as Deployment);
  const readyPods = async (app: string): Promise<number> => (await client.resource<Pod>(resources.pods).list({ namespace: ns, labelSelector: `app=${app}` })).items
    .filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;

  it('a rolling update keeps replicas - maxUnavailable pods ready and completes with NewReplicaSetAvailable', async () => {
    await deployments().create(deployment('web', 'web:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await until('4 ready', async () => (await readyPods('web')) === 4, 20_000);
    await until('first rollout complete', async () => (await progressing('web'))?.reason === 'NewReplicaSetAvailable', 20_000);
    const d = await deployments().get('web', { namespace: ns });
    await deployments().update({ ...d, spec: { ...d.spec!, template: { ...d.spec!.template!, spec: { containers: [{ name: 'c', image: 'web:2' }] } } } });
    let lowest = Infinity;
    const done = until('second rollout complete', async () => {
      const c = await progressing('web');
      const rs = (await client.resource(resources.replicasets).list({ namespace: ns })).items.find((r) => (r as { spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } } }).spec?.template?.spec?.containers?.[0]?.image === 'web:2');
      return c?.reason === 'NewReplicaSetAvailable' && rs && c.message === `ReplicaSet "${rs.metadata.name}" has successfully progressed.`;
    }, 30_000, 50);
    let finished = false;
    void done.then(() => { finished = true; }, () => { finished = true; });
    while (!finished) { lowest = Math.min(lowest, await readyPods('web')); await new Promise((r) => setTimeout(r, 30)); }
    await done;
    assert.ok(lowest >= 3, `ready pods fell to ${lowest} (< replicas - maxUnavailable = 3)`);
    const images = (await client.resource<Pod>(resources.pods).list({ namespace: ns, labelSelector: 'app=web' })).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec!.containers![0].image);
    assert.deepEqual(images, ['web:2', 'web:2', 'web:2', 'web:2']);
  });

  it('a rollout without progress ends Progressing=False ProgressDeadlineExceeded', async () => {
    await deployments().create(deployment('stuck', 'never:ready', { replicas: 1, progressDeadlineSeconds: 2 }));
    const c = await until('deadline exceeded', async () => { const x = await progressing('stuck'); return x?.reason === 'ProgressDeadlineExceeded' && x; }, 15_000, 100);
    assert.equal(c.status, 'False');
    assert.match(c.message!, /^ReplicaSet "stuck-[0-9a-z]+" has timed out progressing\.$/);
  });

  it('pause and resume show DeploymentPaused and DeploymentResumed', async () => {
    await deployments().patch('web', { spec: { paused: true } }, 'application/merge-patch+json', { namespace: ns });
    const paused = await until('paused', async () => { const x = await progressing('web'); return x?.reason === 'DeploymentPaused' && x; }, 10_000);
    assert.deepEqual([paused.status, paused.message], ['Unknown', 'Deployment is paused']);
    await deployments().patch('web', { spec: { paused: false } }, 'application/merge-patch+json', { namespace: ns });
    await until('resumed or complete', async () => ['DeploymentResumed', 'NewReplicaSetAvailable'].includes((await progressing('web'))?.reason ?? ''), 10_000);
  });

  it('pods refused by a quota: ReplicaFailure on the ReplicaSet and the Deployment, with the API\'s message', async () => {
    const qns = 'deploy-quota';
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: qns } });
    const quotas = client.resource(resources.resourcequotas);
    await quotas.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'one-pod', namespace: qns }, spec: { hard: { pods: '1' } } });
    await quotas.patch('one-pod', { status: { hard: { pods: '1' }, used: { pods: '0' } } }, 'application/merge-patch+json', { namespace: qns, subresource: 'status' });
    await deployments().create({ ...deployment('q', 'web:1', { replicas: 2 }), metadata: { name: 'q', namespace: qns } });
    const failure = await until('ReplicaFailure on the Deployment', async () => {
      const d = await deployments().get('q', { namespace: qns });
      return (d.status?.conditions as Condition[] | undefined)?.find((c) => c.type === 'ReplicaFailure');
    }, 20_000, 100);
    assert.equal(failure.status, 'True');
    assert.equal(failure.reason, 'FailedCreate');
    assert.match(failure.message!, /^pods "q-[0-9a-z]+-[0-9a-z]+" is forbidden: exceeded quota: one-pod, requested: pods=1, used: pods=1, limited: pods=1$/);
    const rs = (await client.resource(resources.replicasets).list({ namespace: qns })).items[0] as { status?: { conditions?: Condition[] } };
    assert.equal(rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure')?.reason, 'FailedCreate');
  });
});
