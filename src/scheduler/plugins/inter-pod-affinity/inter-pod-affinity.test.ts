import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import { CycleState } from '../../framework/cycle-state.js';
import { Framework } from '../../framework/framework.js';
import { fitErrorMessage } from '../../framework/fit-error.js';
import { newNodeInfo, removePodFromNodeInfo, type NodeInfo } from '../../framework/node-info.js';
import type { FrameworkHandle } from '../../framework/interface.js';
import { interPodAffinity, INTER_POD_AFFINITY } from './inter-pod-affinity.js';
import { defaultProfile, pluginRegistry } from '../registry.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const node = (name: string, zone?: string): Node => ({ metadata: { name, labels: { [HOST]: name, ...(zone ? { [ZONE]: zone } : {}) } }, status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' } } });
let seq = 0;
const pod = (labels: Record<string, string>, affinity?: object, ns = 'd'): Pod =>
  ({ metadata: { name: `p${seq}`, namespace: ns, uid: `u${seq++}`, labels }, spec: { containers: [{ name: 'c', image: 'i' }], ...(affinity ? { affinity } : {}) } } as Pod);
const term = (matchLabels: Record<string, string>, topologyKey = ZONE, extra: object = {}) => ({ labelSelector: { matchLabels }, topologyKey, ...extra });
const required = (kind: 'podAffinity' | 'podAntiAffinity', ...terms: object[]) => ({ [kind]: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const preferred = (kind: 'podAffinity' | 'podAntiAffinity', ...terms: Array<[number, object]>) =>
  ({ [kind]: { preferredDuringSchedulingIgnoredDuringExecution: terms.map(([weight, podAffinityTerm]) => ({ weight, podAffinityTerm })) } });
const fw = (handle: FrameworkHandle = {}) => new Framework(pluginRegistry, defaultProfile, handle, () => 0);

/** Runs PreFilter then Filter on every node; node name → status code and reasons (or the PreFilter code). */
function filterAll(p: Pod, nodes: NodeInfo[], handle: FrameworkHandle = {}): Record<string, string> | string {
  const pl = interPodAffinity(handle);
  const state = new CycleState();
  state.allNodes = nodes;
  const pre = pl.preFilter(state, p);
  if (pre.code !== 'Success') return pre.code;
  return Object.fromEntries(nodes.map((n) => {
    const s = pl.filter(state, p, n);
    return [n.node.metadata.name!, s.code === 'Success' ? 'Success' : `${s.code}: ${s.reasons.join(', ')}`];
  }));
}

describe('InterPodAffinity filter', () => {
  const AFF = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules";
  const ANTI = "Unschedulable: node(s) didn't match pod anti-affinity rules";
  const EXISTING = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";

  it('skips when the pod has no required terms and no existing anti-affinity term matches it', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'db' }, required('podAntiAffinity', term({ app: 'other' })))])];
    assert.equal(filterAll(pod({ app: 'web' }), nodes), 'Skip');
    assert.equal(filterAll(pod({ app: 'web' }, preferred('podAffinity', [10, term({ app: 'db' })])), nodes), 'Skip');
    assert.deepEqual(filterAll(pod({ app: 'other' }), nodes), { a1: EXISTING });
  });

  it('required affinity: a matching pod in the node\'s domain; a node without the key never fits', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'db' })]), newNodeInfo(node('a2', 'a'), []), newNodeInfo(node('b1', 'b'), [pod({ app: 'web' })]), newNodeInfo(node('x'), [])];
    assert.deepEqual(filterAll(pod({ app: 'web' }, required('podAffinity', term({ app: 'db' }))), nodes), { a1: 'Success', a2: 'Success', b1: AFF, x: AFF });
    // A pod of another namespace does not count (the term defaults to the pod's own namespace).
    assert.deepEqual(filterAll(pod({ app: 'web' }, required('podAffinity', term({ app: 'db' })), 'other'), nodes), { a1: AFF, a2: AFF, b1: AFF, x: AFF });
    // Several terms: one pod must match all of them to count.
    const two = required('podAffinity', term({ app: 'db' }), term({ tier: 'back' }, HOST));
    assert.deepEqual(filterAll(pod({}, two), nodes), { a1: AFF, a2: AFF, b1: AFF, x: AFF });
  });

  it('the first pod of a self-affine group may go to any node with the keys', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'db' })]), newNodeInfo(node('x'), [])];
    assert.deepEqual(filterAll(pod({ app: 'web' }, required('podAffinity', term({ app: 'web' }))), nodes), { a1: 'Success', x: AFF });
    // Not matching its own term: no exception.
    assert.deepEqual(filterAll(pod({ app: 'api' }, required('podAffinity', term({ app: 'web' }))), nodes), { a1: AFF, x: AFF });
    // Once a matching pod exists somewhere, only its domain fits.
    const withWeb = [...nodes, newNodeInfo(node('b1', 'b'), [pod({ app: 'web' })])];
    assert.deepEqual(filterAll(pod({ app: 'web' }, required('podAffinity', term({ app: 'web' }))), withWeb), { a1: AFF, x: AFF, b1: 'Success' });
  });

  it('required anti-affinity of the incoming pod and of existing pods', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web' })]), newNodeInfo(node('a2', 'a'), []), newNodeInfo(node('b1', 'b'), []), newNodeInfo(node('x'), [])];
    // Per host: only a1 holds a web pod.
    assert.deepEqual(filterAll(pod({ app: 'web' }, required('podAntiAffinity', term({ app: 'web' }, HOST))), nodes), { a1: ANTI, a2: 'Success', b1: 'Success', x: 'Success' });
    // Per zone: zone a is out; a node without the key is fine.
    assert.deepEqual(filterAll(pod({ app: 'web' }, required('podAntiAffinity', term({ app: 'web' }))), nodes), { a1: ANTI, a2: ANTI, b1: 'Success', x: 'Success' });
    // An existing pod repelling the incoming one from its zone.
    const guard = [newNodeInfo(node('a1', 'a'), [pod({ app: 'db' }, required('podAntiAffinity', term({ app: 'web' })))]), newNodeInfo(node('a2', 'a'), []), newNodeInfo(node('b1', 'b'), [])];
    assert.deepEqual(filterAll(pod({ app: 'web' }), guard), { a1: EXISTING, a2: EXISTING, b1: 'Success' });
  });

  it('namespaces, namespaceSelector (with the handle\'s namespace lister) and {} for all namespaces', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'db' }, undefined, 'prod')]), newNodeInfo(node('b1', 'b'), [pod({ app: 'db' }, undefined, 'dev')])];
    const anti = (extra: object) => pod({ app: 'web' }, required('podAntiAffinity', term({ app: 'db' }, ZONE, extra)));
    assert.deepEqual(filterAll(anti({ namespaces: ['prod'] }), nodes), { a1: ANTI, b1: 'Success' });
    assert.deepEqual(filterAll(anti({ namespaceSelector: {} }), nodes), { a1: ANTI, b1: ANTI });
    const lister = (name: string) => ({ prod: { env: 'prod' }, dev: { env: 'dev' }, d: { env: 'dev' } } as Record<string, Record<string, string>>)[name];
    assert.deepEqual(filterAll(anti({ namespaceSelector: { matchLabels: { env: 'dev' } } }), nodes, { namespaceLister: lister }), { a1: 'Success', b1: ANTI });
    // Without namespace labels a non-empty selector picks no namespace.
    assert.deepEqual(filterAll(anti({ namespaceSelector: { matchLabels: { env: 'dev' } } }), nodes), { a1: 'Success', b1: 'Success' });
    // Existing pods' selectors are matched against the incoming pod's namespace labels.
    const guard = [newNodeInfo(node('a1', 'a'), [pod({ app: 'db' }, required('podAntiAffinity', term({ app: 'web' }, ZONE, { namespaceSelector: { matchLabels: { env: 'dev' } } })), 'prod')])];
    assert.deepEqual(filterAll(pod({ app: 'web' }), guard, { namespaceLister: lister }), { a1: EXISTING });
    assert.equal(filterAll(pod({ app: 'web' }, undefined, 'prod'), guard, { namespaceLister: lister }), 'Skip');
  });

  it('matchLabelKeys and mismatchLabelKeys add the owner\'s label values to the selector', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web', rev: '1' })]), newNodeInfo(node('b1', 'b'), [pod({ app: 'web', rev: '2' })])];
    assert.deepEqual(filterAll(pod({ app: 'web', rev: '2' }, required('podAntiAffinity', term({ app: 'web' }, ZONE, { matchLabelKeys: ['rev'] }))), nodes), { a1: 'Success', b1: ANTI });
    assert.deepEqual(filterAll(pod({ app: 'web', rev: '2' }, required('podAntiAffinity', term({ app: 'web' }, ZONE, { mismatchLabelKeys: ['rev'] }))), nodes), { a1: ANTI, b1: 'Success' });
    // A key the pod does not carry adds nothing.
    assert.deepEqual(filterAll(pod({ app: 'web' }, required('podAntiAffinity', term({ app: 'web' }, ZONE, { matchLabelKeys: ['rev'] }))), nodes), { a1: ANTI, b1: ANTI });
  });

  it('through the framework: the FailedScheduling message and the code per node', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web' })]), newNodeInfo(node('x'), [])];
    const r = fw().schedule(pod({ app: 'web' }, { ...required('podAffinity', term({ app: 'db' })) }), nodes);
    assert.equal(r.kind, 'unschedulable');
    if (r.kind === 'unschedulable') {
      assert.match(fitErrorMessage(r.fitError), /^0\/2 nodes are available: 2 node\(s\) didn't match pod affinity rules\./);
      assert.equal(r.fitError.nodeStatuses.get('a1')?.plugin, INTER_POD_AFFINITY);
    }
    const r2 = fw().schedule(pod({ app: 'web' }, required('podAntiAffinity', term({ app: 'web' }, HOST))), nodes);
    assert.equal(r2.kind === 'scheduled' && r2.nodeName, 'x');
  });
});

