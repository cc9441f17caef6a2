/** DefaultPreemption as pure functions (victims, PDBs, node choice, eligibility) and the plugin against a fake client. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import type { PodDisruptionBudget } from '../../../api/policy/v1/pod-disruption-budget.js';
import type { Client, ResourceRef } from '../../../client/interface.js';
import { CycleState } from '../../framework/cycle-state.js';
import { fitErrorMessage } from '../../framework/fit-error.js';
import { Framework } from '../../framework/framework.js';
import { newNodeInfo, type NodeInfo } from '../../framework/node-info.js';
import { podRequests } from '../../framework/resources.js';
import { success, unschedulable, type Status } from '../../framework/status.js';
import { insufficientResources } from '../node-resources-fit/node-resources-fit.js';
import { defaultProfile, pluginRegistry } from '../registry.js';
import { findCandidates, preemptionIneligibility } from './default-preemption.js';
import { pickOneNodeForPreemption, type Candidate } from './pick-node.js';
import { filterPodsWithPDBViolation, selectVictimsOnNode } from './victims.js';

const node = (name: string, cpu = '2'): Node => ({ metadata: { name }, status: { allocatable: { cpu, memory: '4Gi', pods: '110' } } });
const pod = (name: string, priority: number, cpu = '1', extra: { labels?: Record<string, string>; startTime?: string; nodeName?: string; ns?: string } = {}): Pod => ({
  metadata: { name, namespace: extra.ns ?? 'd', uid: `uid-${name}`, labels: extra.labels },
  spec: { priority, nodeName: extra.nodeName, containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }] },
  status: extra.startTime ? { startTime: extra.startTime } : {},
});
const pdb = (name: string, matchLabels: Record<string, string> | undefined, disruptionsAllowed: number, extra: Record<string, unknown> = {}): PodDisruptionBudget =>
  ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'd' }, spec: { selector: matchLabels ? { matchLabels } : undefined }, status: { disruptionsAllowed, ...extra } });
/** The pod fits when its requests fit (NodeResourcesFit's check). */
const fitsFor = (p: Pod) => (n: NodeInfo): Status => { const r = insufficientResources(podRequests(p), n); return r.length ? unschedulable(r) : success(); };
const names = (ps: Pod[]): string[] => ps.map((p) => p.metadata.name!);

describe('selectVictimsOnNode', () => {
  it('removes every lower-priority pod, then reprieves the most important ones that still leave room', () => {
    const n = newNodeInfo(node('n'), [pod('low1', 1), pod('low2', 2)]);
    const preemptor = pod('hi', 5);
    const r = selectVictimsOnNode(preemptor, n, [], { fits: fitsFor(preemptor) });
    assert.equal(r.status.code, 'Success');
    assert.deepEqual(names(r.victims), ['low1']);
    assert.equal(r.numPDBViolations, 0);
    assert.deepEqual(names(n.pods), ['low1', 'low2'], 'the node itself is untouched');
  });

  it('PDB-violating pods are reprieved first, so a less important unprotected pod becomes the victim', () => {
    const n = newNodeInfo(node('n'), [pod('low1', 1, '1', { labels: { app: 'db' } }), pod('low2', 2)]);
    const preemptor = pod('hi', 5);
    const r = selectVictimsOnNode(preemptor, n, [pdb('db', { app: 'db' }, 0)], { fits: fitsFor(preemptor) });
    assert.deepEqual(names(r.victims), ['low2']);
    assert.equal(r.numPDBViolations, 0);
  });

  it('counts violations when a protected pod must go; victims sorted most important first', () => {
    const n = newNodeInfo(node('n'), [pod('low1', 1), pod('low2', 2, '1', { labels: { app: 'db' } })]);
    const preemptor = pod('hi', 5, '2');
    const r = selectVictimsOnNode(preemptor, n, [pdb('db', { app: 'db' }, 0)], { fits: fitsFor(preemptor) });
    assert.deepEqual(names(r.victims), ['low2', 'low1']);
    assert.equal(r.numPDBViolations, 1);
  });

  it('equal or higher priority pods are never victims; no lower pod or no fit even then is reported', () => {
    const n = newNodeInfo(node('n'), [pod('same', 5), pod('higher', 9)]);
    const preemptor = pod('hi', 5);
    const none = selectVictimsOnNode(preemptor, n, [], { fits: fitsFor(preemptor) });
    assert.deepEqual([none.status.code, none.status.reasons], ['UnschedulableAndUnresolvable', ['No preemption victims found for incoming pod']]);
    const n2 = newNodeInfo(node('n'), [pod('low', 1), pod('higher', 9, '2')]);
    const still = selectVictimsOnNode(preemptor, n2, [], { fits: fitsFor(preemptor) });
    assert.deepEqual([still.status.code, still.status.reasons, still.victims], ['Unschedulable', ['Insufficient cpu'], []]);
  });
});

