import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node, Service } from '../../api/core/v1/types.js';
import type { EndpointSlice } from '../../api/discovery/v1/endpoint-slice.js';
import { planSlices, newSlice, sliceLabels } from './reconciler.js';
import { addressTypesForService, podToEndpoint } from './endpoints.js';
import { EndpointSliceTracker } from './tracker.js';

const svc = (spec: Partial<NonNullable<Service['spec']>> = {}, labels?: Record<string, string>): Service => ({
  metadata: { name: 's', namespace: 'ns', uid: 'su', labels },
  spec: { clusterIP: '10.96.0.10', ipFamilies: ['IPv4'], selector: { app: 'a' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], ...spec },
});
const pod = (name: string, ips: string[], ready: boolean, extra: { deleting?: boolean; node?: string } = {}): Pod => ({
  metadata: { name, namespace: 'ns', uid: `u-${name}`, labels: { app: 'a' }, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: extra.node ?? 'n1', containers: [{ name: 'c', image: 'i' }] },
  status: { phase: 'Running', podIP: ips[0], podIPs: ips.map((ip) => ({ ip })), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const nodes: Record<string, Node> = { n1: { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } } };
const nodeOf = (n: string) => nodes[n];
let seq = 0;
/** Pretend the apiserver stored the planned slice. */
const stored = (s: EndpointSlice): EndpointSlice => ({ ...structuredClone(s), metadata: { ...structuredClone(s.metadata), name: s.metadata.name ?? `s-${++seq}`, uid: `uid-${seq}`, resourceVersion: String(seq) } });
const ips = (s: EndpointSlice) => s.endpoints.map((e: { addresses: string[] }) => e.addresses[0]).sort();

it('address types from ipFamilies, clusterIP, or both for headless', () => {
  assert.deepEqual(addressTypesForService(svc()), ['IPv4']);
  assert.deepEqual(addressTypesForService(svc({ ipFamilies: undefined, clusterIP: 'fd00::1' })), ['IPv6']);
  assert.deepEqual(addressTypesForService(svc({ ipFamilies: undefined, clusterIP: 'None' })), ['IPv4', 'IPv6']);
});

it('endpoint conditions: ready/serving/terminating; publishNotReadyAddresses; zone', () => {
  const e = podToEndpoint(pod('a', ['10.0.0.1'], true, { deleting: true }), nodes.n1, svc(), 'IPv4');
  assert.deepEqual(e, { addresses: ['10.0.0.1'], conditions: { ready: false, serving: true, terminating: true }, targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'u-a' }, nodeName: 'n1', zone: 'z1' });
  assert.equal(podToEndpoint(pod('b', ['10.0.0.2'], false), undefined, svc({ publishNotReadyAddresses: true }), 'IPv4').conditions.ready, true);
  assert.deepEqual(podToEndpoint(pod('c', ['10.0.0.3', 'FD00:0:0::0001'], true), nodes.n1, svc(), 'IPv6').addresses, ['fd00::1']);
});

it('labels and owner of a new slice', () => {
  const s = newSlice(svc({ clusterIP: 'None' }, { team: 'x', 'kubernetes.io/service-name': 'evil' }), [], 'IPv4');
  assert.equal(s.metadata.generateName, 's-');
  assert.deepEqual(s.metadata.labels, { team: 'x', 'service.kubernetes.io/headless': '', 'kubernetes.io/service-name': 's', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 's', uid: 'su', controller: true, blockOwnerDeletion: true }]);
});

it('no pods → one placeholder, kept on resync', () => {
  const p = planSlices(svc(), [], [], nodeOf);
  assert.equal(p.create.length, 1);
  assert.deepEqual([p.create[0].ports, p.create[0].endpoints], [[], []]);
  const again = planSlices(svc(), [], [stored(p.create[0])], nodeOf);
  assert.deepEqual([again.create.length, again.update.length, again.delete.length], [0, 0, 0]);
});

