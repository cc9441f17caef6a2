import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDurationMs, requestWaitLimitMs } from './request-wait-limit.js';

test('a quarter of ?timeout=, at most a minute; the default otherwise', () => {
  assert.equal(goDurationMs('1m30s'), 90_000);
  assert.equal(goDurationMs('500ms'), 500);
  assert.equal(goDurationMs('2.5s'), 2500);
  assert.equal(goDurationMs('10'), undefined);
  const q = (s: string) => new URLSearchParams(s);
  assert.equal(requestWaitLimitMs(q('timeout=32s'), { longRunning: false, defaultMs: 15_000 }), 8000);
  assert.equal(requestWaitLimitMs(q('timeout=10m'), { longRunning: false, defaultMs: 15_000 }), 60_000);
  assert.equal(requestWaitLimitMs(q(''), { longRunning: false, defaultMs: 15_000 }), 15_000);
  assert.equal(requestWaitLimitMs(q('timeout=bogus'), { longRunning: false, defaultMs: 15_000 }), 15_000);
  assert.equal(requestWaitLimitMs(q('timeout=8s'), { longRunning: true, defaultMs: 15_000 }), 15_000);
});
