import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDurationMs } from './duration.js';

it('Go durations in ms: every unit, fractions and sums', () => {
  assert.equal(parseGoDurationMs('1h30m'), 5_400_000);
  assert.equal(parseGoDurationMs('90s'), 90_000);
  assert.equal(parseGoDurationMs('1.5h'), 5_400_000);
  assert.equal(parseGoDurationMs('500ms'), 500);
  assert.equal(parseGoDurationMs('10.5s'), 10_500);
  assert.equal(parseGoDurationMs('2us'), 0.002);
  assert.equal(parseGoDurationMs('3µs'), 0.003);
  assert.equal(parseGoDurationMs('1000000ns'), 1);
});

it('anything else is not a duration', () => {
  for (const bad of ['', '0', '10', 'h', '1d', '-5s', '1h 30m', '1.s', 's1', '1H']) assert.equal(parseGoDurationMs(bad), undefined, bad);
});
