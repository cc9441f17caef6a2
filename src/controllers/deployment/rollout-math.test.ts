import { it } from 'node:test';
import assert from 'node:assert/strict';
import { podTemplateHash, resolveFenceposts, resolveIntOrPercent, templateKey } from './rollout-math.js';

it('maxSurge rounds up, maxUnavailable down; both zero → one unavailable', () => {
  assert.equal(resolveIntOrPercent('25%', 3, true), 1);
  assert.equal(resolveIntOrPercent('25%', 3, false), 0);
  assert.deepEqual(resolveFenceposts({ metadata: {}, spec: { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } }), { maxSurge: 3, maxUnavailable: 2 });
  assert.deepEqual(resolveFenceposts({ metadata: {}, spec: { replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } } }), { maxSurge: 0, maxUnavailable: 1 });
});

it('pod-template-hash is stable, ignores its own label and key order, changes with the template', () => {
  const t1 = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } };
  const t2 = { spec: { containers: [{ image: 'i:1', name: 'c' }] }, metadata: { labels: { app: 'a', 'pod-template-hash': 'zz' } } };
  assert.equal(templateKey(t1), templateKey(t2));
  assert.equal(templateKey(t1), templateKey({ ...t1, metadata: { ...t1.metadata, creationTimestamp: null } } as never), 'rollout undo sends creationTimestamp: null');
  assert.equal(podTemplateHash(t1), podTemplateHash(t2));
  assert.match(podTemplateHash(t1), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.notEqual(podTemplateHash(t1), podTemplateHash({ ...t1, spec: { containers: [{ name: 'c', image: 'i:2' }] } }));
  assert.notEqual(podTemplateHash(t1), podTemplateHash(t1, 1));
});
