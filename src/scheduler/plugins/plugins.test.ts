import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { CycleState } from '../framework/cycle-state.js';
import { newNodeInfo } from '../framework/node-info.js';
import { podRequests } from '../framework/resources.js';
import { nodeAffinity, matchRequirement } from './node-affinity/node-affinity.js';
import { nodeName } from './node-name/node-name.js';
import { nodePorts } from './node-ports/node-ports.js';
import { balancedScore } from './node-resources-balanced-allocation/node-resources-balanced-allocation.js';
import { nodeResourcesFit, leastRequestedScore } from './node-resources-fit/node-resources-fit.js';
import { nodeUnschedulable } from './node-unschedulable/node-unschedulable.js';
import { taintToleration, tolerates } from './taint-toleration/taint-toleration.js';
import { defaultBinder } from './default-binder/default-binder.js';
import type { Client } from '../../client/interface.js';

const node = (name: string, extra: Partial<Node> = {}, labels: Record<string, string> = {}): Node =>
  ({ metadata: { name, labels }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '3' } }, ...extra });
const pod = (spec: Partial<Pod['spec']> = {}, cpu?: string, phase?: string): Pod => ({
  metadata: { name: 'p', namespace: 'd', uid: Math.random().toString(36) },
  spec: { containers: [{ name: 'c', image: 'i', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...spec },
  ...(phase ? { status: { phase } } : {}),
});
const st = () => new CycleState();

describe('NodeName', () => {
  it('fits only the named node', () => {
    const p = nodeName();
    assert.equal(p.filter(st(), pod({ nodeName: 'a' }), newNodeInfo(node('a'), [])).code, 'Success');
    const s = p.filter(st(), pod({ nodeName: 'a' }), newNodeInfo(node('b'), []));
    assert.equal(s.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(s.reasons, ["node(s) didn't match the requested node name"]);
  });
});

describe('NodeUnschedulable', () => {
  it('rejects cordoned nodes unless the pod tolerates the unschedulable taint', () => {
    const p = nodeUnschedulable();
    const cordoned = newNodeInfo(node('a', { spec: { unschedulable: true } }), []);
    assert.deepEqual(p.filter(st(), pod(), cordoned).reasons, ['node(s) were unschedulable']);
    assert.equal(p.filter(st(), pod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), cordoned).code, 'Success');
    assert.equal(p.filter(st(), pod(), newNodeInfo(node('a'), [])).code, 'Success');
  });
});

describe('NodeAffinity', () => {
  const p = nodeAffinity();
  const ssd = newNodeInfo(node('a', {}, { disk: 'ssd', gen: '5' }), []);
  const req = (matchExpressions: unknown[]) => pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } } } as never);
  it('skips its filter when the pod has no selector or required affinity', () => {
    assert.equal(p.preFilter(st(), pod()).code, 'Skip');
    assert.equal(p.preFilter(st(), pod({ nodeSelector: { disk: 'ssd' } })).code, 'Success');
  });
  it('matches nodeSelector and the operators', () => {
    assert.equal(p.filter(st(), pod({ nodeSelector: { disk: 'ssd' } }), ssd).code, 'Success');
    const miss = p.filter(st(), pod({ nodeSelector: { disk: 'hdd' } }), ssd);
    assert.equal(miss.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(miss.reasons, ["node(s) didn't match Pod's node affinity/selector"]);
    assert.equal(p.filter(st(), req([{ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }]), ssd).code, 'Success');
    assert.equal(p.filter(st(), req([{ key: 'disk', operator: 'NotIn', values: ['ssd'] }]), ssd).code, 'UnschedulableAndUnresolvable');
    assert.equal(p.filter(st(), req([{ key: 'gen', operator: 'Gt', values: ['4'] }, { key: 'zone', operator: 'DoesNotExist' }]), ssd).code, 'Success');
    assert.equal(p.filter(st(), req([{ key: 'gen', operator: 'Lt', values: ['5'] }]), ssd).code, 'UnschedulableAndUnresolvable');
    assert.equal(p.filter(st(), req([{ key: 'gpu', operator: 'Exists' }]), ssd).code, 'UnschedulableAndUnresolvable');
  });
  it('Gt/Lt need integers; NotIn matches a missing label', () => {
    assert.equal(matchRequirement({ a: 'x' }, { key: 'a', operator: 'Gt', values: ['1'] }), false);
    assert.equal(matchRequirement({}, { key: 'a', operator: 'NotIn', values: ['1'] }), true);
  });
  it('scores preferred terms by weight, normalized to 100', () => {
    const pp = pod({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } } } as never);
    const scores = Float64Array.of(p.score(st(), pp, ssd), p.score(st(), pp, newNodeInfo(node('b'), [])));
    p.normalizeScores!(st(), pp, scores);
    assert.deepEqual([...scores], [100, 0]);
  });
});

