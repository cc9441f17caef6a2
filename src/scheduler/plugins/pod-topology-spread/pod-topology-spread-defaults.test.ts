import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import type { KubeObject } from '../../../api/object.js';
import { parseSchedulerConfiguration } from '../../config.js';
import { CycleState } from '../../framework/cycle-state.js';
import { Framework } from '../../framework/framework.js';
import type { FrameworkHandle, ListedResource, NodeInfo } from '../../framework/interface.js';
import { newNodeInfo } from '../../framework/node-info.js';
import { defaultSelector, spreadDefaultsOf } from './pod-topology-spread-defaults.js';
import { POD_TOPOLOGY_SPREAD, podTopologySpread } from './pod-topology-spread.js';
import { defaultProfile, pluginRegistry } from '../registry.js';

const node = (name: string, zone?: string): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } }, status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' } } });
let seq = 0;
const ref = (kind: string, name: string) => ({ apiVersion: kind === 'ReplicationController' ? 'v1' : 'apps/v1', kind, name, uid: `uid-${name}`, controller: true });
const pod = (labels: Record<string, string>, owner?: ReturnType<typeof ref>, spec: Partial<Pod['spec']> = {}, ns = 'd'): Pod =>
  ({ metadata: { name: `p${seq}`, namespace: ns, uid: `u${seq++}`, labels, ...(owner ? { ownerReferences: [owner] } : {}) }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
const rsOf = (name: string, selector: unknown, ns = 'd'): KubeObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: ns }, spec: { selector } });
const svc = (name: string, selector?: Record<string, string>, ns = 'd'): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: selector ? { selector } : {} });

/** A handle whose objectLister serves `objects` by kind. */
function handleWith(objects: Partial<Record<ListedResource, KubeObject[]>>): FrameworkHandle {
  return { objectLister: (resource, namespace) => (objects[resource] ?? []).filter((o) => o.metadata.namespace === namespace) };
}

/** Runs PreScore, Score and NormalizeScore of the plugin: node name → normalized score, or 'skip'. */
function scores(handle: FrameworkHandle, args: unknown, p: Pod, nodes: NodeInfo[]): Record<string, number> | 'skip' {
  const pl = podTopologySpread(handle, args);
  const state = new CycleState();
  state.allNodes = nodes;
  if (pl.preScore(state, p, nodes).code === 'Skip') return 'skip';
  const m = Float64Array.from(nodes, (n) => pl.score(state, p, n));
  pl.normalizeScores!(state, p, m);
  return Object.fromEntries(nodes.map((n, i) => [n.node.metadata.name!, m[i]]));
}

const WEB = ref('ReplicaSet', 'web');
const rsHandle = () => handleWith({ replicasets: [rsOf('web', { matchLabels: { app: 'web' } })] });

