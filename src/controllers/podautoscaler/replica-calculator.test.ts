/** The replica calculation as pure functions: tolerance, missing and unready pods, AverageValue, requests. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { calculatePodRequests, groupPods, rawResourceReplicas, resourceReplicas } from './replica-calculator.js';
import { podMetricsInfo } from './metrics-client.js';
import type { PodMetricsInfo } from './types.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const LONG_AGO = '2026-01-01T00:00:00Z';
const pod = (name: string, opts: { phase?: string; ready?: boolean; start?: string; transition?: string; cpu?: string | null; deleting?: boolean } = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'ns', ...(opts.deleting ? { deletionTimestamp: LONG_AGO } : {}) },
  spec: { containers: [{ name: 'app', image: 'x', resources: opts.cpu === null ? {} : { requests: { cpu: opts.cpu ?? '100m' } } }] },
  status: {
    phase: opts.phase ?? 'Running', startTime: opts.start ?? LONG_AGO,
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: opts.transition ?? LONG_AGO }],
  },
}) as Pod;
const metrics = (values: Record<string, number>, timestamp = NOW): PodMetricsInfo =>
  new Map(Object.entries(values).map(([k, v]) => [k, { timestamp, windowMs: 30_000, value: v }]));
const opts = { now: NOW };

describe('resourceReplicas (Utilization)', () => {
  it('scales by the usage ratio of ready pods', () => {
    const r = resourceReplicas(2, 50, 'cpu', '', [pod('a'), pod('b')], metrics({ a: 90, b: 90 }), NOW, opts);
    assert.deepEqual([r.replicas, r.utilization, r.rawAverage], [4, 90, 90]);
    assert.equal(resourceReplicas(4, 50, 'cpu', '', [pod('a'), pod('b'), pod('c'), pod('d')], metrics({ a: 10, b: 10, c: 10, d: 10 }), NOW, opts).replicas, 1);
  });
  it('keeps the count within the tolerance (0.1 by default)', () => {
    assert.equal(resourceReplicas(3, 50, 'cpu', '', [pod('a'), pod('b'), pod('c')], metrics({ a: 54, b: 54, c: 54 }), NOW, opts).replicas, 3);
    assert.equal(resourceReplicas(3, 50, 'cpu', '', [pod('a'), pod('b'), pod('c')], metrics({ a: 54, b: 54, c: 54 }), NOW, { ...opts, tolerance: 0.05 }).replicas, 4);
  });
  it('counts missing pods at 100 % (or the target) when scaling down, at 0 when scaling up', () => {
    // Down: a, b at 10 %; c missing → counted at max(100, 50) % → ratio (10+10+100)/300*100=40 % → 0.8 → ceil(0.8*3)=3 = current.
    assert.equal(resourceReplicas(3, 50, 'cpu', '', [pod('a'), pod('b'), pod('c')], metrics({ a: 10, b: 10 }), NOW, opts).replicas, 3);
    // Down more steeply: a..d at 0 %, e missing: (0*4+100)/500 = 20 % → 0.4 → ceil(0.4*5) = 2.
    assert.equal(resourceReplicas(5, 50, 'cpu', '', ['a', 'b', 'c', 'd', 'e'].map((n) => pod(n)), metrics({ a: 0, b: 0, c: 0, d: 0 }), NOW, opts).replicas, 2);
    // Up: a, b at 200 %; c missing at 0 → 400/300 = 133 % → 2.66 → ceil(2.66*3) = 8.
    assert.equal(resourceReplicas(3, 50, 'cpu', '', [pod('a'), pod('b'), pod('c')], metrics({ a: 200, b: 200 }), NOW, opts).replicas, 8);
  });
  it('counts unready cpu pods at 0 when scaling up and ignores deleting, failed and pending ones', () => {
    const pods = [pod('a'), pod('b', { ready: false, start: '2026-01-01T00:59:00Z', transition: '2026-01-01T00:59:00Z' }), pod('c', { deleting: true }), pod('d', { phase: 'Failed' }), pod('e', { phase: 'Pending' })];
    const g = groupPods(pods, metrics({ a: 100, b: 100, c: 100, d: 100 }), 'cpu', opts);
    assert.deepEqual([g.readyPodCount, [...g.unready].sort(), [...g.missing], [...g.ignored].sort()], [1, ['b', 'e'], [], ['c', 'd']]);
    // a at 200 %, b and e unready (counted 0): 200/300 = 66 % → ratio 1.33 → ceil(1.33*3) = 4.
    assert.equal(resourceReplicas(2, 50, 'cpu', '', pods, metrics({ a: 200, b: 100, c: 100, d: 100 }), NOW, opts).replicas, 4);
    // a at 100 %: 100/300 flips the direction → current.
    assert.equal(resourceReplicas(2, 50, 'cpu', '', pods, metrics({ a: 100, b: 100 }), NOW, opts).replicas, 2);
    // Memory has no readiness rules: b counts.
    assert.equal(groupPods(pods, metrics({ a: 1, b: 1 }), 'memory', opts).readyPodCount, 2);
  });
  it('treats a sample taken before a window passed since becoming ready as unready (initialization period)', () => {
    const p = pod('a', { start: '2026-01-01T00:58:00Z', transition: '2026-01-01T00:59:50Z' });
    assert.equal(groupPods([p], metrics({ a: 1 }), 'cpu', opts).unready.size, 1);
    assert.equal(groupPods([p], metrics({ a: 1 }, NOW + 60_000), 'cpu', opts).unready.size, 0);
  });
  it('fails as upstream', () => {
    assert.throws(() => resourceReplicas(1, 50, 'cpu', '', [], metrics({}), NOW, opts), /no pods returned by selector while calculating replica count/);
    assert.throws(() => resourceReplicas(1, 50, 'cpu', '', [pod('a', { phase: 'Pending' })], metrics({ a: 1 }), NOW, opts), /did not receive metrics for targeted pods \(pods might be unready\)/);
    assert.throws(() => calculatePodRequests([pod('a', { cpu: null })], '', 'cpu'), /missing request for cpu in container app of Pod a/);
  });
});

describe('rawResourceReplicas (AverageValue)', () => {
  it('scales by mean usage against the target value', () => {
    assert.equal(rawResourceReplicas(2, 100, 'memory', [pod('a'), pod('b')], metrics({ a: 300, b: 300 }), NOW, opts).replicas, 6);
    assert.equal(rawResourceReplicas(2, 100, 'memory', [pod('a'), pod('b')], metrics({ a: 105, b: 105 }), NOW, opts).replicas, 2);
    // Missing pod counted at the target when scaling down: (20+100)/2 = 60 → 0.6 → ceil(1.2) = 2 = current.
    assert.equal(rawResourceReplicas(2, 100, 'memory', [pod('a'), pod('b')], metrics({ a: 20 }), NOW, opts).replicas, 2);
  });
});

describe('podMetricsInfo', () => {
  const items = [{ metadata: { name: 'a', namespace: 'ns' }, timestamp: '2026-01-01T00:00:00Z', window: '30s', containers: [{ name: 'app', usage: { cpu: '250m', memory: '1Ki' } }, { name: 'side', usage: { cpu: '1234567n', memory: '1Ki' } }] }];
  it('sums containers in milli-units or picks one', () => {
    assert.deepEqual(podMetricsInfo(items, 'cpu', '').get('a'), { timestamp: Date.parse('2026-01-01T00:00:00Z'), windowMs: 30_000, value: 252 });
    assert.equal(podMetricsInfo(items, 'memory', 'side').get('a')?.value, 1024_000);
    assert.throws(() => podMetricsInfo(items, 'cpu', 'nope'), /container nope not present in metrics for pod ns\/a/);
  });
});
