import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DroppedRequestsTracker } from './dropped-requests-tracker.js';

test('Retry-After doubles after 3 × retryAfter refusals, at most once per window, and decays by a second', () => {
  let now = 1_000_000;
  const t = new DroppedRequestsTracker(() => now);
  const drop = (n: number) => { for (let i = 0; i < n; i++) t.recordDropped('global-default'); };
  assert.equal(t.retryAfter('global-default'), 1);
  drop(5);
  assert.equal(t.retryAfter('global-default'), 1); // the current second is not judged yet
  now += 1000; drop(11);
  assert.equal(t.retryAfter('global-default'), 2);
  assert.equal(t.retryAfter('workload-low'), 1);
  now += 1000; drop(1);
  assert.equal(t.retryAfter('global-default'), 2); // 16 refusals, but less than 2 s since the increase
  now += 1000; drop(1);
  assert.equal(t.retryAfter('global-default'), 4);
  for (let s = 0; s < 40; s++) { now += 1000; drop(40); }
  assert.equal(t.retryAfter('global-default'), 32);
  now += 60_000; drop(1);
  assert.equal(t.retryAfter('global-default'), 31);
  now += 1000; drop(1);
  assert.equal(t.retryAfter('global-default'), 30);
});
