import { it } from 'node:test';
import assert from 'node:assert/strict';
import { failureMessage, schedulePod } from './scheduler.js';
import { isFilter, isScore } from './framework/interface.js';
import { defaultPlugins, pluginFactories } from './plugins/registry.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { Node } from '../api/core/v1/types.js';

const plugins = defaultPlugins.map((p) => pluginFactories[p]());
const filters = plugins.filter(isFilter);
const scorers = plugins.filter(isScore);
const node = (name: string, extra: Partial<Node> = {}): Node => ({ metadata: { name, labels: { disk: name === 'n1' ? 'ssd' : 'hdd' } }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } }, ...extra });
const pod = (spec: Pod['spec'] = {}): Pod => ({ metadata: { name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '500m' } } }], ...spec } });

it('filters: nodeSelector, node name, taints, unschedulable, resources', () => {
  const nodes = [{ node: node('n1'), pods: [] }, { node: node('n2'), pods: [] }];
  assert.equal(schedulePod(pod({ nodeSelector: { disk: 'hdd' } }), nodes, filters, scorers).node, 'n2');
  assert.equal(schedulePod(pod({ nodeName: 'n1' }), nodes, filters, scorers).node, 'n1');
  const tainted = [{ node: node('n1', { spec: { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } }), pods: [] }];
  const r = schedulePod(pod(), tainted, filters, scorers);
  assert.equal(r.node, undefined);
  assert.equal(failureMessage(1, r.reasons), '0/1 nodes are available: 1 node(s) had untolerated taint {k: v}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
  assert.equal(schedulePod(pod({ tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }] }), tainted, filters, scorers).node, 'n1');
  assert.equal(schedulePod(pod(), [{ node: node('n1', { spec: { unschedulable: true } }), pods: [] }], filters, scorers).node, undefined);
  const full = [{ node: node('n1'), pods: [pod(), pod(), pod(), pod()] }];
  const big = schedulePod(pod(), full, filters, scorers);
  assert.deepEqual([...big.reasons.keys()], ['Insufficient cpu']);
});

it('scoring prefers the less allocated node', () => {
  const nodes = [{ node: node('busy'), pods: [pod(), pod()] }, { node: node('idle'), pods: [] }];
  assert.equal(schedulePod(pod(), nodes, filters, scorers).node, 'idle');
});
