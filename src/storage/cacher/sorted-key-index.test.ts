import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SortedKeyIndex } from './sorted-key-index.js';

test('SortedKeyIndex: sorted() merges adds and deletes recorded since the last call', () => {
  const idx = new SortedKeyIndex(['/b', '/d', '/a']);
  assert.deepEqual(idx.sorted(), ['/a', '/b', '/d']);
  idx.add('/c'); idx.add('/0'); idx.delete('/b');
  assert.deepEqual(idx.sorted(), ['/0', '/a', '/c', '/d']);
  // Unchanged: the same array is handed out again.
  assert.equal(idx.sorted(), idx.sorted());
});

test('SortedKeyIndex: a key deleted and re-added (or added and deleted) before a merge', () => {
  const idx = new SortedKeyIndex(['/a', '/b']);
  idx.delete('/a'); idx.add('/a');
  idx.add('/x'); idx.delete('/x');
  assert.deepEqual(idx.sorted(), ['/a', '/b']);
  idx.delete('/a'); idx.delete('/b');
  assert.deepEqual(idx.sorted(), []);
});

test('SortedKeyIndex: agrees with a sorted Set over a random sequence of changes', () => {
  let seed = 7;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const idx = new SortedKeyIndex();
  const truth = new Set<string>();
  for (let step = 0; step < 5000; step++) {
    const k = `/registry/k${rand(300)}`;
    if (truth.has(k)) { truth.delete(k); idx.delete(k); } else { truth.add(k); idx.add(k); }
    if (rand(50) === 0) assert.deepEqual(idx.sorted(), [...truth].sort());
  }
  assert.deepEqual(idx.sorted(), [...truth].sort());
});
