import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import { Framework } from '../../framework/framework.js';
import { fitErrorMessage } from '../../framework/fit-error.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { defaultProfile, pluginRegistry } from '../registry.js';

const node = (name: string, zone?: string): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } }, status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' } } });
let seq = 0;
const pod = (labels: Record<string, string>, spec: Partial<Pod['spec']> = {}, ns = 'd'): Pod =>
  ({ metadata: { name: `p${seq}`, namespace: ns, uid: `u${seq++}`, labels }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
const spread = (maxSkew: number, when = 'DoNotSchedule', extra: object = {}) => ({ topologySpreadConstraints: [{ maxSkew, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: when, labelSelector: { matchLabels: { app: 'web' } }, ...extra }] });
const fw = () => new Framework(pluginRegistry, defaultProfile, {}, () => 0);

it('DoNotSchedule keeps the skew between zones within maxSkew, counting only matching pods of the namespace', () => {
  // zone a: 2 web pods, zone b: 1, zone c: 0 (plus pods that do not count).
  const nodes = [
    newNodeInfo(node('a1', 'a'), [pod({ app: 'web' }), pod({ app: 'web' })]),
    newNodeInfo(node('b1', 'b'), [pod({ app: 'web' }), pod({ app: 'db' }), pod({ app: 'web' }, {}, 'other')]),
    newNodeInfo(node('c1', 'c'), []),
  ];
  const r = fw().schedule(pod({ app: 'web' }, spread(1)), nodes);
  assert.equal(r.kind === 'scheduled' && r.nodeName, 'c1', 'only zone c keeps the skew ≤ 1');
  // A node without the zone label cannot hold it at all.
  const r2 = fw().schedule(pod({ app: 'web' }, spread(1)), [newNodeInfo(node('nolabel'), [])]);
  assert.equal(r2.kind, 'unschedulable');
  if (r2.kind === 'unschedulable') assert.match(fitErrorMessage(r2.fitError), /1 node\(s\) didn't match pod topology spread constraints \(missing required label\)/);
  // A pod not matching its own selector adds nothing to the skew: zone a (2 vs min 1) is fine.
  const r3 = fw().schedule(pod({ app: 'other' }, spread(1)), nodes.slice(0, 2));
  assert.equal(r3.kind, 'scheduled');
  const r4 = fw().schedule(pod({ app: 'web' }, spread(1)), nodes.slice(0, 2));
  assert.equal(r4.kind === 'scheduled' && r4.nodeName, 'b1', 'zone a would reach skew 2');
});

it('minDomains: with fewer domains than asked the minimum counts as 0', () => {
  const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web' })]), newNodeInfo(node('b1', 'b'), [pod({ app: 'web' })])];
  assert.equal(fw().schedule(pod({ app: 'web' }, spread(1)), nodes).kind, 'scheduled');
  assert.equal(fw().schedule(pod({ app: 'web' }, spread(1, 'DoNotSchedule', { minDomains: 3 })), nodes).kind, 'unschedulable');
});

it('ScheduleAnyway prefers the zone with fewer matching pods', () => {
  const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web' }), pod({ app: 'web' })]), newNodeInfo(node('b1', 'b'), [])];
  const r = fw().schedule(pod({ app: 'web' }, spread(1, 'ScheduleAnyway')), nodes);
  assert.equal(r.kind === 'scheduled' && r.nodeName, 'b1');
});
