/**
 * KubeSchedulerConfiguration: defaults, upstream's plugin-set merging (multiPoint and
 * per-point enabled/disabled, score weights), plugin arguments (NodeResourcesFit's
 * scoring strategies) and the errors that stop a scheduler at start.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { Node } from '../api/core/v1/types.js';
import { parseSchedulerConfiguration } from './config.js';
import { Framework } from './framework/framework.js';
import { newNodeInfo } from './framework/node-info.js';
import { defaultProfile, pluginRegistry } from './plugins/registry.js';
import { allocationScore, scoringStrategyOf } from './plugins/node-resources-fit/node-resources-fit.js';

const HEAD = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n';
const parse = (body: string) => parseSchedulerConfiguration(HEAD + body, defaultProfile, pluginRegistry);
const node = (name: string, cpu: string): Node => ({ metadata: { name, labels: {} }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } });
const pod = (name: string, cpu: string): Pod => ({ metadata: { name, namespace: 'd', uid: name }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu, memory: '1Gi' } } }] } });

describe('KubeSchedulerConfiguration', () => {
  it('defaults: one default-scheduler profile with the default plugins, adaptive percentage, 1 s / 10 s back-off', () => {
    const c = parse('');
    assert.deepEqual(c.profiles.map((p) => p.schedulerName), ['default-scheduler']);
    assert.deepEqual(c.profiles[0].plugins.map((p) => p.name), defaultProfile.map((p) => p.name));
    assert.equal(c.percentageOfNodesToScore, 0);
    assert.deepEqual(c.queue, { initialBackoffMs: 1000, maxBackoffMs: 10_000 });
  });

  it('merges plugin sets as upstream: multiPoint, per-point disabled/enabled, score weights', () => {
    const c = parse(`percentageOfNodesToScore: 50
podInitialBackoffSeconds: 2
podMaxBackoffSeconds: 20
profiles:
- schedulerName: default-scheduler
  plugins:
    multiPoint:
      disabled: [{ name: ImageLocality }]
    score:
      disabled: [{ name: NodeResourcesBalancedAllocation }]
      enabled: [{ name: NodeResourcesFit, weight: 5 }]
- schedulerName: bin-packer
  plugins:
    score:
      disabled: [{ name: '*' }]
      enabled: [{ name: NodeResourcesFit, weight: 1 }]
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources: [{ name: cpu, weight: 1 }]
`);
    assert.equal(c.percentageOfNodesToScore, 50);
    assert.deepEqual(c.queue, { initialBackoffMs: 2000, maxBackoffMs: 20_000 });
    const [dflt, packer] = c.profiles;
    assert.ok(!dflt.plugins.some((p) => p.name === 'ImageLocality'));
    const fw = new Framework(pluginRegistry, dflt.plugins);
    assert.deepEqual(fw.scores.map((s) => [s.plugin.name, s.weight]), [['TaintToleration', 3], ['NodeAffinity', 2], ['NodeResourcesFit', 5], ['PodTopologySpread', 2], ['InterPodAffinity', 2]]);
    assert.ok(fw.filters.some((p) => p.name === 'NodeResourcesFit'), 'disabling a score leaves the filter');
    const packing = new Framework(pluginRegistry, packer.plugins);
    assert.deepEqual(packing.scores.map((s) => s.plugin.name), ['NodeResourcesFit']);
    // MostAllocated: the fuller node wins.
    const full = newNodeInfo(node('full', '4'), [pod('x', '3')]);
    const empty = newNodeInfo(node('empty', '4'), []);
    const r = packing.schedule(pod('new', '500m'), [empty, full]);
    assert.equal(r.kind === 'scheduled' && r.nodeName, 'full');
  });

  it('scoring strategies score as upstream', () => {
    const n = newNodeInfo(node('n', '4'), [pod('x', '1')]);
    const p = pod('new', '1');
    assert.equal(allocationScore(scoringStrategyOf(undefined), p, n), 62); // cpu (4000-2000)/4000 → 50; memory (8-2)/8 → 75
    assert.equal(allocationScore(scoringStrategyOf({ scoringStrategy: { type: 'MostAllocated' } }), p, n), 37);
    const ratio = scoringStrategyOf({ scoringStrategy: { type: 'RequestedToCapacityRatio', resources: [{ name: 'cpu', weight: 1 }], requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } } });
    assert.equal(allocationScore(ratio, p, n), 50);
  });

  it('refuses what upstream refuses, naming the field', () => {
    assert.throws(() => parseSchedulerConfiguration('apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n', defaultProfile, pluginRegistry), /no kind "KubeSchedulerConfiguration" is registered for version "kubescheduler.config.k8s.io\/v1beta3"/);
    assert.throws(() => parse('bogus: 1\n'), /strict decoding error: unknown field "bogus"/);
    assert.throws(() => parse('percentageOfNodesToScore: 101\n'), /^Error: percentageOfNodesToScore: Invalid value: 101: not in valid range \[0-100\]$/);
    assert.throws(() => parse('profiles:\n- plugins:\n    score:\n      enabled: [{ name: NoSuchPlugin }]\n'), /profiles\[0\]\.plugins\.score\.enabled\[0\]\.name: Invalid value: "NoSuchPlugin": plugin does not exist/);
    assert.throws(() => parse('profiles:\n- plugins:\n    score:\n      enabled: [{ name: NodeResourcesFit, weight: 0 }]\n'), /weight: Invalid value: 0: must be in the range \[1, 100\]/);
    assert.throws(() => parse('profiles:\n- schedulerName: a\n- schedulerName: a\n'), /profiles\[1\]\.schedulerName: Duplicate value: "a"/);
    assert.throws(() => parse('profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args: { scoringStrategy: { type: Spread } }\n'), /profiles\[0\]\.pluginConfig\[name=NodeResourcesFit\]\.args\.scoringStrategy\.type: Unsupported value: "Spread"/);
    assert.throws(() => parse('podInitialBackoffSeconds: 20\n'), /podMaxBackoffSeconds: Invalid value: 10: must be greater than or equal to PodInitialBackoffSeconds/);
  });
});
