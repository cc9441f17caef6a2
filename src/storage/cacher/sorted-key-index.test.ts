import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SortedKeyIndex } from './sorted-key-index.js';

test('SortedKeyIndex: slice and count over a prefix range after adds and deletes', () => {
  const idx = new SortedKeyIndex(['/b/2', '/a/1', '/b/1']);
  idx.add('/b/0'); idx.add('/c/1'); idx.delete('/b/1'); idx.delete('/nope');
  assert.deepEqual(idx.slice('/b/', '/b/\uffff'), ['/b/0', '/b/2']);
  assert.equal(idx.count('/b/', '/b/\uffff'), 2);
  assert.deepEqual(idx.slice('/', '/\uffff', 2), ['/a/1', '/b/0']);
  assert.equal(idx.count('/d/', '/d/\uffff'), 0);
  assert.equal(idx.size, 4);
});

test('SortedKeyIndex: agrees with a sorted Set over many blocks of random changes', () => {
  let seed = 7;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const idx = new SortedKeyIndex(Array.from({ length: 1500 }, (_, i) => `/registry/k${i * 3}`));
  const truth = new Set(Array.from({ length: 1500 }, (_, i) => `/registry/k${i * 3}`));
  for (let step = 0; step < 20_000; step++) {
    const k = `/registry/k${rand(6000)}`;
    if (truth.has(k)) { truth.delete(k); idx.delete(k); } else { truth.add(k); idx.add(k); }
    if (rand(500) === 0) {
      const all = [...truth].sort();
      const from = `/registry/k${rand(6000)}`;
      const inRange = all.filter((x) => x >= from && x < '/registry/k5');
      assert.deepEqual(idx.slice(from, '/registry/k5', 100), inRange.slice(0, 100));
      assert.equal(idx.count(from, '/registry/k5'), inRange.length);
    }
  }
  assert.deepEqual(idx.slice('', '\uffff'), [...truth].sort());
  assert.equal(idx.size, truth.size);
  for (const k of [...truth]) idx.delete(k);
  assert.deepEqual(idx.slice('', '\uffff'), []);
  idx.add('/x');
  assert.deepEqual(idx.slice('', '\uffff'), ['/x']);
});
