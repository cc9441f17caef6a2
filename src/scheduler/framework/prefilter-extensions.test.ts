/**
 * PreFilterExtensions (upstream AddPod/RemovePod) through the framework: preemption's dry
 * runs free room held by (anti-)affinity and topology spread, not only by resources, and
 * a nominated pod counts in the incoming pod's (anti-)affinity; each simulation works on
 * a clone of the cycle state and leaves the cycle's own state as it was.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { CycleState } from './cycle-state.js';
import { Framework } from './framework.js';
import { newNodeInfo, type NodeInfo } from './node-info.js';
import { success, type Status } from './status.js';
import { defaultProfile, pluginRegistry } from '../plugins/registry.js';
import { dryRunOn, findCandidates } from '../plugins/default-preemption/default-preemption.js';
import { PodNominator } from '../queue/nominator.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const node = (name: string, zone: string, cpu = '8'): Node => ({ metadata: { name, labels: { [HOST]: name, [ZONE]: zone } }, status: { allocatable: { cpu, memory: '16Gi', pods: '110' } } });
let seq = 0;
const pod = (labels: Record<string, string>, priority: number, spec: Record<string, unknown> = {}, cpu = '100m'): Pod =>
  ({ metadata: { name: `p${seq}`, namespace: 'd', uid: `u${seq++}`, labels }, spec: { priority, containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }], ...spec } } as Pod);
const antiAffinity = (matchLabels: Record<string, string>, topologyKey = HOST) =>
  ({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels }, topologyKey }] } } });

/** PreFilter and Filter of the default profile for `p` on every node: the cycle state and node name → status. */
function cycle(fw: Framework, p: Pod, nodes: NodeInfo[]): { state: CycleState; statuses: Map<string, Status> } {
  const state = new CycleState();
  state.allNodes = nodes;
  const pre = fw.runPreFilter(state, p);
  assert.equal(pre, undefined, `PreFilter passes: ${pre?.reasons}`);
  return { state, statuses: new Map(nodes.map((n) => [n.node.metadata.name!, fw.runFilter(state, p, n)])) };
}

/** Victims per candidate node of the dry runs, with and without the PreFilter extensions. */
function dryRun(p: Pod, nodes: NodeInfo[]): { withExtensions: Record<string, string[]>; filterOnly: Record<string, string[]>; state: CycleState; fw: Framework } {
  const fw = new Framework(pluginRegistry, defaultProfile, {}, () => 0);
  const { state, statuses } = cycle(fw, p, nodes);
  const victims = (sim: Parameters<typeof findCandidates>[4]) => Object.fromEntries(findCandidates(p, nodes, statuses, [], sim).candidates.map((c) => [c.nodeName, c.victims.map((v) => v.metadata.name!)]));
  const plain = state.clone();
  return { withExtensions: victims(dryRunOn(fw, state, p)), filterOnly: victims(() => ({ fits: (n) => fw.runFilter(plain, p, n) })), state, fw };
}

it('preemption frees a node held by the incoming pod\'s required anti-affinity; the cycle state is untouched', () => {
  const blocker = pod({ app: 'x' }, 0);
  const n = newNodeInfo(node('n1', 'a'), [blocker]);
  const preemptor = pod({ app: 'y' }, 10, antiAffinity({ app: 'x' }));
  const { withExtensions, filterOnly, state, fw } = dryRun(preemptor, [n]);
  assert.deepEqual(withExtensions, { n1: [blocker.metadata.name] });
  assert.deepEqual(filterOnly, {}, 'without RemovePod the blocker still counts: no candidate');
  assert.equal(fw.runFilter(state, preemptor, n).code, 'Unschedulable', 'the dry runs changed clones only');
});

it('preemption frees a node held by an existing pod\'s required anti-affinity against the incoming pod', () => {
  const blocker = pod({ app: 'x' }, 0, antiAffinity({ app: 'web' }));
  const bystander = pod({ app: 'z' }, 0);
  const n = newNodeInfo(node('n1', 'a'), [blocker, bystander]);
  const { withExtensions, filterOnly } = dryRun(pod({ app: 'web' }, 10), [n]);
  assert.deepEqual(withExtensions, { n1: [blocker.metadata.name] }, 'the bystander is reprieved');
  assert.deepEqual(filterOnly, {});
});

it('preemption under topology spread removes only as many matching pods as the skew needs', () => {
  const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] };
  const lows = [pod({ app: 'web' }, 0), pod({ app: 'web' }, 0)];
  // Zone a: 2 low-priority web pods; zone b: 1 web pod of high priority on a full node.
  const nodes = [newNodeInfo(node('a1', 'a'), lows), newNodeInfo(node('b1', 'b', '1'), [pod({ app: 'web' }, 100, {}, '1')])];
  const { withExtensions, filterOnly } = dryRun(pod({ app: 'web' }, 5, spread), nodes);
  assert.deepEqual(Object.keys(withExtensions), ['a1']);
  assert.equal(withExtensions.a1.length, 1, 'one of the two goes: zone a 1 + 1 − min 1 ≤ maxSkew');
  assert.ok(lows.some((p) => p.metadata.name === withExtensions.a1[0]));
  assert.deepEqual(filterOnly, {});
});

it('a nominated pod counts in the incoming pod\'s anti-affinity on its node (AddPod on a clone)', () => {
  const nominated = pod({ app: 'x' }, 10);
  const nominator = new PodNominator();
  nominator.add(nominated, 'n1');
  const fw = new Framework(pluginRegistry, defaultProfile, { nominator }, () => 0);
  const n = newNodeInfo(node('n1', 'a'), []);
  const incoming = pod({ app: 'y' }, 10, antiAffinity({ app: 'x' }));
  const { state } = cycle(fw, incoming, [n]);
  assert.equal(fw.runFilter(state, incoming, n).code, 'Success', 'alone, the node fits');
  const s = fw.runFilterWithNominatedPods(state, incoming, n);
  assert.equal(s.code, 'Unschedulable');
  assert.deepEqual(s.reasons, ["node(s) didn't match pod anti-affinity rules"]);
  assert.deepEqual(fw.runFilter(state, incoming, n), success(), 'the cycle state is unchanged');
});