describe('NodeResourcesFit', () => {
  const p = nodeResourcesFit();
  it('counts app containers summed, init containers maxed, and overhead', () => {
    const r = podRequests({ metadata: {}, spec: {
      containers: [{ name: 'a', image: 'i', resources: { requests: { cpu: '100m', memory: '1Mi' } } }, { name: 'b', image: 'i', resources: { requests: { cpu: '200m' } } }],
      initContainers: [{ name: 'i', image: 'i', resources: { requests: { cpu: '500m' } } }],
      overhead: { cpu: '50m' },
    } } as Pod);
    assert.ok(Math.abs(r.cpu - 0.55) < 1e-9);
    assert.equal(r.memory, 1024 * 1024);
  });
  it('rejects when cpu or the pod count would exceed allocatable; terminal pods do not count', () => {
    const state = st();
    const big = pod({}, '1500m');
    p.preFilter(state, big);
    assert.deepEqual(p.filter(state, big, newNodeInfo(node('a'), [pod({}, '1')])).reasons, ['Insufficient cpu']);
    assert.equal(p.filter(state, big, newNodeInfo(node('a'), [pod({}, '1', 'Succeeded')])).code, 'Success');
    const full = newNodeInfo(node('a'), [pod(), pod(), pod()]);
    const s = p.filter(st(), pod(), full);
    assert.equal(s.code, 'Unschedulable');
    assert.deepEqual(s.reasons, ['Too many pods']);
    assert.deepEqual(p.filter(st(), pod({}, undefined), newNodeInfo(node('a', { status: { allocatable: { cpu: '0', pods: '10' } } }), [])).code, 'Success');
  });
  it('scores the less allocated node higher', () => {
    assert.equal(leastRequestedScore(1, 4), 75);
    assert.equal(leastRequestedScore(5, 4), 0);
    const busy = p.score(st(), pod({}, '500m'), newNodeInfo(node('a'), [pod({}, '1')]));
    const idle = p.score(st(), pod({}, '500m'), newNodeInfo(node('b'), []));
    assert.ok(idle > busy, `${idle} > ${busy}`);
  });
});

describe('NodeResourcesBalancedAllocation', () => {
  it('is 100 for equal fractions and lower for skewed ones', () => {
    assert.equal(balancedScore(0.5, 0.5), 100);
    assert.equal(balancedScore(1, 0), 50);
    assert.equal(balancedScore(1.5, 1), 100, 'fractions capped at 1');
    assert.equal(balancedScore(0.3, undefined), 100, 'one fraction: no deviation');
  });
});

describe('TaintToleration', () => {
  const p = taintToleration();
  it('filters NoSchedule/NoExecute taints and names the taint', () => {
    const n = newNodeInfo(node('a', { spec: { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } }), []);
    const s = p.filter(st(), pod(), n);
    assert.equal(s.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(s.reasons, ['node(s) had untolerated taint {k: v}']);
    assert.equal(p.filter(st(), pod({ tolerations: [{ key: 'k', operator: 'Equal', value: 'v' }] }), n).code, 'Success');
    assert.equal(p.filter(st(), pod({ tolerations: [{ operator: 'Exists' }] }), n).code, 'Success');
    assert.equal(p.filter(st(), pod({ tolerations: [{ key: 'k', operator: 'Equal', value: 'other' }] }), n).code, 'UnschedulableAndUnresolvable');
    assert.equal(p.filter(st(), pod(), newNodeInfo(node('a', { spec: { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] } }), [])).code, 'Success');
  });
  it('tolerates: effect and operator rules', () => {
    assert.equal(tolerates({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, { key: 'k', effect: 'NoSchedule' }), false);
    assert.equal(tolerates({ key: 'k' }, { key: 'k', value: '', effect: 'NoSchedule' }), true);
  });
  it('scores fewer untolerated PreferNoSchedule taints higher', () => {
    const soft = newNodeInfo(node('soft', { spec: { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] } }), []);
    const clean = newNodeInfo(node('clean'), []);
    const scores = Float64Array.of(p.score(st(), pod(), soft), p.score(st(), pod(), clean));
    p.normalizeScores!(st(), pod(), scores);
    assert.deepEqual([...scores], [0, 100]);
  });
});

describe('NodePorts', () => {
  it('rejects a node where the host port is taken', () => {
    const p = nodePorts();
    const withPort = (port: number) => pod({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, hostPort: port }] }] });
    assert.equal(p.preFilter(st(), pod()).code, 'Skip');
    assert.equal(p.filter(st(), withPort(8080), newNodeInfo(node('a'), [withPort(8080)])).code, 'Unschedulable');
    assert.equal(p.filter(st(), withPort(8080), newNodeInfo(node('a'), [withPort(9090)])).code, 'Success');
  });
});

describe('DefaultBinder', () => {
  it('POSTs a Binding to pods/{name}/binding', async () => {
    const calls: unknown[] = [];
    const client = { resource: () => ({ create: async (obj: unknown, opts: unknown) => { calls.push([obj, opts]); return obj; } }) } as unknown as Client;
    const s = await defaultBinder({ client }).bind(st(), { metadata: { name: 'web', namespace: 'd', uid: 'u1' } }, 'n1');
    assert.equal(s.code, 'Success');
    assert.deepEqual(calls, [[
      { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web', namespace: 'd', uid: 'u1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } },
      { namespace: 'd', name: 'web', subresource: 'binding' }]]);
    const failing = { resource: () => ({ create: async () => { throw new Error('boom'); } }) } as unknown as Client;
    const f = await defaultBinder({ client: failing }).bind(st(), { metadata: { name: 'web', namespace: 'd' } }, 'n1');
    assert.equal(f.code, 'Error');
    assert.deepEqual(f.reasons, ['boom']);
  });
});
