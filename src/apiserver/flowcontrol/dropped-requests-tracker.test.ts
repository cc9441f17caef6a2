import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DroppedRequestsTracker } from './dropped-requests-tracker.js';

test('Retry-After doubles under repeated refusals and decays one second per quiet window', () => {
  let now = 1_000_000;
  const t = new DroppedRequestsTracker(() => now);
  assert.equal(t.retryAfter('global-default'), 1);
  t.recordDropped('global-default');
  t.recordDropped('global-default');
  assert.equal(t.retryAfter('global-default'), 1);
  t.recordDropped('global-default');
  assert.equal(t.retryAfter('global-default'), 2);
  assert.equal(t.retryAfter('workload-low'), 1);
  for (let i = 0; i < 3; i++) t.recordDropped('global-default');
  assert.equal(t.retryAfter('global-default'), 4);
  for (let round = 0; round < 10; round++) { now += 500; for (let i = 0; i < 3; i++) t.recordDropped('global-default'); }
  assert.equal(t.retryAfter('global-default'), 32);
  now += 32_000;
  assert.equal(t.retryAfter('global-default'), 31);
  now += 31_000;
  assert.equal(t.retryAfter('global-default'), 30);
});