describe('PodTopologySpread default constraints', () => {
  it('System defaults spread a ReplicaSet\'s pods across hostnames and zones by score', () => {
    // a1: 2 web pods, a2: 1, b1: none; pods of another app or namespace do not count.
    const nodes = [
      newNodeInfo(node('a1', 'a'), [pod({ app: 'web' }, WEB), pod({ app: 'web' }, WEB), pod({ app: 'db' })]),
      newNodeInfo(node('a2', 'a'), [pod({ app: 'web' }, WEB), pod({ app: 'web' }, undefined, {}, 'other')]),
      newNodeInfo(node('b1', 'b'), [pod({ app: 'db' }), pod({ app: 'db' })]),
    ];
    // hostname: 3 nodes → weight ln 5, maxSkew 3; zone: 2 domains → weight ln 4, maxSkew 5.
    // a1: 2·ln5+2 + 3·ln4+4 = 13.38 → 13; a2: ln5+2 + 3·ln4+4 = 11.77 → 12; b1: 2+4 = 6.
    assert.deepEqual(scores(rsHandle(), undefined, pod({ app: 'web' }, WEB), nodes), { a1: 46, a2: 53, b1: 100 });
    const fw = new Framework(pluginRegistry, [{ name: POD_TOPOLOGY_SPREAD }], rsHandle(), () => 0);
    const r = fw.schedule(pod({ app: 'web' }, WEB), nodes);
    assert.equal(r.kind === 'scheduled' && r.nodeName, 'b1');
    // Spread without the handle's listers: no defaults, every node alike.
    assert.equal(scores({}, undefined, pod({ app: 'web' }, WEB), nodes), 'skip');
  });

  it('System defaults still score nodes without a zone label (hostname only); List defaults ignore them', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web' }, WEB)]), newNodeInfo(node('n1'), [pod({ app: 'web' }, WEB), pod({ app: 'web' }, WEB)]), newNodeInfo(node('n2'), [])];
    // Zone domains among the feasible nodes: "a" and "" (nodes without the key), weight ln 4;
    // a1: ln5+2 + ln4+4 = 9.0 → 9; n1: 2·ln5+2 = 5.2 → 5 (no zone term); n2: 2.
    assert.deepEqual(scores(rsHandle(), undefined, pod({ app: 'web' }, WEB), nodes), { a1: 22, n1: 66, n2: 100 });
    const list = { defaultingType: 'List', defaultConstraints: [{ maxSkew: 3, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }, { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }] };
    assert.deepEqual(scores(rsHandle(), list, pod({ app: 'web' }, WEB), nodes), { a1: 100, n1: 0, n2: 0 });
  });

  it('a pod with constraints of its own gets no defaults', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web' }, WEB)]), newNodeInfo(node('b1', 'b'), [])];
    const own = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] };
    assert.equal(scores(rsHandle(), undefined, pod({ app: 'web' }, WEB, own), nodes), 'skip', 'no ScheduleAnyway constraint, and no default one either');
  });

  it('defaultingType List: custom constraints, DoNotSchedule ones filtering; an empty list defaults nothing', () => {
    const args = { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }] };
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web' }, WEB), pod({ app: 'web' }, WEB)]), newNodeInfo(node('b1', 'b'), [pod({ app: 'web' }, WEB)]), newNodeInfo(node('x'), [])];
    const fw = new Framework(pluginRegistry, [{ name: POD_TOPOLOGY_SPREAD, args }], rsHandle(), () => 0);
    const r = fw.schedule(pod({ app: 'web' }, WEB), nodes);
    assert.equal(r.kind === 'scheduled' && r.nodeName, 'b1', 'zone a would reach skew 2; x lacks the zone');
    assert.equal(fw.schedule(pod({ app: 'web' }, WEB), nodes.slice(0, 1)).kind === 'scheduled', true, 'a single domain keeps skew 0');
    // A pod the defaults do not select (other RS): unconstrained.
    const none = new Framework(pluginRegistry, [{ name: POD_TOPOLOGY_SPREAD, args: { defaultingType: 'List' } }], rsHandle(), () => 0);
    assert.equal(scores(rsHandle(), { defaultingType: 'List' }, pod({ app: 'web' }, WEB), nodes), 'skip');
    assert.equal(none.schedule(pod({ app: 'web' }, WEB), [nodes[0]]).kind, 'scheduled');
  });

  it('no selecting Service and no known controller: no defaults', () => {
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web' })]), newNodeInfo(node('b1', 'b'), [])];
    const h = handleWith({ services: [svc('nil-selector'), svc('other', { app: 'db' }), svc('elsewhere', { app: 'web' }, 'other')], replicasets: [rsOf('web', { matchLabels: { app: 'web' } })] });
    assert.equal(scores(h, undefined, pod({ app: 'web' }), nodes), 'skip', 'no owner, no matching Service');
    assert.equal(scores(h, undefined, pod({ app: 'web' }, ref('ReplicaSet', 'gone')), nodes), 'skip', 'owner not in the lister');
    assert.equal(scores(h, undefined, pod({ app: 'web' }, { ...ref('Deployment', 'web') }), nodes), 'skip', 'not a kind upstream deduces from');
    assert.equal(scores(h, undefined, pod({ app: 'web' }, { ...WEB, controller: false }), nodes), 'skip', 'not the controller');
  });

  it('DefaultSelector merges Service selectors with the controller\'s', () => {
    const h = handleWith({
      services: [svc('web', { app: 'web' }), svc('tier', { tier: 'fe' }), svc('db', { app: 'db' })],
      replicasets: [rsOf('web', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['stable'] }] })],
      replicationcontrollers: [{ metadata: { name: 'rc', namespace: 'd' }, spec: { selector: { rc: 'x' } } }],
      statefulsets: [{ metadata: { name: 'ss', namespace: 'd' }, spec: { selector: { matchLabels: { ss: 'y' } } } }],
    });
    const labels = { app: 'web', tier: 'fe', track: 'stable', rc: 'x', ss: 'y' };
    assert.deepEqual(defaultSelector(pod(labels, WEB), h.objectLister!), { matchLabels: { app: 'web', tier: 'fe' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }, { key: 'track', operator: 'In', values: ['stable'] }] });
    assert.deepEqual(defaultSelector(pod(labels, ref('ReplicationController', 'rc')), h.objectLister!), { matchLabels: { app: 'web', tier: 'fe', rc: 'x' }, matchExpressions: [] });
    assert.deepEqual(defaultSelector(pod({ ss: 'y' }, ref('StatefulSet', 'ss')), h.objectLister!), { matchLabels: {}, matchExpressions: [{ key: 'ss', operator: 'In', values: ['y'] }] });
    // Service-only selection spreads too: counted pods are those the merged selector matches.
    const nodes = [newNodeInfo(node('a1', 'a'), [pod({ app: 'web', tier: 'fe' })]), newNodeInfo(node('b1', 'b'), [pod({ app: 'web' })])];
    assert.deepEqual(scores(h, undefined, pod({ app: 'web', tier: 'fe' }), nodes), { a1: 66, b1: 100 });
  });

  it('bad args are refused naming the field, as upstream validates them', () => {
    const c = (o: object) => ({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', ...o }] });
    assert.throws(() => spreadDefaultsOf({ defaultingType: 'Cluster' }), /^Error: defaultingType: Unsupported value: "Cluster": supported values: "System", "List"$/);
    assert.throws(() => spreadDefaultsOf({ defaultConstraints: c({}).defaultConstraints }), /^Error: defaultingType: Invalid value: "System": when .defaultConstraints are not empty$/);
    assert.throws(() => spreadDefaultsOf(c({ maxSkew: 0 })), /^Error: defaultConstraints\[0\]\.maxSkew: Invalid value: 0: not in valid range \(0, inf\)$/);
    assert.throws(() => spreadDefaultsOf(c({ topologyKey: '' })), /defaultConstraints\[0\]\.topologyKey: Required value: can not be empty/);
    assert.throws(() => spreadDefaultsOf(c({ topologyKey: 'a b' })), /defaultConstraints\[0\]\.topologyKey: Invalid value: "a b"/);
    assert.throws(() => spreadDefaultsOf(c({ whenUnsatisfiable: 'Maybe' })), /defaultConstraints\[0\]\.whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"/);
    assert.throws(() => spreadDefaultsOf(c({ labelSelector: { matchLabels: { a: 'b' } } })), /defaultConstraints\[0\]\.labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod/);
    const dup = { defaultingType: 'List', defaultConstraints: [...c({}).defaultConstraints, { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }] };
    assert.throws(() => spreadDefaultsOf(dup), /defaultConstraints\[1\]: Duplicate value: "\{zone, ScheduleAnyway\}"/);
    // Through the configuration file, prefixed with the pluginConfig entry.
    const cfg = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- pluginConfig:\n  - name: PodTopologySpread\n    args: { defaultingType: List, defaultConstraints: [{ maxSkew: -1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule }] }\n';
    assert.throws(() => parseSchedulerConfiguration(cfg, defaultProfile, pluginRegistry), /profiles\[0\]\.pluginConfig\[name=PodTopologySpread\]\.args\.defaultConstraints\[0\]\.maxSkew: Invalid value: -1/);
    assert.deepEqual(spreadDefaultsOf(undefined).constraints.map((x) => [x.topologyKey, x.maxSkew, x.whenUnsatisfiable]), [['kubernetes.io/hostname', 3, 'ScheduleAnyway'], ['topology.kubernetes.io/zone', 5, 'ScheduleAnyway']]);
  });
});
