import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.js';

const S = 1000;
const MIN = 60 * S;

it('back-off: 10 s doubling to 5 min, counted from the event time', () => {
  let now = 1_000_000;
  const b = new Backoff(10 * S, 5 * MIN, () => now);
  assert.equal(b.isInBackOffSince('k', now), false, 'no entry: not in back-off');
  const steps: number[] = [];
  for (let i = 0; i < 7; i++) { b.next('k', now); steps.push(b.get('k') / S); }
  assert.deepEqual(steps, [10, 20, 40, 80, 160, 300, 300]);
  const exit = now;
  now += 299 * S;
  assert.equal(b.isInBackOffSince('k', exit), true);
  assert.equal(b.remainingSince('k', exit), 1 * S);
  now += S;
  assert.equal(b.isInBackOffSince('k', exit), false);
});

it('back-off: an entry last updated more than 2×max before the event is treated as fresh', () => {
  let now = 0;
  const b = new Backoff(10 * S, 5 * MIN, () => now);
  for (let i = 0; i < 4; i++) b.next('k', now);
  assert.equal(b.get('k'), 80 * S);
  // The container ran for 10 min + 1 ms after the last restart, then exited.
  now = 10 * MIN + 1;
  assert.equal(b.isInBackOffSince('k', now), false);
  b.next('k', now);
  assert.equal(b.get('k'), 10 * S, 'starts over at the initial delay');
  // Exactly 2×max is not expired yet (upstream compares with >).
  now += 10 * MIN;
  b.next('k', now);
  assert.equal(b.get('k'), 20 * S);
});

it('back-off: since-update checks count from the last next()', () => {
  let now = 0;
  const b = new Backoff(10 * S, 5 * MIN, () => now);
  b.next('img', now);
  now = 4 * S;
  assert.equal(b.isInBackOffSinceUpdate('img', now), true);
  assert.equal(b.remainingSinceUpdate('img', now), 6 * S);
  now = 10 * S;
  assert.equal(b.isInBackOffSinceUpdate('img', now), false);
});

it('back-off GC drops entries not updated for more than 2×max; retain drops the rejected keys', () => {
  let now = 0;
  const b = new Backoff(10 * S, 5 * MIN, () => now);
  b.next('old', now);
  now = 6 * MIN;
  b.next('recent', now);
  b.next('gone/x', now);
  now = 10 * MIN;
  b.gc();
  assert.equal(b.size, 3, 'exactly 2×max: kept');
  now += 1;
  b.gc();
  assert.equal(b.get('old'), 0);
  assert.equal(b.size, 2);
  b.retain((k) => !k.startsWith('gone/'));
  assert.equal(b.size, 1);
  assert.equal(b.get('recent'), 10 * S);
});