describe('filterPodsWithPDBViolation', () => {
  it('spends each budget pod by pod; ignores other namespaces, empty selectors, labelless pods and disrupted pods', () => {
    const pods = [
      pod('a', 1, '1', { labels: { app: 'x' } }), pod('b', 1, '1', { labels: { app: 'x' } }), pod('c', 1, '1', { labels: { app: 'x' } }),
      pod('other-ns', 1, '1', { labels: { app: 'x' }, ns: 'e' }), pod('nolabels', 1), pod('gone', 1, '1', { labels: { app: 'x' } }),
    ];
    const r = filterPodsWithPDBViolation(pods, [pdb('x', { app: 'x' }, 1, { disruptedPods: { gone: '2024-01-01T00:00:00Z' } }), pdb('all', {}, 0), pdb('nil', undefined, 0)]);
    assert.deepEqual(names(r.violating), ['b', 'c']);
    assert.deepEqual(names(r.nonViolating), ['a', 'other-ns', 'nolabels', 'gone']);
  });
});

describe('pickOneNodeForPreemption', () => {
  const c = (nodeName: string, victims: Pod[], numPDBViolations = 0): Candidate => ({ nodeName, victims, numPDBViolations });
  it('applies upstream criteria in order', () => {
    // Fewest PDB violations beats everything else.
    assert.equal(pickOneNodeForPreemption([c('a', [pod('x', 1)], 1), c('b', [pod('y', 100), pod('z', 100)], 0)])!.nodeName, 'b');
    // Lowest highest-priority victim.
    assert.equal(pickOneNodeForPreemption([c('a', [pod('x', 3)]), c('b', [pod('y', 2), pod('z', 2)])])!.nodeName, 'b');
    // Lowest sum of priorities (negative priorities count through the offset).
    assert.equal(pickOneNodeForPreemption([c('a', [pod('x', 2), pod('y', 1)]), c('b', [pod('z', 2), pod('w', -5)])])!.nodeName, 'b');
    // Fewest victims at equal sums: 2 victims of 0 vs 1 victim of 0.
    assert.equal(pickOneNodeForPreemption([c('a', [pod('x', 0), pod('y', 0)]), c('b', [pod('z', 0)])])!.nodeName, 'b');
    // Latest start of the earliest highest-priority victim.
    const early = pod('e', 1, '1', { startTime: '2024-01-01T00:00:00Z' });
    const late = pod('l', 1, '1', { startTime: '2024-06-01T00:00:00Z' });
    assert.equal(pickOneNodeForPreemption([c('a', [early]), c('b', [late])])!.nodeName, 'b');
    // Full tie: the first.
    assert.equal(pickOneNodeForPreemption([c('a', [late]), c('b', [late])])!.nodeName, 'a');
    assert.equal(pickOneNodeForPreemption([]), undefined);
  });
});

