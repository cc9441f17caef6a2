import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateConcurrency, borrowingBounds } from './borrowing.js';
import { FlowController } from './flow-controller.js';
import { suggestedFlowSchemas, suggestedPriorityLevels } from './bootstrap-configuration.js';
import type { Attributes } from '../authz/authorizer.js';

test('bounds: nominal minus lendable, plus the borrowing limit', () => {
  assert.deepEqual(borrowingBounds({ nominal: 49, lendablePercent: 50 }), [24, Infinity]);
  assert.deepEqual(borrowingBounds({ nominal: 10, lendablePercent: 0, borrowingLimitPercent: 20 }), [10, 12]);
});

test('a busy level borrows what idle levels lend, within its borrowing limit', () => {
  assert.deepEqual(allocateConcurrency([{ nominal: 10, lendablePercent: 50, demand: 100 }, { nominal: 10, lendablePercent: 0, demand: 0 }]), [10, 10]);
  assert.deepEqual(allocateConcurrency([{ nominal: 10, lendablePercent: 50, demand: 100 }, { nominal: 10, lendablePercent: 50, demand: 0 }]), [15, 5]);
  assert.deepEqual(allocateConcurrency([{ nominal: 10, borrowingLimitPercent: 20, demand: 100 }, { nominal: 10, lendablePercent: 50, demand: 0 }]), [12, 8]);
  // Demand on both: shares follow the demands between the bounds.
  assert.deepEqual(allocateConcurrency([{ nominal: 10, lendablePercent: 90, demand: 30 }, { nominal: 10, lendablePercent: 90, demand: 10 }]), [15, 5]);
  assert.deepEqual(allocateConcurrency([{ nominal: 10, lendablePercent: 100, demand: 0 }]), [10]);
});

test('the flow controller moves seats to the flooded level', () => {
  const c = new FlowController();
  c.apply(suggestedFlowSchemas(), suggestedPriorityLevels());
  const alice: Attributes = { user: { username: 'alice', groups: ['system:authenticated'] }, verb: 'get', resourceRequest: true, apiGroup: '', resource: 'configmaps', namespace: 'default', name: 'x' };
  const held = Array.from({ length: 200 }, () => c.admit(alice));
  c.rebalance();
  const limits = c.levelStates();
  // global-default (nominal 49, 200 seats asked) takes seats the others lend; none goes below its unlendable part.
  assert.ok(limits.get('global-default')!.limit > 150, `global-default ${limits.get('global-default')!.limit}`);
  assert.ok(limits.get('node-high')!.limit >= 98 - 25);
  assert.ok(limits.get('leader-election')!.limit >= 25);
  assert.ok(limits.get('workload-low')!.limit < 245);
  const total = [...limits.values()].reduce((n, l) => n + l.limit, 0);
  assert.ok(Math.abs(total - 602) <= 7, `total ${total}`);
  void Promise.all(held).then((ds) => { for (const d of ds) if (d.admission.dispatched) d.admission.release(); });
});
