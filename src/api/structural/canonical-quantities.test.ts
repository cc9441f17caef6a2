/**
 * Canonical quantities: upstream's Quantity.String for each format, applied through a
 * kind's structural type (containers' resources, LimitRange items, Node status) and left
 * alone where a kind has none.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, canonicalizeQuantities } from './canonical-quantities.js';

it('canonical text of single quantities, as resource.Quantity.String gives them', () => {
  const cases: Array<[string | number, string]> = [
    ['0.5', '500m'], ['1000m', '1'], ['1000', '1k'], ['1500', '1500'], ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['0.5Gi', '512Mi'],
    ['1.5Ki', '1536'], [2, '2'], [0.25, '250m'], ['1e3', '1e3'], ['1.5e3', '1500'], ['12e6', '12e6'], ['+1', '1'], ['01', '1'],
    ['.5', '500m'], ['0', '0'], ['0.1n', '1n'], ['-100m', '-100m'], ['100Mi', '100Mi'], ['2G', '2G'], ['2000M', '2G'], ['128974848', '128974848'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, `${input}`);
  assert.equal(canonicalQuantity('not a quantity'), 'not a quantity');
});

it('rewrites every Quantity of an object by its kind, and nothing else', () => {
  const pod = {
    metadata: { name: 'p', labels: { cpu: '1000m' } },
    spec: {
      containers: [{ name: 'c', resources: { requests: { cpu: 0.5, memory: '1024Mi' }, limits: { cpu: '1000m' } } }],
      initContainers: [{ name: 'i', resources: { limits: { 'example.com/gpu': '1000m' } } }],
      overhead: { cpu: '0.25' },
      volumes: [{ name: 'v', emptyDir: { sizeLimit: '2048Mi' } }],
    },
  };
  canonicalizeQuantities('k8s.io.api.core.v1.Pod', pod);
  assert.deepEqual(pod.spec.containers[0].resources, { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1' } });
  assert.deepEqual(pod.spec.initContainers[0].resources.limits, { 'example.com/gpu': '1' });
  assert.deepEqual(pod.spec.overhead, { cpu: '250m' });
  assert.equal(pod.spec.volumes[0].emptyDir.sizeLimit, '2Gi');
  assert.deepEqual(pod.metadata.labels, { cpu: '1000m' });
  const lr = { spec: { limits: [{ type: 'Container', max: { cpu: '2000m' }, maxLimitRequestRatio: { cpu: 4 } }] } };
  canonicalizeQuantities('k8s.io.api.core.v1.LimitRange', lr);
  assert.deepEqual(lr.spec.limits[0], { type: 'Container', max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '4' } });
  const cm = { data: { cpu: '1000m' } };
  canonicalizeQuantities('k8s.io.api.core.v1.ConfigMap', cm);
  assert.deepEqual(cm.data, { cpu: '1000m' });
  // A recursive kind (CRD schemas) is planned without looping.
  canonicalizeQuantities('k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition', { spec: {} });
});
