import { it } from 'node:test';
import assert from 'node:assert/strict';
import { pickFree, staticBand } from './service-allocation.js';
import { AllocationLedger } from '../../../machinery/allocation-ledger.js';

it('static bands are upstream\'s sizes (KEP-3070, KEP-3668)', () => {
  assert.equal(staticBand(2 ** 20 - 2, 16, 256, 16), 256); // /12 service CIDR
  assert.equal(staticBand(254, 16, 256, 16), 16); // /24
  assert.equal(staticBand(2768, 16, 128, 32), 86); // 30000-32767
});

it('pickFree draws from the upper band and falls back to the lower band when it is full', () => {
  const taken = new Set<number>();
  let r = 0;
  const random = (): number => (r = (r + 0.37) % 1);
  for (let i = 0; i < 6; i++) { const v = pickFree(100, 10, 4, taken, random)!; assert.ok(v >= 104 && v < 110, String(v)); taken.add(v); }
  const lower = pickFree(100, 10, 4, taken, random)!;
  assert.ok(lower >= 100 && lower < 104);
  for (let v = 100; v < 104; v++) taken.add(v);
  assert.equal(pickFree(100, 10, 4, taken, random), undefined);
});

it('the ledger holds values for their owner until released, and expires forgotten holds', () => {
  let now = 0;
  const l = new AllocationLedger(() => now, 1000);
  l.hold('r', 1, 'a'); l.hold('r', 2, 'b');
  assert.deepEqual([...l.held('r')].sort(), [1, 2]);
  l.release('a');
  assert.deepEqual([...l.held('r')], [2]);
  now = 2000;
  assert.deepEqual([...l.held('r')], []);
});