describe('InterPodAffinity score', () => {
  /** Raw and normalized scores of the plugin alone over `nodes` (all feasible). */
  function scores(p: Pod, nodes: NodeInfo[]): { code: string; raw?: Record<string, number>; normalized?: Record<string, number> } {
    const pl = interPodAffinity();
    const state = new CycleState();
    state.allNodes = nodes;
    const s = pl.preScore(state, p, nodes);
    if (s.code !== 'Success') return { code: s.code };
    const m = Float64Array.from(nodes, (n) => pl.score(state, p, n));
    const byName = (): Record<string, number> => Object.fromEntries(nodes.map((n, i) => [n.node.metadata.name!, m[i]]));
    const raw = byName();
    pl.normalizeScores!(state, p, m);
    return { code: s.code, raw, normalized: byName() };
  }

  it('skips when nothing contributes', () => {
    assert.equal(scores(pod({ app: 'web' }), [newNodeInfo(node('a1', 'a'), [pod({ app: 'db' })])]).code, 'Skip');
    assert.equal(scores(pod({ app: 'web' }, preferred('podAffinity', [5, term({ app: 'none' })])), [newNodeInfo(node('a1', 'a'), [pod({ app: 'db' })])]).code, 'Skip');
  });

  it('preferred affinity and anti-affinity of the incoming pod, min–max normalized', () => {
    const nodes = [
      newNodeInfo(node('a1', 'a'), [pod({ app: 'db' }), pod({ app: 'db' })]),
      newNodeInfo(node('a2', 'a'), []),
      newNodeInfo(node('b1', 'b'), [pod({ app: 'cache' })]),
      newNodeInfo(node('c1', 'c'), []),
    ];
    const p = pod({ app: 'web' }, { ...preferred('podAffinity', [10, term({ app: 'db' })]), ...preferred('podAntiAffinity', [4, term({ app: 'cache' })]) });
    assert.deepEqual(scores(p, nodes), { code: 'Success', raw: { a1: 20, a2: 20, b1: -4, c1: 0 }, normalized: { a1: 100, a2: 100, b1: 0, c1: 16 } });
  });

  it('existing pods\' required affinity (weight 1) and preferred terms count for the incoming pod', () => {
    const nodes = [
      newNodeInfo(node('a1', 'a'), [pod({ app: 'db' }, required('podAffinity', term({ app: 'web' })))]),
      newNodeInfo(node('b1', 'b'), [pod({ app: 'db' }, preferred('podAffinity', [3, term({ app: 'web' }, HOST)]))]),
      newNodeInfo(node('c1', 'c'), [pod({ app: 'db' }, preferred('podAntiAffinity', [2, term({ app: 'web' })]))]),
    ];
    assert.deepEqual(scores(pod({ app: 'web' }), nodes), { code: 'Success', raw: { a1: 1, b1: 3, c1: -2 }, normalized: { a1: 60, b1: 100, c1: 0 } });
  });

  it('through the framework: the pod lands next to the pods it prefers', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), []), newNodeInfo(node('b1', 'b'), [pod({ app: 'db' })]), newNodeInfo(node('c1', 'c'), [])];
    const r = fw().schedule(pod({ app: 'web' }, preferred('podAffinity', [50, term({ app: 'db' })])), nodes);
    assert.equal(r.kind === 'scheduled' && r.nodeName, 'b1');
    const r2 = fw().schedule(pod({ app: 'web' }, preferred('podAntiAffinity', [50, term({ app: 'web' })])), [newNodeInfo(node('a1', 'a'), [pod({ app: 'web' })]), newNodeInfo(node('b1', 'b'), [])]);
    assert.equal(r2.kind === 'scheduled' && r2.nodeName, 'b1');
  });
});

