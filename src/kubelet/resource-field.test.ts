import { it } from 'node:test';
import assert from 'node:assert/strict';
import { resourceFieldValue } from './resource-field.js';

const alloc = { cpu: '8', memory: '16Gi', 'ephemeral-storage': '100Gi' };
const c = { name: 'c', resources: { requests: { cpu: '250m', memory: '32Mi' }, limits: { cpu: '1250m', memory: '64Mi' } } };
const pod = { metadata: {}, spec: { containers: [c, { name: 'free' }] } } as never;

it('resourceFieldRef: divisor, cpu rounded up, node allocatable when no limit', () => {
  assert.equal(resourceFieldValue(pod, c, { resource: 'limits.cpu' }, alloc), '2');
  assert.equal(resourceFieldValue(pod, c, { resource: 'limits.cpu', divisor: '1m' }, alloc), '1250');
  assert.equal(resourceFieldValue(pod, c, { resource: 'requests.cpu' }, alloc), '1');
  assert.equal(resourceFieldValue(pod, c, { resource: 'requests.cpu', divisor: '1m' }, alloc), '250');
  assert.equal(resourceFieldValue(pod, c, { resource: 'limits.memory' }, alloc), String(64 * 2 ** 20));
  assert.equal(resourceFieldValue(pod, c, { resource: 'limits.memory', divisor: '1Mi' }, alloc), '64');
  assert.equal(resourceFieldValue(pod, c, { resource: 'requests.memory', divisor: '1Mi' }, alloc), '32');
  assert.equal(resourceFieldValue(pod, c, { resource: 'requests.memory', divisor: '1M' }, alloc), '34');
  assert.equal(resourceFieldValue(pod, undefined, { containerName: 'free', resource: 'limits.cpu' }, alloc), '8');
  assert.equal(resourceFieldValue(pod, undefined, { containerName: 'free', resource: 'limits.memory', divisor: '1Gi' }, alloc), '16');
  assert.equal(resourceFieldValue(pod, undefined, { containerName: 'free', resource: 'requests.cpu' }, alloc), '0');
  assert.equal(resourceFieldValue(pod, undefined, { containerName: 'free', resource: 'limits.ephemeral-storage', divisor: '1Gi' }, alloc), '100');
  assert.throws(() => resourceFieldValue(pod, c, { resource: 'limits.gpu' }, alloc), /unsupported container resource : limits.gpu/);
  assert.throws(() => resourceFieldValue(pod, undefined, { containerName: 'nope', resource: 'limits.cpu' }, alloc), /container nope not found/);
});

it('env resourceFieldRef: the container own resources, node allocatable for a missing limit', async () => {
  const { containerEnv } = await import('./env.js');
  const container = { name: 'c', resources: { limits: { memory: '64Mi' } }, env: [
    { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
    { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
    { name: 'OTHER_MEM', valueFrom: { resourceFieldRef: { containerName: 'free', resource: 'limits.memory', divisor: '1Gi' } } },
  ] };
  const p = { metadata: { name: 'p', namespace: 'ns' }, spec: { enableServiceLinks: false, containers: [container, { name: 'free' }] } };
  const env = await containerEnv(p as never, container as never, {} as never, { hostIP: '', podIP: '' }, undefined, alloc);
  assert.deepEqual(env, [{ key: 'MEM', value: '64' }, { key: 'CPU', value: '8' }, { key: 'OTHER_MEM', value: '16' }]);
});
