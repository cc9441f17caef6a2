/**
 * The StatefulSet controller against an in-process apiserver (the test plays the
 * kubelet by writing pod status: phase Running and Ready): ordered creation with
 * claims and identity, ordered scale-down, failed-pod recreation, Parallel, status and
 * events, ControllerRevisions and their truncation, RollingUpdate (order, partition),
 * OnDelete, and the claim retention policy's ownerReferences.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { runFakeKubelet, writePodStatus } from '../../../test/support/fake-kubelet.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import { isNotFound } from '../../machinery/errors.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { StatefulSet } from '../../api/apps/v1/stateful-set.js';
import type { ControllerRevision } from '../../api/apps/v1/controller-revision.js';
import type { PersistentVolumeClaim } from '../../api/core/v1/persistent-volume-claim.js';
import { PvcProtectionController } from '../volume/pvc-protection.js';
import { StatefulSetController } from './controller.js';

describe('statefulset controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';
  /** Sets whose pods the fake kubelet marks Running and Ready as soon as they appear. */
  const autoReady = new Set<string>();

  before(async () => {
    server = await startTestApiServer('statefulset');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const informers = createSharedInformerFactory(client);
    const controller = new StatefulSetController(client, informers);
    void controller.run(ac.signal, 2);
    // Claims carry the pvc-protection finalizer (StorageObjectInUseProtection); its controller lets deleted ones go.
    void new PvcProtectionController(client, informers).run(ac.signal, 1);
    informers.start(ac.signal);
    // The fake kubelet.
    void runFakeKubelet({ client, namespace: ns, signal: ac.signal, shouldStart: (p) => {
      const owner = p.metadata.ownerReferences?.[0]?.name;
      return !!owner && autoReady.has(owner) && p.status?.phase === 'Pending';
    } });
  });
  after(async () => { ac.abort(); await server.close(); });

  const pods = () => client.resource<Pod>(resources.pods);
  const sets = () => client.resource<StatefulSet>(resources.statefulsets);
  const claims = () => client.resource<PersistentVolumeClaim>(resources.persistentvolumeclaims);
  const getPod = (name: string) => pods().get(name, { namespace: ns }).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
  const getSet = (name: string) => sets().get(name, { namespace: ns });
  const podNames = async (set: string) => (await pods().list({ namespace: ns })).items.filter((p) => p.metadata.ownerReferences?.[0]?.name === set).map((p) => p.metadata.name!).sort();
  const revisionsOf = async (set: string) => (await client.resource<ControllerRevision>(resources.controllerrevisions).list({ namespace: ns })).items.filter((r) => r.metadata.ownerReferences?.[0]?.name === set);
  const events = async (set: string) => (await client.resource(resources.events).list({ namespace: ns })).items
    .filter((e) => (e as unknown as { involvedObject: { name: string } }).involvedObject.name === set)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${(e as unknown as { reason: string }).reason}: ${(e as unknown as { message: string }).message}`);
  const setStatus = (p: Pod, phase: string, ready: boolean): Promise<Pod> => writePodStatus(client, { ...p, metadata: { ...p.metadata, namespace: ns } }, phase, ready);
  async function makeReady(name: string): Promise<Pod> {
    const p = await until(`pod ${name}`, () => getPod(name));
    return setStatus(p, 'Running', true);
  }
  function stsObject(name: string, spec: Record<string, unknown>): StatefulSet {
    return {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: ns },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } },
        ...spec,
      },
    };
  }
  const setImage = (name: string, image: string) =>
    sets().patch(name, { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, 'application/merge-patch+json', { namespace: ns });

  it('OrderedReady: one pod at a time with claims and identity; status, events, one revision', async () => {
    await sets().create(stsObject('web', {
      replicas: 3, serviceName: 'nginx',
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'img:1', volumeMounts: [{ name: 'www', mountPath: '/data' }] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www', labels: { tier: 'data' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }), { namespace: ns });
    const web0 = await until('web-0', () => getPod('web-0'));
    const set = await getSet('web');
    assert.deepEqual(web0.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(web0.spec?.hostname, 'web-0');
    assert.equal(web0.spec?.subdomain, 'nginx');
    assert.equal(web0.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(web0.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.equal(web0.metadata.labels?.app, 'web');
    assert.match(web0.metadata.labels?.['controller-revision-hash'] ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.deepEqual(web0.spec?.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: 'www-web-0' });
    const claim = await claims().get('www-web-0', { namespace: ns });
    assert.deepEqual(claim.metadata.labels, { tier: 'data', app: 'web' });
    assert.equal(claim.metadata.ownerReferences, undefined, 'Retain/Retain: no owners');
    // Not ready yet: web-1 waits.
    await setStatus(web0, 'Running', false);
    await until('status sees web-0', async () => (await getSet('web')).status?.replicas === 1);
    assert.deepEqual(await podNames('web'), ['web-0']);
    await makeReady('web-0');
    await until('web-1', () => getPod('web-1'));
    assert.deepEqual(await podNames('web'), ['web-0', 'web-1']);
    await makeReady('web-1');
    await makeReady('web-2');
    const st = (await until('status 3 ready', async () => { const s = await getSet('web'); return s.status?.readyReplicas === 3 && s.status?.currentReplicas === 3 && s; })).status!;
    assert.equal(st.replicas, 3);
    assert.equal(st.updatedReplicas, 3);
    assert.equal(st.availableReplicas, 3);
    assert.equal(st.currentRevision, st.updateRevision);
    assert.equal(st.currentRevision, web0.metadata.labels?.['controller-revision-hash']);
    assert.equal(st.collisionCount, 0);
    assert.equal(st.observedGeneration, set.metadata.generation);
    const revs = await revisionsOf('web');
    assert.equal(revs.length, 1);
    assert.equal(revs[0].metadata.name, st.updateRevision);
    assert.equal(revs[0].revision, 1);
    assert.equal(revs[0].data.spec.template.$patch, 'replace');
    const ev = await until('events', async () => { const e = await events('web'); return e.length >= 6 && e; });
    assert.deepEqual(ev.filter((e) => e.startsWith('SuccessfulCreate')), [
      'SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'SuccessfulCreate: create Pod web-0 in StatefulSet web successful',
      'SuccessfulCreate: create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'SuccessfulCreate: create Pod web-1 in StatefulSet web successful',
      'SuccessfulCreate: create Claim www-web-2 Pod web-2 in StatefulSet web success',
      'SuccessfulCreate: create Pod web-2 in StatefulSet web successful',
    ]);
  });

  it('OrderedReady: a failed pod is deleted and recreated; scale-down from the highest ordinal, claims kept', async () => {
    const before0 = (await getPod('web-0'))!;
    await setStatus(before0, 'Failed', false);
    const again = await until('web-0 recreated', async () => { const p = await getPod('web-0'); return p && p.metadata.uid !== before0.metadata.uid && p; });
    await setStatus(again, 'Running', true);
    assert.ok((await events('web')).includes('RecreatingFailedPod: StatefulSet default/web is recreating failed Pod web-0'));
    await sets().patch('web', { spec: { replicas: 1 } }, 'application/merge-patch+json', { namespace: ns });
    await until('scaled to 1', async () => (await podNames('web')).join() === 'web-0');
    const dels = (await events('web')).filter((e) => e.startsWith('SuccessfulDelete') && !e.includes('web-0'));
    assert.deepEqual(dels, ['SuccessfulDelete: delete Pod web-2 in StatefulSet web successful', 'SuccessfulDelete: delete Pod web-1 in StatefulSet web successful']);
    assert.ok(await claims().get('www-web-2', { namespace: ns }), 'claims are retained');
    await until('status replicas 1', async () => (await getSet('web')).status?.replicas === 1);
  });

  it('Parallel: creates and deletes all at once, without waiting for readiness', async () => {
    await sets().create(stsObject('par', { replicas: 3, podManagementPolicy: 'Parallel', ordinals: { start: 5 } }), { namespace: ns });
    await until('three pods from ordinal 5', async () => (await podNames('par')).join() === 'par-5,par-6,par-7');
    await sets().patch('par', { spec: { replicas: 0 } }, 'application/merge-patch+json', { namespace: ns });
    await until('all gone', async () => (await podNames('par')).length === 0);
  });

  it('RollingUpdate: replaced from the highest ordinal, one at a time; partition; revisions', async () => {
    autoReady.add('ru');
    await sets().create(stsObject('ru', { replicas: 3 }), { namespace: ns });
    const first = await until('3 ready', async () => { const s = await getSet('ru'); return s.status?.readyReplicas === 3 && s.status.currentRevision === s.status.updateRevision && s; });
    const rev1 = first.status!.currentRevision;
    await setImage('ru', 'img:2');
    const done = await until('rolled out', async () => {
      const s = await getSet('ru');
      return s.status?.updatedReplicas === 3 && s.status.readyReplicas === 3 && s.status.currentRevision === s.status.updateRevision && s.status.updateRevision !== rev1 && s;
    });
    const rev2 = done.status!.updateRevision;
    for (const n of ['ru-0', 'ru-1', 'ru-2']) {
      const p = (await getPod(n))!;
      assert.equal(p.metadata.labels?.['controller-revision-hash'], rev2);
      assert.equal(p.spec?.containers?.[0].image, 'img:2');
    }
    const dels = (await events('ru')).filter((e) => e.startsWith('SuccessfulDelete'));
    assert.deepEqual(dels, ['ru-2', 'ru-1', 'ru-0'].map((n) => `SuccessfulDelete: delete Pod ${n} in StatefulSet ru successful`));
    assert.deepEqual((await revisionsOf('ru')).map((r) => r.revision).sort(), [1, 2]);

    // Partition 2: only ru-2 moves to img:3; the current revision stays.
    await sets().patch('ru', { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }, template: { spec: { containers: [{ name: 'c', image: 'img:3' }] } } } }, 'application/merge-patch+json', { namespace: ns });
    const part = await until('ru-2 updated', async () => {
      const s = await getSet('ru');
      const p = await getPod('ru-2');
      return s.status?.updateRevision !== rev2 && p?.metadata.labels?.['controller-revision-hash'] === s.status?.updateRevision && s.status?.readyReplicas === 3 && s.status.updatedReplicas === 1 && s;
    });
    assert.equal(part.status!.currentRevision, rev2);
    assert.equal(part.status!.currentReplicas, 2);
    assert.equal((await getPod('ru-0'))!.metadata.labels?.['controller-revision-hash'], rev2);
    assert.equal((await getPod('ru-1'))!.metadata.labels?.['controller-revision-hash'], rev2);

    // Going back to img:2 reuses revision rev2 (renumbered), creates no new one.
    await sets().patch('ru', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } }, template: { spec: { containers: [{ name: 'c', image: 'img:2' }] } } } }, 'application/merge-patch+json', { namespace: ns });
    const back = await until('back on rev2', async () => { const s = await getSet('ru'); return s.status?.updateRevision === rev2 && s.status.currentRevision === rev2 && s.status.updatedReplicas === 3 && s; });
    assert.ok(back);
    const revs = await revisionsOf('ru');
    assert.equal(revs.length, 3);
    assert.equal(revs.find((r) => r.metadata.name === rev2)!.revision, 4);
  });

  it('OnDelete: pods take the new revision only when deleted', async () => {
    autoReady.add('od');
    await sets().create(stsObject('od', { replicas: 2, podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' } }), { namespace: ns });
    const s1 = await until('2 ready', async () => { const s = await getSet('od'); return s.status?.readyReplicas === 2 && s; });
    const rev1 = s1.status!.currentRevision;
    await setImage('od', 'img:2');
    const s2 = await until('new update revision', async () => { const s = await getSet('od'); return s.status?.updateRevision !== rev1 && s; });
    const old1 = (await getPod('od-1'))!;
    assert.equal(old1.metadata.labels?.['controller-revision-hash'], rev1);
    await pods().delete('od-1', { namespace: ns });
    const new1 = await until('od-1 recreated', async () => { const p = await getPod('od-1'); return p && p.metadata.uid !== old1.metadata.uid && p; });
    assert.equal(new1.metadata.labels?.['controller-revision-hash'], s2.status!.updateRevision);
    assert.equal(new1.spec?.containers?.[0].image, 'img:2');
    await until('status 1 updated', async () => { const s = await getSet('od'); return s.status?.updatedReplicas === 1 && s.status.currentReplicas === 1; });
    assert.equal((await getPod('od-0'))!.metadata.labels?.['controller-revision-hash'], rev1);
  });

  it('revisionHistoryLimit truncates revisions no pod uses', async () => {
    autoReady.add('hl');
    await sets().create(stsObject('hl', { replicas: 1, revisionHistoryLimit: 1 }), { namespace: ns });
    await until('ready', async () => (await getSet('hl')).status?.readyReplicas === 1);
    for (const img of ['img:2', 'img:3', 'img:4']) {
      await setImage('hl', img);
      await until(`rolled to ${img}`, async () => { const p = await getPod('hl-0'); const s = await getSet('hl'); return p?.spec?.containers?.[0].image === img && s.status?.currentRevision === s.status?.updateRevision && s.status?.readyReplicas === 1; });
    }
    await until('two revisions left (live + 1 history)', async () => (await revisionsOf('hl')).length === 2);
    assert.deepEqual((await revisionsOf('hl')).map((r) => r.revision).sort(), [3, 4]);
  });

  it('persistentVolumeClaimRetentionPolicy Delete/Delete: the set owns live claims, the pod owns scaled-down ones', async () => {
    autoReady.add('ret');
    await sets().create(stsObject('ret', {
      replicas: 2, podManagementPolicy: 'Parallel',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }), { namespace: ns });
    const set = await getSet('ret');
    const c0 = await until('claim 0', () => claims().get('data-ret-0', { namespace: ns }));
    assert.deepEqual(c0.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'ret', uid: set.metadata.uid }]);
    const pod1 = await until('ret-1', () => getPod('ret-1'));
    await until('ready', async () => (await getSet('ret')).status?.readyReplicas === 2);
    await sets().patch('ret', { spec: { replicas: 1 } }, 'application/merge-patch+json', { namespace: ns });
    const c1 = await until('claim 1 owned by its pod', async () => {
      const c = await claims().get('data-ret-1', { namespace: ns });
      return c.metadata.ownerReferences?.length === 1 && c.metadata.ownerReferences[0].kind === 'Pod' && c;
    });
    assert.deepEqual(c1.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'ret-1', uid: pod1.metadata.uid }]);
    await until('ret-1 gone', async () => (await getPod('ret-1')) === undefined);
    assert.equal((await claims().get('data-ret-0', { namespace: ns })).metadata.ownerReferences?.[0].kind, 'StatefulSet');
  });
  it('OrderedReady scale-down waits for each terminating pod to be gone', async () => {
    autoReady.add('gr');
    // On a node, deletion is graceful: the pod stays terminating until the "kubelet" finishes it.
    await sets().create(stsObject('gr', { replicas: 2, template: { metadata: { labels: { app: 'gr' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'img:1' }] } } }), { namespace: ns });
    await until('2 ready', async () => (await getSet('gr')).status?.readyReplicas === 2);
    await sets().patch('gr', { spec: { replicas: 0 } }, 'application/merge-patch+json', { namespace: ns });
    await until('gr-1 terminating, seen by the controller', async () => (await getPod('gr-1'))?.metadata.deletionTimestamp && (await getSet('gr')).status?.currentReplicas === 1);
    assert.equal((await getPod('gr-0'))!.metadata.deletionTimestamp, undefined, 'gr-0 waits for gr-1');
    await pods().delete('gr-1', { namespace: ns, gracePeriodSeconds: 0 });
    await until('gr-0 terminating', async () => (await getPod('gr-0'))?.metadata.deletionTimestamp);
    await pods().delete('gr-0', { namespace: ns, gracePeriodSeconds: 0 });
    await until('status 0', async () => (await getSet('gr')).status?.replicas === 0);
  });

  it('minReadySeconds: the next ordinal waits until the previous pod is available', async () => {
    await sets().create(stsObject('mr', { replicas: 2, minReadySeconds: 2 }), { namespace: ns });
    const readyAt = Date.now();
    await makeReady('mr-0');
    await until('ready, not available', async () => { const s = await getSet('mr'); return s.status?.readyReplicas === 1 && s.status.availableReplicas === 0; });
    assert.equal(await getPod('mr-1'), undefined);
    await until('mr-1 created', () => getPod('mr-1'), 8_000);
    assert.ok(Date.now() - readyAt >= 1000, 'not before minReadySeconds (second-resolution transition time)');
    await until('available 1', async () => (await getSet('mr')).status?.availableReplicas === 1);
  });

  it('adopts an orphan pod with a matching name and labels', async () => {
    const orphan = await pods().create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ad-0', namespace: ns, labels: { app: 'ad' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } });
    await pods().create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ad-other', namespace: ns, labels: { app: 'ad' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } });
    await client.resource(resources.controllerrevisions).create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'ad-old', namespace: ns, labels: { app: 'ad' } }, data: { spec: { template: { $patch: 'replace' } } }, revision: 7 } as never, { namespace: ns });
    await sets().create(stsObject('ad', { replicas: 1, updateStrategy: { type: 'OnDelete' } }), { namespace: ns });
    const set = await getSet('ad');
    await until('orphan revision adopted', async () => (await revisionsOf('ad')).some((r) => r.metadata.name === 'ad-old' && r.metadata.ownerReferences?.[0]?.uid === set.metadata.uid));
    await until('the new revision numbered after it', async () => (await revisionsOf('ad')).some((r) => r.metadata.name !== 'ad-old' && r.revision === 8));
    const adopted = await until('adopted', async () => { const p = await getPod('ad-0'); return p?.metadata.ownerReferences?.[0]?.uid === set.metadata.uid && p; });
    assert.equal(adopted.metadata.uid, orphan.metadata.uid);
    await until('status counts it', async () => (await getSet('ad')).status?.replicas === 1);
    assert.equal((await getPod('ad-other'))!.metadata.ownerReferences, undefined, 'not named <set>-<ordinal>: left alone');
  });

  it('a pending pod gets a deleted claim back', async () => {
    await sets().create(stsObject('pc', { replicas: 1, volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] }), { namespace: ns });
    await until('pc-0', () => getPod('pc-0'));
    const c = await claims().get('d-pc-0', { namespace: ns });
    await claims().delete('d-pc-0', { namespace: ns });
    await until('claim recreated', async () => { const n = await claims().get('d-pc-0', { namespace: ns }).catch(() => undefined); return n && n.metadata.uid !== c.metadata.uid; });
  });
});
