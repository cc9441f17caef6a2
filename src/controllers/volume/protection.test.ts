import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startControllerHarness, until, type ControllerHarness } from '../../../test/support/apiserver.js';
import { resources } from '../../client/interface.js';
import type { KubeObject } from '../../api/object.js';
import { PvcProtectionController } from './pvc-protection.js';
import { PvProtectionController } from './pv-protection.js';

/** A claim's spec.storageClassName. */
const classOf = (o: KubeObject): string | undefined => (o.spec as { storageClassName?: string } | undefined)?.storageClassName;
const PVS = { group: '', version: 'v1', resource: 'persistentvolumes' };
const SCS = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };

describe('StorageObjectInUseProtection, DefaultStorageClass and the pvc/pv-protection controllers', { timeout: 60_000 }, () => {
  let h: ControllerHarness;
  before(async () => { h = await startControllerHarness('protection', (client, informers) => [new PvcProtectionController(client, informers), new PvProtectionController(client, informers)]); });
  after(async () => { await h?.stop(); });

  const claim = (name: string, storageClassName?: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(storageClassName !== undefined ? { storageClassName } : {}) } } as KubeObject);
  const getClaim = (name: string) => h.client.resource(resources.persistentvolumeclaims).get(name, { namespace: 'default' }).catch(() => undefined);

  it('a claim in use by a scheduled pod stays until the pod is gone; an unscheduled pod does not hold it', async () => {
    const created = await h.client.resource(resources.persistentvolumeclaims).create(claim('data'));
    assert.deepEqual(created.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    await h.client.resource(resources.pods).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'user', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] } } as KubeObject);
    await h.client.resource(resources.persistentvolumeclaims).delete('data', { namespace: 'default' });
    await new Promise((r) => setTimeout(r, 300)); // the controller had its chance
    assert.ok((await getClaim('data'))?.metadata.deletionTimestamp, 'in use: Terminating, not gone');
    await h.client.resource(resources.pods).delete('user', { namespace: 'default', gracePeriodSeconds: 0 });
    await until('claim gone', async () => !(await getClaim('data')));

    await h.client.resource(resources.persistentvolumeclaims).create(claim('pending-data'));
    await h.client.resource(resources.pods).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'pending-data' } }] } } as KubeObject);
    await h.client.resource(resources.persistentvolumeclaims).delete('pending-data', { namespace: 'default' });
    await until('unscheduled user: claim gone', async () => !(await getClaim('pending-data')));
  });

  it('a Bound volume stays until it is released', async () => {
    const pv = await h.client.resource(PVS).create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' } } } as KubeObject);
    assert.deepEqual(pv.metadata.finalizers, ['kubernetes.io/pv-protection']);
    const bound = await h.client.resource(PVS).update({ ...pv, status: { phase: 'Bound' } } as KubeObject, { subresource: 'status' });
    await h.client.resource(PVS).delete('pv1');
    await new Promise((r) => setTimeout(r, 300));
    const held = await h.client.resource(PVS).get('pv1');
    assert.ok(held.metadata.deletionTimestamp);
    await h.client.resource(PVS).update({ ...held, metadata: { ...held.metadata, resourceVersion: undefined }, status: { phase: 'Released' } } as KubeObject, { subresource: 'status' });
    await until('volume gone', async () => !(await h.client.resource(PVS).get('pv1').catch(() => undefined)));
    assert.ok(bound);
  });

  it('a claim without storageClassName gets the newest default StorageClass; "" and named classes are kept', async () => {
    assert.equal(classOf(await h.client.resource(resources.persistentvolumeclaims).create(claim('no-default'))), undefined, 'no default class: left alone');
    const sc = (name: string, isDefault: boolean) => h.client.resource(SCS).create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) }, provisioner: 'example.com/p' } as KubeObject);
    await sc('slow', false);
    await sc('standard', true);
    await until('default class seen', async () => classOf(await h.client.resource(resources.persistentvolumeclaims).create(claim(`probe-${Date.now()}`))) === 'standard');
    await new Promise((r) => setTimeout(r, 1100)); // a newer creationTimestamp (second precision)
    await sc('fast', true);
    await until('newest default wins', async () => classOf(await h.client.resource(resources.persistentvolumeclaims).create(claim(`probe-${Date.now()}`))) === 'fast');
    assert.equal(classOf(await h.client.resource(resources.persistentvolumeclaims).create(claim('explicit-empty', ''))), '');
    assert.equal(classOf(await h.client.resource(resources.persistentvolumeclaims).create(claim('named', 'slow'))), 'slow');
  });
});
