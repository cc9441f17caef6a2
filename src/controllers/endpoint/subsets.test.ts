import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Service } from '../../api/core/v1/types.js';
import { computeSubsets, desiredEndpoints, truncateSubsets, OVER_CAPACITY_ANNOTATION, type EndpointSubset } from './subsets.js';
import { findPort } from '../util/service-ports.js';
import { TriggerTimeTracker } from '../util/trigger-time.js';

const svc = (spec: Partial<NonNullable<Service['spec']>> = {}, labels?: Record<string, string>): Service => ({
  metadata: { name: 's', namespace: 'ns', uid: 'su', labels, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { clusterIP: '10.96.0.10', selector: { app: 'a' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], ...spec },
});
const pod = (name: string, ip: string | undefined, ready: boolean, extra: { ports?: Array<{ name: string; containerPort: number }>; deleting?: boolean; phase?: string; hostname?: string; subdomain?: string } = {}): Pod => ({
  metadata: { name, namespace: 'ns', uid: `u-${name}`, labels: { app: 'a' }, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', hostname: extra.hostname, subdomain: extra.subdomain, containers: [{ name: 'c', image: 'i', ports: extra.ports }] },
  status: { phase: extra.phase ?? 'Running', ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:05Z' }] },
});
const ref = (n: string) => ({ kind: 'Pod', namespace: 'ns', name: n, uid: `u-${n}` });

it('findPort: numeric, named (by name and protocol), unset → port', () => {
  const p = pod('a', '10.0.0.1', true, { ports: [{ name: 'web', containerPort: 9000 }] });
  assert.equal(findPort(p, { port: 80, targetPort: 8080 }), 8080);
  assert.equal(findPort(p, { port: 80, targetPort: 'web' }), 9000);
  assert.equal(findPort(p, { port: 80, targetPort: 'web', protocol: 'UDP' }), undefined);
  assert.equal(findPort(p, { port: 80, targetPort: 'nope' }), undefined);
  assert.equal(findPort(p, { port: 80 }), 80);
});

it('ready and not-ready pods share one subset; skipped: no IP, terminal, terminating', () => {
  const subsets = computeSubsets(svc(), [
    pod('b', '10.0.0.2', false), pod('a', '10.0.0.1', true), pod('c', undefined, true),
    pod('d', '10.0.0.4', true, { phase: 'Succeeded' }), pod('e', '10.0.0.5', true, { deleting: true }),
  ]);
  assert.deepEqual(subsets, [{
    addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: ref('a') }],
    notReadyAddresses: [{ ip: '10.0.0.2', nodeName: 'n1', targetRef: ref('b') }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  }]);
});

it('publishNotReadyAddresses: all ready, terminating kept; hostname with matching subdomain', () => {
  const subsets = computeSubsets(svc({ publishNotReadyAddresses: true }), [pod('a', '10.0.0.1', false, { hostname: 'h', subdomain: 's' }), pod('e', '10.0.0.5', true, { deleting: true })]);
  assert.equal(subsets.length, 1);
  assert.deepEqual(subsets[0].addresses!.map((a) => [a.ip, a.hostname]), [['10.0.0.1', 'h'], ['10.0.0.5', undefined]]);
  assert.equal(subsets[0].notReadyAddresses, undefined);
});

it('named targetPort: pods resolving different numbers get separate subsets; pods without it are skipped', () => {
  const s = svc({ ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }] });
  const subsets = computeSubsets(s, [pod('a', '10.0.0.1', true, { ports: [{ name: 'web', containerPort: 8080 }] }), pod('b', '10.0.0.2', true, { ports: [{ name: 'web', containerPort: 9090 }] }), pod('c', '10.0.0.3', true)]);
  assert.deepEqual(subsets.map((x) => [x.addresses!.map((a) => a.ip), x.ports!.map((p) => p.port)]), [[['10.0.0.1'], [8080]], [['10.0.0.2'], [9090]]]);
});

it('headless without ports: port-less subset; with ClusterIP and no ports: nothing', () => {
  assert.deepEqual(computeSubsets(svc({ clusterIP: 'None', ports: [] }), [pod('a', '10.0.0.1', true)]).map((x) => [x.addresses?.length, x.ports]), [[1, undefined]]);
  assert.deepEqual(computeSubsets(svc({ ports: [] }), [pod('a', '10.0.0.1', true)]), []);
});

