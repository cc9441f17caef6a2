/** Normalization: stabilization windows, min/max, the legacy rate limit and behavior policies. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  completeBehavior, convertDesiredReplicasWithBehaviorRate, convertDesiredReplicasWithRules, scaleDownLimit, scaleUpLimit,
  stabilizeRecommendation, stabilizeRecommendationWithBehaviors, storeScaleEvent, type Recommendation, type ScaleEvent,
} from './behavior.js';

const T = 1_000_000_000;

describe('stabilization', () => {
  it('without behavior keeps the highest recommendation of the downscale window', () => {
    const recs: Recommendation[] = [{ timestamp: T - 400_000, replicas: 9 }, { timestamp: T - 100_000, replicas: 6 }];
    assert.equal(stabilizeRecommendation(recs, 2, T), 6);
    assert.equal(stabilizeRecommendation(recs, 2, T + 300_000), 2);
    // The oldest slot was reused.
    assert.ok(recs.length <= 3);
  });
  it('with behavior holds between the scaleUp window minimum and the scaleDown window maximum', () => {
    const recs: Recommendation[] = [{ timestamp: T - 10_000, replicas: 8 }, { timestamp: T - 5_000, replicas: 3 }];
    const down = stabilizeRecommendationWithBehaviors(recs, 5, 2, 0, 60, T);
    // Current 5 lies within [2, 8]: it stays.
    assert.deepEqual([down.replicas, down.reason], [5, 'ScaleDownStabilized']);
    assert.equal(stabilizeRecommendationWithBehaviors([{ timestamp: T - 10_000, replicas: 4 }], 6, 2, 0, 60, T).replicas, 4);
    const up = stabilizeRecommendationWithBehaviors([{ timestamp: T - 10_000, replicas: 3 }], 2, 10, 60, 0, T);
    assert.deepEqual([up.replicas, up.reason], [3, 'ScaleUpStabilized']);
  });
});

describe('limits', () => {
  it('without behavior: min, max and max(2 × current, 4)', () => {
    assert.deepEqual(convertDesiredReplicasWithRules(2, 20, 1, 10), { replicas: 4, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
    assert.deepEqual(convertDesiredReplicasWithRules(5, 20, 1, 8).reason, 'TooManyReplicas');
    assert.deepEqual(convertDesiredReplicasWithRules(5, 0, 2, 8), { replicas: 2, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' });
    assert.deepEqual(convertDesiredReplicasWithRules(5, 6, 2, 8).reason, 'DesiredWithinRange');
  });
  it('default policies: up by max(100 %, 4 pods) per 15 s, down by 100 % per 15 s', () => {
    const b = completeBehavior({});
    assert.equal(b.scaleDown.stabilizationWindowSeconds, 300);
    assert.equal(scaleUpLimit(1, [], [], b.scaleUp, T), 5);
    assert.equal(scaleUpLimit(10, [], [], b.scaleUp, T), 20);
    assert.equal(scaleDownLimit(10, [], [], b.scaleDown, T), 0);
    // Events in the period move the period's start: 6 added 5 s ago → start 4 → max(8, 8).
    assert.equal(scaleUpLimit(10, [{ timestamp: T - 5_000, change: 6 }], [], b.scaleUp, T), 8);
    assert.equal(scaleUpLimit(10, [{ timestamp: T - 20_000, change: 6 }], [], b.scaleUp, T), 20);
  });
  it('custom policies, Min and Disabled', () => {
    const b = completeBehavior({ scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] }, scaleUp: { selectPolicy: 'Disabled' } });
    assert.equal(scaleDownLimit(10, [], [], b.scaleDown, T), 9);
    assert.equal(scaleUpLimit(10, [], [], b.scaleUp, T), 10);
    const r = convertDesiredReplicasWithBehaviorRate(10, 2, 1, 20, b, [], [], T);
    assert.deepEqual(r, { replicas: 9, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' });
    assert.equal(convertDesiredReplicasWithBehaviorRate(10, 15, 1, 20, b, [], [], T).replicas, 10);
    assert.equal(convertDesiredReplicasWithBehaviorRate(10, 9, 1, 20, b, [], [], T).reason, 'DesiredWithinRange');
  });
  it('keeps scale events within the longest period', () => {
    const ev: ScaleEvent[] = [{ timestamp: T - 100_000, change: 3 }];
    storeScaleEvent(ev, 2, 60, T);
    assert.deepEqual(ev.map((e) => e.change), [2]);
  });
});
