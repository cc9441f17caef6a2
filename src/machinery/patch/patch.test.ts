import { it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { PodSchema } from '../../api/core/v1/pod-types.js';
import { DeploymentSchema } from '../../api/apps/v1/types.js';
import { StatusError } from '../errors.js';

const pod = () => ({
  metadata: { name: 'p', labels: { a: '1', b: '2' }, finalizers: ['x'] },
  spec: { containers: [{ name: 'c1', image: 'busybox:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] }, { name: 'c2', image: 'nginx' }] },
});

it('JSON patch (RFC 6902) and its errors', () => {
  const r = applyJsonPatch(pod(), [{ op: 'replace', path: '/spec/containers/0/image', value: 'busybox:2' }, { op: 'remove', path: '/metadata/labels/a' }]);
  assert.equal(r.spec.containers[0].image, 'busybox:2');
  assert.deepEqual(r.metadata.labels, { b: '2' });
  assert.throws(() => applyJsonPatch(pod(), [{ op: 'remove', path: '/nope/x' }]), StatusError);
  assert.throws(() => applyJsonPatch(pod(), { op: 'add' }), StatusError);
});

it('merge patch (RFC 7386): objects merge, null deletes, lists replace', () => {
  const r = applyMergePatch(pod(), { metadata: { labels: { a: null, c: '3' } }, spec: { containers: [{ name: 'only' }] } });
  assert.deepEqual(r.metadata.labels, { b: '2', c: '3' });
  assert.deepEqual(r.spec.containers, [{ name: 'only' }]);
});

it('strategic merge patch merges lists by their merge key (kubectl set image)', () => {
  const r = applyStrategicMergePatch(pod(), { spec: { containers: [{ name: 'c2', image: 'nginx:2' }] } }, PodSchema);
  assert.equal(r.spec.containers.length, 2);
  assert.equal(r.spec.containers[1].image, 'nginx:2');
  assert.equal(r.spec.containers[0].image, 'busybox:1');
});

it('strategic merge patch directives as kubectl apply sends them', () => {
  const patch = {
    metadata: { labels: { a: null }, finalizers: ['y'] },
    spec: {
      $setElementOrder: undefined,
      '$setElementOrder/containers': [{ name: 'c2' }, { name: 'c1' }],
      containers: [{ name: 'c1', env: [{ name: 'A', $patch: 'delete' }, { name: 'B', value: '2' }] }, { name: 'c3', $patch: 'delete' }],
    },
  };
  delete (patch.spec as Record<string, unknown>).$setElementOrder;
  const r = applyStrategicMergePatch(pod(), patch, PodSchema);
  assert.deepEqual(r.metadata.labels, { b: '2' });
  // A new scalar precedes the server-only ones (upstream's mergeSortedSlice); kubectl sends $setElementOrder to pin it.
  assert.deepEqual(r.metadata.finalizers, ['y', 'x']);
  assert.deepEqual(r.spec.containers.map((c: { name: string }) => c.name), ['c2', 'c1']);
  assert.deepEqual(r.spec.containers[1].env, [{ name: 'B', value: '2' }]);
  const replaced = applyStrategicMergePatch(pod(), { spec: { containers: [{ name: 'z', image: 'i' }, { $patch: 'replace' }] } }, PodSchema);
  assert.deepEqual(replaced.spec.containers, [{ name: 'z', image: 'i' }]);
  const retained = applyStrategicMergePatch({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, DeploymentSchema);
  assert.deepEqual(retained.spec.strategy, { type: 'Recreate' });
  assert.throws(() => applyStrategicMergePatch(pod(), { spec: { containers: [{ image: 'no-name' }] } }, PodSchema), StatusError);
});