it('truncation keeps ready first, proportionally', () => {
  const addr = (i: number) => ({ ip: `10.0.${Math.floor(i / 250)}.${i % 250}` });
  const subsets: EndpointSubset[] = [{ addresses: Array.from({ length: 900 }, (_, i) => addr(i)), notReadyAddresses: Array.from({ length: 100 }, (_, i) => addr(1000 + i)) }, { notReadyAddresses: Array.from({ length: 300 }, (_, i) => addr(2000 + i)) }];
  const r = truncateSubsets(subsets);
  assert.equal(r.truncated, true);
  assert.deepEqual(r.subsets.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]), [[900, 25], [0, 75]]);
  assert.equal(truncateSubsets([{ addresses: [addr(1)] }]).truncated, false);
});

it('desiredEndpoints: labels incl. headless, trigger annotation, skip when unchanged, over-capacity', () => {
  const pods = [pod('a', '10.0.0.1', true)];
  const want = desiredEndpoints(svc({ clusterIP: 'None' }, { team: 'x' }), pods, undefined, Date.parse('2026-01-01T00:00:05Z'))!;
  assert.deepEqual(want.metadata.labels, { team: 'x', 'service.kubernetes.io/headless': '' });
  assert.equal(want.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], '2026-01-01T00:00:05Z');
  const stored = { ...want, metadata: { ...want.metadata, resourceVersion: '5' } };
  assert.equal(desiredEndpoints(svc({ clusterIP: 'None' }, { team: 'x' }), pods, stored, undefined), undefined);
  assert.ok(desiredEndpoints(svc({ clusterIP: 'None' }, { team: 'y' }), pods, stored, undefined));
  const many = Array.from({ length: 1001 }, (_, i) => pod(`p${i}`, `10.1.${Math.floor(i / 250)}.${i % 250}`, true));
  const big = desiredEndpoints(svc(), many, undefined, undefined)!;
  assert.equal(big.metadata.annotations![OVER_CAPACITY_ANNOTATION], 'truncated');
  assert.equal(big.subsets![0].addresses!.length, 1000);
});

it('trigger time: earliest changed Ready transition or service creation; undefined when nothing changed', () => {
  const t = new TriggerTimeTracker();
  const s = svc();
  const pods = [pod('a', '10.0.0.1', true)];
  assert.equal(t.compute('ns/s', s, pods), Date.parse('2026-01-01T00:00:00Z'));
  assert.equal(t.compute('ns/s', s, pods), undefined);
  const later = pod('a', '10.0.0.1', false); later.status!.conditions![0].lastTransitionTime = '2026-01-01T00:01:00Z';
  assert.equal(t.compute('ns/s', s, [later]), Date.parse('2026-01-01T00:01:00Z'));
});

it('pod events enqueue the services selecting the old or new labels, only on relevant changes', async () => {
  const { podServiceKeys, servicesForPodUpdate } = await import('../util/endpoints-util.js');
  const services = [svc(), { ...svc({ selector: { app: 'b' } }), metadata: { name: 't', namespace: 'ns' } }, { ...svc({ selector: undefined }), metadata: { name: 'manual', namespace: 'ns' } }, { ...svc({ type: 'ExternalName' }), metadata: { name: 'ext', namespace: 'ns' } }];
  const lister = { list: ({ namespace }: { namespace?: string } = {}) => services.filter((s) => s.metadata.namespace === namespace), get: () => undefined, byIndex: () => [] };
  const a = { ...pod('a', '10.0.0.1', true), metadata: { ...pod('a', '10.0.0.1', true).metadata, resourceVersion: '1' } };
  assert.deepEqual(podServiceKeys(lister as never, a), ['ns/s']);
  const relabelled = { ...a, metadata: { ...a.metadata, resourceVersion: '2', labels: { app: 'b' } } };
  assert.deepEqual(servicesForPodUpdate(lister as never, a, relabelled).sort(), ['ns/s', 'ns/t']);
  const annotated = { ...a, metadata: { ...a.metadata, resourceVersion: '2', annotations: { x: 'y' } } };
  assert.deepEqual(servicesForPodUpdate(lister as never, a, annotated), []);
  const unready = { ...pod('a', '10.0.0.1', false), metadata: { ...a.metadata, resourceVersion: '3' } };
  assert.deepEqual(servicesForPodUpdate(lister as never, a, unready), ['ns/s']);
});
