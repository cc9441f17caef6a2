import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { defaultProfile, pluginRegistry } from '../plugins/registry.js';
import { Framework } from '../framework/framework.js';
import { newNodeInfo } from '../framework/node-info.js';
import { PodNominator } from './nominator.js';

const node = (name: string): Node => ({ metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const pod = (uid: string, cpu: string, priority?: number, status: Pod['status'] = {}): Pod =>
  ({ metadata: { name: uid, namespace: 'd', uid }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }], ...(priority !== undefined ? { priority } : {}) }, status });

describe('PodNominator', () => {
  it('follows nominatedNodeName of unbound pods, and forgets bound, deleting and cleared ones', () => {
    const n = new PodNominator();
    n.update(pod('h', '3', 100, { nominatedNodeName: 'n1' }));
    assert.deepEqual(n.podsFor('n1').map((p) => p.metadata.uid), ['h']);
    n.update(pod('h', '3', 100, { nominatedNodeName: 'n2' }));
    assert.deepEqual([n.podsFor('n1').length, n.podsFor('n2').length, n.size], [0, 1, 1]);
    n.update({ ...pod('h', '3', 100, { nominatedNodeName: 'n2' }), spec: { ...pod('h', '3').spec!, nodeName: 'n2' } });
    assert.equal(n.size, 0, 'bound');
    n.update(pod('x', '1', 0, { nominatedNodeName: 'n1' }));
    n.update({ ...pod('x', '1', 0, { nominatedNodeName: 'n1' }), metadata: { name: 'x', namespace: 'd', uid: 'x', deletionTimestamp: '2026-12-02T00:00:00Z' } });
    assert.equal(n.size, 0, 'deleting');
    n.add(pod('y', '1'), 'n1');
    n.add(pod('y', '1'), '');
    assert.equal(n.size, 0, 'cleared');
    n.add(pod('z', '1'), 'n1');
    n.delete('z');
    assert.deepEqual([n.size, n.podsFor('n1')], [0, []]);
  });
});

describe('filtering with nominated pods (upstream RunFilterPluginsWithNominatedPods)', () => {
  const setup = () => {
    const nominator = new PodNominator();
    nominator.add(pod('high', '3', 100), 'n1'); // preempted its way to n1 and waits for its victim to go
    const fw = new Framework(pluginRegistry, defaultProfile, { nominator }, () => 0);
    return { fw, nodes: [newNodeInfo(node('n1'), [])] };
  };

  it('a pod of lower or equal priority does not take the room kept for the nominated pod', () => {
    const { fw, nodes } = setup();
    for (const priority of [0, 100]) {
      const r = fw.schedule(pod(`low-${priority}`, '2', priority), nodes);
      assert.equal(r.kind, 'unschedulable', `priority ${priority}`);
      if (r.kind === 'unschedulable') assert.deepEqual(r.fitError.nodeStatuses.get('n1')?.reasons, ['Insufficient cpu']);
    }
    assert.equal(fw.schedule(pod('small', '1', 0), nodes).kind, 'scheduled', 'what is left beside it is free');
  });

  it('a pod of higher priority ignores the nomination, and the nominated pod itself fits', () => {
    const { fw, nodes } = setup();
    const higher = fw.schedule(pod('higher', '2', 1000), nodes);
    assert.equal(higher.kind === 'scheduled' && higher.nodeName, 'n1');
    const itself = fw.schedule(pod('high', '3', 100, { nominatedNodeName: 'n1' }), nodes);
    assert.equal(itself.kind === 'scheduled' && itself.nodeName, 'n1');
  });
});