it('InterPodAffinity sits in the default profile after PodTopologySpread with weight 2', () => {
  const names = defaultProfile.map((c) => c.name);
  assert.equal(names.indexOf(INTER_POD_AFFINITY), names.indexOf('PodTopologySpread') + 1);
  assert.equal(defaultProfile.find((c) => c.name === INTER_POD_AFFINITY)?.weight, 2);
});

it('NodeInfo keeps the pods with (required anti-)affinity as pods come and go', () => {
  const anti = pod({ app: 'a' }, required('podAntiAffinity', term({ app: 'x' })));
  const pref = pod({ app: 'b' }, preferred('podAffinity', [1, term({ app: 'x' })]));
  const info = newNodeInfo(node('n1', 'a'), [pod({ app: 'c' }), anti, pref]);
  assert.deepEqual(info.podsWithAffinity, [anti, pref]);
  assert.deepEqual(info.podsWithRequiredAntiAffinity, [anti]);
  removePodFromNodeInfo(info, anti.metadata.uid!, {}, { cpu: 0, memory: 0 });
  assert.deepEqual(info.podsWithAffinity, [pref]);
  assert.deepEqual(info.podsWithRequiredAntiAffinity, []);
  // The filter no longer sees the removed pod's anti-affinity.
  assert.equal(filterAll(pod({ app: 'x' }), [info]), 'Skip');
});

