import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { defaultProfile, pluginRegistry } from '../plugins/registry.js';
import { Framework } from './framework.js';
import { fitErrorMessage } from './fit-error.js';
import { newNodeInfo } from './node-info.js';
import { CycleState } from './cycle-state.js';
import { skip, success, unschedulable } from './status.js';

const node = (name: string, extra: Partial<Node> = {}, labels: Record<string, string> = {}): Node =>
  ({ metadata: { name, labels }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } }, ...extra });
const pod = (spec: Partial<Pod['spec']> = {}, cpu = '500m'): Pod =>
  ({ metadata: { name: 'p', namespace: 'd', uid: Math.random().toString(36) }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }], ...spec } });
const fw = () => new Framework(pluginRegistry, defaultProfile, {}, () => 0);

describe('Framework.schedule', () => {
  it('picks a feasible node; nodeSelector and nodeName narrow the choice', () => {
    const nodes = [newNodeInfo(node('n1', {}, { disk: 'ssd' }), []), newNodeInfo(node('n2', {}, { disk: 'hdd' }), [])];
    assert.deepEqual(fw().schedule(pod({ nodeSelector: { disk: 'hdd' } }), nodes), { kind: 'scheduled', nodeName: 'n2', feasibleNodes: 1, evaluatedNodes: 2 });
    const r = fw().schedule(pod({ nodeName: 'n1' }), nodes);
    assert.equal(r.kind === 'scheduled' && r.nodeName, 'n1');
  });

  it('filters round-robin and stops once numFeasibleNodesToFind nodes fit (100 of 150)', () => {
    const nodes = Array.from({ length: 150 }, (_, i) => newNodeInfo(node(`n${i}`), []));
    const f = fw();
    const first = f.schedule(pod(), nodes);
    assert.deepEqual(first.kind === 'scheduled' && [first.feasibleNodes, first.evaluatedNodes], [100, 100]);
    // The next cycle starts at n100: n100..n149 then n0..n49.
    const seen: string[] = [];
    const spy = new Framework({ ...pluginRegistry, Spy: () => ({ name: 'Spy', filter: (_s: unknown, _p: unknown, n: { node: Node }) => { seen.push(n.node.metadata.name!); return success(); } }) as never }, [{ name: 'Spy' }], {}, () => 0);
    spy.schedule(pod(), nodes);
    spy.schedule(pod(), nodes);
    assert.deepEqual([seen[100], seen[149], seen[150], seen[199]], ['n100', 'n149', 'n0', 'n49']);
  });

  it('prefers the less allocated node', () => {
    const nodes = [newNodeInfo(node('busy'), [pod(), pod()]), newNodeInfo(node('idle'), [])];
    const r = fw().schedule(pod(), nodes);
    assert.equal(r.kind === 'scheduled' && r.nodeName, 'idle');
  });

  it('avoids PreferNoSchedule taints when another node fits', () => {
    const nodes = [newNodeInfo(node('soft', { spec: { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] } }), []), newNodeInfo(node('clean'), [pod()])];
    const r = fw().schedule(pod(), nodes);
    assert.equal(r.kind === 'scheduled' && r.nodeName, 'clean');
  });

  it('explains a failure with upstream wording', () => {
    const nodes = [
      newNodeInfo(node('a', {}, { disk: 'ssd' }), []),
      newNodeInfo(node('b', { spec: { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } }, { disk: 'hdd' }), []),
      newNodeInfo(node('c', {}, { disk: 'hdd' }), [pod({}, '2')]),
    ];
    const r = fw().schedule(pod({ nodeSelector: { disk: 'hdd' } }), nodes);
    assert.equal(r.kind, 'unschedulable');
    if (r.kind !== 'unschedulable') return;
    assert.equal(fitErrorMessage(r.fitError),
      "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {k: v}. "
      + 'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.');
  });

  it('single-node selector mismatch and an empty cluster', () => {
    const r = fw().schedule(pod({ nodeSelector: { disk: 'x' } }), [newNodeInfo(node('a'), [])]);
    assert.equal(r.kind === 'unschedulable' && fitErrorMessage(r.fitError),
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
    const none = fw().schedule(pod(), []);
    assert.equal(none.kind === 'unschedulable' && fitErrorMessage(none.fitError), 'no nodes available to schedule pods');
  });

  it('a PreFilter Skip skips that plugin\'s Filter; a PreFilter rejection fails every node; a throwing plugin is an Error', () => {
    const calls: string[] = [];
    const registry = {
      Skipper: () => ({ name: 'Skipper', preFilter: () => skip(), filter: () => { calls.push('filter'); return unschedulable('never'); } }),
      Gate: () => ({ name: 'Gate', preFilter: (_s: CycleState, p: Pod) => (p.metadata.name === 'blocked' ? unschedulable('gate closed', true) : success()) }),
      Thrower: () => ({ name: 'Thrower', filter: (_s: CycleState, p: Pod) => { if (p.metadata.name === 'boom') throw new Error('kaput'); return success(); } }),
    };
    const f = new Framework(registry, [{ name: 'Skipper' }, { name: 'Gate' }, { name: 'Thrower' }]);
    const nodes = [newNodeInfo(node('a'), []), newNodeInfo(node('b'), [])];
    assert.equal(f.schedule(pod(), nodes).kind, 'scheduled');
    assert.deepEqual(calls, []);
    const blocked = f.schedule({ ...pod(), metadata: { name: 'blocked' } }, nodes);
    assert.equal(blocked.kind === 'unschedulable' && fitErrorMessage(blocked.fitError),
      '0/2 nodes are available: gate closed. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
    const boom = f.schedule({ ...pod(), metadata: { name: 'boom' } }, nodes);
    assert.equal(boom.kind, 'error');
    assert.deepEqual(boom.kind === 'error' && boom.status.reasons, ['kaput']);
  });

  it('unknown plugin names are refused', () => {
    assert.throws(() => new Framework(pluginRegistry, [{ name: 'Nope' }]), /unknown plugin "Nope"/);
  });
});

describe('Framework.runBind', () => {
  it('tries bind plugins in order until one does not Skip', async () => {
    const registry = {
      A: () => ({ name: 'A', bind: async () => skip() }),
      B: () => ({ name: 'B', bind: async () => success() }),
    };
    const s = await new Framework(registry, [{ name: 'A' }, { name: 'B' }]).runBind(new CycleState(), pod(), 'n');
    assert.equal(s.code, 'Success');
    assert.equal(s.plugin, 'B');
    const none = await new Framework(registry, [{ name: 'A' }]).runBind(new CycleState(), pod(), 'n');
    assert.equal(none.code, 'Error');
  });
});