it('placeholder is reused (updated) when pods appear; unchanged → no writes; readiness flip → update in place', () => {
  const ph = stored(planSlices(svc(), [], [], nodeOf).create[0]);
  const pods = [pod('a', ['10.0.0.1'], true), pod('b', ['10.0.0.2'], false)];
  const p1 = planSlices(svc(), pods, [ph], nodeOf);
  assert.deepEqual([p1.create.length, p1.update.length, p1.delete.length], [0, 1, 0]);
  assert.equal(p1.update[0].metadata.name, ph.metadata.name);
  assert.deepEqual(p1.update[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const s1 = stored(p1.update[0]);
  const p2 = planSlices(svc(), pods, [s1], nodeOf);
  assert.deepEqual([p2.create.length, p2.update.length, p2.delete.length], [0, 0, 0]);
  const p3 = planSlices(svc(), [pod('a', ['10.0.0.1'], true), pod('b', ['10.0.0.2'], true)], [s1], nodeOf);
  assert.equal(p3.update.length, 1);
  assert.deepEqual(p3.update[0].endpoints.map((e: { conditions: { ready: boolean } }) => e.conditions.ready), [true, true]);
  const p4 = planSlices(svc(), [pod('a', ['10.0.0.1'], true)], [s1], nodeOf);
  assert.deepEqual(ips(p4.update[0]), ['10.0.0.1']);
});

it('max endpoints per slice; removed endpoints shrink; emptied slices deleted; leftover fits best unchanged slice', () => {
  const pods = Array.from({ length: 7 }, (_, i) => pod(`p${i}`, [`10.0.0.${i + 1}`], true));
  const p1 = planSlices(svc(), pods, [], nodeOf, 3);
  assert.deepEqual(p1.create.map((s) => s.endpoints.length), [3, 3, 1]);
  const slices = p1.create.map(stored);
  const p2 = planSlices(svc(), pods.slice(0, 3), slices, nodeOf, 3);
  assert.deepEqual([p2.create.length, p2.update.length, p2.delete.length], [0, 0, 2]);
  const p3 = planSlices(svc(), [...pods, pod('x', ['10.0.0.99'], true)], slices, nodeOf, 3);
  assert.deepEqual([p3.create.length, p3.update.length, p3.delete.length], [0, 1, 0]);
  assert.equal(p3.update[0].metadata.name, slices[2].metadata.name);
});

it('slices of another Service uid and of dropped address types are deleted; pods on unknown nodes reported', () => {
  const foreign = stored({ ...newSlice(svc(), [], 'IPv4'), metadata: { ...newSlice(svc(), [], 'IPv4').metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 's', uid: 'old', controller: true }] } });
  const v6 = stored(newSlice(svc(), [], 'IPv6'));
  const p = planSlices(svc(), [pod('a', ['10.0.0.1', 'fd00::1'], true), pod('b', ['10.0.0.2'], true, { node: 'gone' })], [foreign, v6], nodeOf);
  assert.deepEqual(p.delete.map((s) => s.metadata.name).sort(), [foreign.metadata.name, v6.metadata.name].sort());
  assert.deepEqual(p.create.map(ips), [['10.0.0.1']]);
  assert.deepEqual(p.missingNodes, ['b@gone']);
  assert.deepEqual(sliceLabels(svc())['kubernetes.io/service-name'], 's');
});

it('tracker: own writes are not resyncs; stale cache detected', () => {
  const t = new EndpointSliceTracker((s) => `${s.metadata.namespace}/${s.metadata.labels?.['kubernetes.io/service-name']}`);
  const s = stored(newSlice(svc(), [], 'IPv4'));
  assert.equal(t.shouldSync(s), true);
  t.update(s);
  assert.equal(t.shouldSync(s), false);
  assert.equal(t.staleSlices('ns/s', []), true, 'written but not yet in cache');
  assert.equal(t.staleSlices('ns/s', [s]), false);
  assert.equal(t.shouldSync({ ...s, metadata: { ...s.metadata, resourceVersion: '9999' } }), true);
  t.expectDeletion(s);
  assert.equal(t.staleSlices('ns/s', [s]), true);
  assert.equal(t.handleDeletion(s), true);
  assert.equal(t.staleSlices('ns/s', []), false);
});

it('headless without ports: label change on a stored placeholder (endpoints null) plus new pods → one update', () => {
  const s = svc({ clusterIP: 'None', ports: [] });
  const ph = { ...stored(planSlices(s, [], [], nodeOf).create[0]), endpoints: null, ports: null } as unknown as EndpointSlice;
  const p = planSlices(svc({ clusterIP: 'None', ports: [] }, { team: 'new' }), [pod('a', ['10.0.0.1'], true)], [ph], nodeOf);
  assert.deepEqual([p.create.length, p.update.length, p.delete.length], [0, 1, 0]);
  assert.equal(p.update[0].metadata.labels?.team, 'new');
  assert.deepEqual(ips(p.update[0]), ['10.0.0.1']);
});