describe('InterPodAffinity PreFilter with the cache\'s label index', () => {
  it('counts the same pods as a scan of every node, for affinity and anti-affinity terms', async () => {
    const { SchedulerCache } = await import('../../cache/cache.js');
    const cache = new SchedulerCache();
    const names = ['n1', 'n2', 'n3', 'n4'];
    names.forEach((n, i) => cache.addNode(node(n, `z${i % 2}`)));
    const existing = [
      pod({ app: 'web', tier: 'front' }), pod({ app: 'web', tier: 'back' }), pod({ app: 'db' }), pod({ app: 'web' }, undefined, 'other'), pod({ other: 'x' }),
    ];
    existing.forEach((p, i) => cache.addPod({ ...p, spec: { ...p.spec!, nodeName: names[i % names.length] } }));
    cache.assumePod(pod({ app: 'db', tier: 'back' }), 'n4'); // assumed pods count too
    const incoming = [
      pod({ app: 'x' }, required('podAntiAffinity', term({ app: 'web' }, HOST))),
      pod({ app: 'x' }, required('podAntiAffinity', { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] }, topologyKey: ZONE })),
      pod({ app: 'x' }, required('podAffinity', term({ app: 'web', tier: 'back' }, ZONE), term({ app: 'web' }, HOST))),
      pod({ app: 'x' }, required('podAntiAffinity', { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, topologyKey: HOST })), // no = / in: scanned
    ];
    for (const p of incoming) {
      const run = (indexed: boolean): Record<string, string> | string => {
        const pl = interPodAffinity();
        const state = new CycleState();
        state.allNodes = cache.nodeInfoList();
        if (indexed) state.podsWithLabel = (k, v) => cache.podsWithLabel(k, v);
        const pre = pl.preFilter(state, p);
        if (pre.code !== 'Success') return pre.code;
        return Object.fromEntries(state.allNodes.map((n) => [n.node.metadata.name!, pl.filter(state, p, n).code]));
      };
      const scanned = run(false);
      assert.deepEqual(run(true), scanned, JSON.stringify(p.spec?.affinity));
      assert.ok(typeof scanned === 'object' && Object.values(scanned).some((c) => c !== 'Success'), 'each case rejects some node');
    }
    cache.removePod(existing[0]);
    assert.deepEqual(cache.podsWithLabel('tier', ['front']), []);
    assert.deepEqual(cache.podsWithLabel('app', ['web']).map((x) => x.pod.metadata.name).sort(), [existing[1], existing[3]].map((p) => p.metadata.name).sort());
  });
});
