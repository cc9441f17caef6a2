import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import type { KubeObject } from '../../../api/object.js';
import { Framework } from '../../framework/framework.js';
import { fitErrorMessage } from '../../framework/fit-error.js';
import type { ObjectGetter } from '../../framework/interface.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { defaultProfile, pluginRegistry } from '../registry.js';

const node = (name: string): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' } } });
const nodes = () => [newNodeInfo(node('a'), []), newNodeInfo(node('b'), [])];
const pod = (...claims: string[]): Pod => ({ metadata: { name: 'web', namespace: 'd', uid: 'u-web' }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } })) } });
const claim = (name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'd', ...extra }, spec: { accessModes: ['ReadWriteOnce'], ...spec } } as KubeObject);
const volume = (name: string, hostname?: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: hostname ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [hostname] }] }] } } } : {} } as KubeObject);
const storageClass = (name: string, volumeBindingMode: string): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'example.com/p', volumeBindingMode } as KubeObject);

/** A framework of the default profile whose getter serves `objects` (namespace/name or name as key). */
function fw(objects: KubeObject[]): Framework {
  const getter: ObjectGetter = (resource, namespace, name) => objects.find((o) => {
    const kind = { persistentvolumeclaims: 'PersistentVolumeClaim', persistentvolumes: 'PersistentVolume', storageclasses: 'StorageClass' }[resource];
    return o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? '') === namespace;
  });
  return new Framework(pluginRegistry, defaultProfile, { objectGetter: getter }, () => 0);
}
const outcome = (f: Framework, p: Pod): string => {
  const r = f.schedule(p, nodes());
  return r.kind === 'scheduled' ? `scheduled on ${r.nodeName}` : r.kind === 'unschedulable' ? fitErrorMessage(r.fitError) : `error: ${r.status.reasons}`;
};

it('VolumeBinding: a pod without claims is not checked; a missing or deleting claim is unresolvable', () => {
  assert.match(outcome(fw([]), pod()), /^scheduled/);
  assert.match(outcome(fw([]), pod('data')), /^0\/2 nodes are available: persistentvolumeclaim "data" not found\./);
  assert.match(outcome(fw([claim('data', { volumeName: 'pv1' }, { deletionTimestamp: '2026-12-02T00:00:00Z' })]), pod('data')), /persistentvolumeclaim "data" is being deleted/);
});

it('VolumeBinding: an unbound claim of an Immediate class (or of none) waits; of a WaitForFirstConsumer class it passes', () => {
  assert.match(outcome(fw([claim('data', { storageClassName: 'fast' }), storageClass('fast', 'Immediate')]), pod('data')), /pod has unbound immediate PersistentVolumeClaims/);
  assert.match(outcome(fw([claim('data', {})]), pod('data')), /pod has unbound immediate PersistentVolumeClaims/);
  assert.match(outcome(fw([claim('data', { storageClassName: 'local' }), storageClass('local', 'WaitForFirstConsumer')]), pod('data')), /^scheduled/);
  assert.match(outcome(fw([claim('data', { storageClassName: 'gone' })]), pod('data')), /^error: storageclass\.storage\.k8s\.io "gone" not found/);
});

it('VolumeBinding: a bound claim\'s volume must exist and its node affinity must match the node', () => {
  assert.equal(outcome(fw([claim('data', { volumeName: 'pv1' }), volume('pv1', 'b')]), pod('data')), 'scheduled on b');
  assert.equal(outcome(fw([claim('data', { volumeName: 'pv1' }), volume('pv1')]), pod('data')).startsWith('scheduled'), true, 'no affinity: any node');
  assert.match(outcome(fw([claim('data', { volumeName: 'pv1' }), volume('pv1', 'c')]), pod('data')), /^0\/2 nodes are available: 2 node\(s\) had volume node affinity conflict\./);
  assert.match(outcome(fw([claim('data', { volumeName: 'pv9' })]), pod('data')), /2 node\(s\) unavailable due to one or more pvc\(s\) bound to non-existent pv\(s\)/);
});
