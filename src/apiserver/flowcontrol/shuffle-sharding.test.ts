import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dealHand, flowHash } from './shuffle-sharding.js';

test('a flow always gets the same hand of distinct queues', () => {
  const h = flowHash('global-default', 'alice');
  assert.equal(h, flowHash('global-default', 'alice'));
  assert.notEqual(h, flowHash('global-default', 'bob'));
  assert.notEqual(flowHash('a', 'bc'), flowHash('ab', 'c'));
  const hand = dealHand(h, 128, 6);
  assert.deepEqual(hand, dealHand(h, 128, 6));
  assert.equal(new Set(hand).size, 6);
  assert.ok(hand.every((c) => c >= 0 && c < 128));
});

test('hands are distinct and spread over the deck', () => {
  const seen = new Map<number, number>();
  for (let i = 0; i < 2000; i++) {
    const hand = dealHand(flowHash('fs', `user-${i}`), 16, 4);
    assert.equal(new Set(hand).size, 4);
    for (const c of hand) seen.set(c, (seen.get(c) ?? 0) + 1);
  }
  assert.equal(seen.size, 16);
  // 8000 cards over 16 queues: each within ±30% of 500.
  for (const n of seen.values()) assert.ok(n > 350 && n < 650, `uneven: ${n}`);
  assert.deepEqual(dealHand(12345n, 4, 4).sort(), [0, 1, 2, 3]);
  assert.throws(() => dealHand(1n, 4, 5), RangeError);
});
