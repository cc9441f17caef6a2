import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import type { KubeObject } from '../../../api/object.js';
import { CycleState } from '../../framework/cycle-state.js';
import { Framework } from '../../framework/framework.js';
import { fitErrorMessage } from '../../framework/fit-error.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { dryRunOn, findCandidates } from '../default-preemption/default-preemption.js';
import { defaultProfile, pluginRegistry } from '../registry.js';

const node = (name: string): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' } } });
const pod = (name: string, claim: string, priority = 0, ns = 'd'): Pod => ({ metadata: { name, namespace: ns, uid: `u-${name}` }, spec: { priority, containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }] } });
const claims: KubeObject[] = [
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'solo', namespace: 'd' }, spec: { accessModes: ['ReadWriteOncePod'], volumeName: 'pv1' } } as KubeObject,
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'shared', namespace: 'd' }, spec: { accessModes: ['ReadWriteOnce'], volumeName: 'pv2' } } as KubeObject,
  { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: {} } as KubeObject,
  { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv2' }, spec: {} } as KubeObject,
];
const fw = () => new Framework(pluginRegistry, defaultProfile, {
  objectGetter: (resource, namespace, name) => claims.find((o) => o.metadata.name === name && (o.metadata.namespace ?? '') === namespace && (resource === 'persistentvolumeclaims') === (o.kind === 'PersistentVolumeClaim')),
}, () => 0);

it('VolumeRestrictions: a ReadWriteOncePod claim in use by another pod blocks every node; ReadWriteOnce and other namespaces do not', () => {
  const nodes = [newNodeInfo(node('a'), [pod('user', 'solo'), pod('other', 'shared'), pod('elsewhere', 'solo', 0, 'x')]), newNodeInfo(node('b'), [])];
  const r = fw().schedule(pod('web', 'solo'), nodes);
  assert.equal(r.kind, 'unschedulable');
  if (r.kind === 'unschedulable') assert.match(fitErrorMessage(r.fitError), /^0\/2 nodes are available: 2 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode\./);
  assert.equal(fw().schedule(pod('web', 'shared'), nodes).kind, 'scheduled');
  assert.equal(fw().schedule(pod('web', 'solo'), [newNodeInfo(node('a'), [pod('elsewhere', 'solo', 0, 'x')])]).kind, 'scheduled');
});

it('VolumeRestrictions: preemption can remove the lower-priority pod holding the ReadWriteOncePod claim (RemovePod on a clone)', () => {
  const user = pod('user', 'solo', 0);
  const nodes = [newNodeInfo(node('a'), [user])];
  const f = fw();
  const incoming = pod('web', 'solo', 10);
  const state = new CycleState();
  state.allNodes = nodes;
  assert.equal(f.runPreFilter(state, incoming), undefined);
  const statuses = new Map(nodes.map((n) => [n.node.metadata.name!, f.runFilter(state, incoming, n)]));
  assert.equal(statuses.get('a')!.code, 'Unschedulable', 'preemption may help');
  const { candidates } = findCandidates(incoming, nodes, statuses, [], dryRunOn(f, state, incoming));
  assert.deepEqual(candidates.map((c) => [c.nodeName, c.victims.map((v) => v.metadata.name)]), [['a', ['user']]]);
});