describe('eligibility and candidates', () => {
  it('preemptionPolicy Never and a terminating victim on the nominated node hold the pod back', () => {
    const never = { ...pod('hi', 5), spec: { ...pod('hi', 5).spec!, preemptionPolicy: 'Never' } };
    assert.equal(preemptionIneligibility(never), 'not eligible due to preemptionPolicy=Never.');
    const terminating = { ...pod('low', 1), metadata: { ...pod('low', 1).metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    const n = newNodeInfo(node('n'), [terminating]);
    assert.equal(preemptionIneligibility(pod('hi', 5), n, unschedulable('Insufficient cpu')), 'not eligible due to a terminating pod on the nominated node.');
    assert.equal(preemptionIneligibility(pod('hi', 5), n, unschedulable('x', true)), undefined);
    assert.equal(preemptionIneligibility(pod('hi', 5)), undefined);
  });

  it('only nodes rejected with Unschedulable are candidates', () => {
    const nodes = [newNodeInfo(node('a'), [pod('la', 1, '2')]), newNodeInfo(node('b'), [pod('lb', 1, '2')])];
    const preemptor = pod('hi', 5);
    const statuses = new Map([['a', unschedulable('Insufficient cpu')], ['b', unschedulable("node(s) didn't match Pod's node affinity/selector", true)]]);
    const r = findCandidates(preemptor, nodes, statuses, [], () => ({ fits: fitsFor(preemptor) }));
    assert.deepEqual(r.candidates.map((x) => [x.nodeName, names(x.victims)]), [['a', ['la']]]);
    assert.deepEqual(r.statuses.get('b')!.reasons, ['Preemption is not helpful for scheduling']);
  });
});

describe('DefaultPreemption plugin', () => {
  /** A fake client: records calls; lists `pdbs`. */
  function fakeClient(pdbs: PodDisruptionBudget[] = []) {
    const calls: string[] = [];
    const client = {
      resource: (ref: ResourceRef) => ({
        list: async () => { calls.push(`list ${ref.resource}`); return { items: pdbs }; },
        patch: async (name: string, body: { status: { conditions: Array<{ type: string; reason: string; message: string }> } }, _t: string, o: { subresource?: string }) => {
          const c = body.status.conditions[0];
          calls.push(`patch ${name}/${o.subresource} ${c.type} ${c.reason} ${c.message}`);
          return {};
        },
        delete: async (name: string, o: { preconditions?: { uid?: string } }) => { calls.push(`delete ${name} uid=${o.preconditions?.uid}`); return {}; },
      }),
    } as unknown as Client;
    return { client, calls };
  }

  it('marks and deletes the victims on the chosen node and nominates it', async () => {
    const { client, calls } = fakeClient();
    const f = new Framework(pluginRegistry, defaultProfile, { client, schedulerName: 'default-scheduler' });
    const nodes = [newNodeInfo(node('a'), [pod('a1', 3, '1', { nodeName: 'a' }), pod('a2', 3, '1', { nodeName: 'a' })]), newNodeInfo(node('b'), [pod('b1', 1, '2', { nodeName: 'b' })])];
    const preemptor = pod('hi', 10, '1500m');
    const state = new CycleState();
    const r = f.schedule(preemptor, nodes, state);
    assert.equal(r.kind, 'unschedulable');
    if (r.kind !== 'unschedulable') return;
    const out = await f.runPostFilter(state, preemptor, r.fitError);
    assert.deepEqual([out.status.code, out.nominatedNodeName], ['Success', 'b']);
    assert.deepEqual(calls, ['list poddisruptionbudgets', 'patch b1/status DisruptionTarget PreemptionByScheduler default-scheduler: preempting to accommodate a higher priority pod', 'delete b1 uid=uid-b1']);
  });

  it('explains when nothing can be preempted and clears the nomination', async () => {
    const { client, calls } = fakeClient();
    const f = new Framework(pluginRegistry, defaultProfile, { client });
    const nodes = [newNodeInfo(node('a'), [pod('a1', 10, '2', { nodeName: 'a' })])];
    const preemptor = pod('hi', 10);
    const state = new CycleState();
    const r = f.schedule(preemptor, nodes, state);
    if (r.kind !== 'unschedulable') return assert.fail(r.kind);
    const out = await f.runPostFilter(state, preemptor, r.fitError);
    assert.deepEqual([out.status.code, out.nominatedNodeName], ['Unschedulable', '']);
    r.fitError.postFilterMessage = out.status.reasons.join(', ');
    assert.equal(fitErrorMessage(r.fitError), '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    assert.deepEqual(calls, []);
  });
});
