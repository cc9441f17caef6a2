/**
 * Normalization of a metric proposal into the replica count to set (upstream
 * pkg/controller/podautoscaler/horizontal.go: stabilizeRecommendation[WithBehaviors],
 * convertDesiredReplicasWithRules, convertDesiredReplicasWithBehaviorRate,
 * calculateScale{Up,Down}LimitWithScalingRules; autoscaling/v2 defaults
 * GenerateHPAScale{Up,Down}Rules). Pure functions over recorded recommendations and
 * scale events; times are ms since epoch; each returns the count plus the condition
 * reason and message upstream sets.
 */
import type { Behavior, ScalingRules } from './types.js';

/** A recorded recommendation (every sync records its unstabilized proposal). */
export interface Recommendation { timestamp: number; replicas: number }
/** A recorded rescale: how many replicas it added or removed. */
export interface ScaleEvent { timestamp: number; change: number; outdated?: boolean }

export interface Limited { replicas: number; reason: string; message: string }

/** --horizontal-pod-autoscaler-downscale-stabilization: 5 min. */
export const DEFAULT_DOWNSCALE_STABILIZATION_MS = 5 * 60_000;

/** Upstream's default scaleUp rules: no stabilization; 100 % or 4 pods per 15 s, the larger. */
export const defaultScaleUp = (): Required<ScalingRules> => ({
  stabilizationWindowSeconds: 0, selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
});
/** Upstream's default scaleDown rules: 300 s stabilization; 100 % per 15 s. */
export const defaultScaleDown = (): Required<ScalingRules> => ({
  stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

/**
 * A behavior with every unset field filled as the API defaults it (each direction's
 * missing fields from its default rules). The scaleDown stabilization window left unset
 * is the controller's `downscaleStabilizationMs` (upstream maybeInitScaleDownStabilizationWindow).
 */
export function completeBehavior(b: Behavior, downscaleStabilizationMs = DEFAULT_DOWNSCALE_STABILIZATION_MS): { scaleUp: Required<ScalingRules>; scaleDown: Required<ScalingRules> } {
  const up = defaultScaleUp();
  const down = defaultScaleDown();
  return {
    scaleUp: {
      stabilizationWindowSeconds: b.scaleUp?.stabilizationWindowSeconds ?? up.stabilizationWindowSeconds,
      selectPolicy: b.scaleUp?.selectPolicy ?? up.selectPolicy, policies: b.scaleUp?.policies ?? up.policies,
    },
    scaleDown: {
      stabilizationWindowSeconds: b.scaleDown?.stabilizationWindowSeconds ?? Math.round(downscaleStabilizationMs / 1000),
      selectPolicy: b.scaleDown?.selectPolicy ?? down.selectPolicy, policies: b.scaleDown?.policies ?? down.policies,
    },
  };
}

/** Records `replicas` in `recs` at `now`, reusing the slot of a sample older than every window. */
function record(recs: Recommendation[], replicas: number, now: number, oldIndex: number): void {
  if (oldIndex >= 0) recs[oldIndex] = { timestamp: now, replicas };
  else recs.push({ timestamp: now, replicas });
}

/**
 * Without `behavior`: the highest recommendation within the downscale window (the
 * proposal included), which is recorded in `recs`.
 */
export function stabilizeRecommendation(recs: Recommendation[], proposal: number, now: number, windowMs = DEFAULT_DOWNSCALE_STABILIZATION_MS): number {
  let max = proposal;
  let oldIndex = -1;
  const cutoff = now - windowMs;
  recs.forEach((r, i) => {
    if (r.timestamp < cutoff) oldIndex = i;
    else if (r.replicas > max) max = r.replicas;
  });
  record(recs, proposal, now, oldIndex);
  return max;
}

/**
 * With `behavior`: the proposal held between the lowest recommendation of the scaleUp
 * window and the highest of the scaleDown window (current replicas moved into that
 * range); the proposal is recorded in `recs`.
 */
export function stabilizeRecommendationWithBehaviors(recs: Recommendation[], current: number, proposal: number, upWindowSeconds: number, downWindowSeconds: number, now: number): Limited {
  let up = proposal, down = proposal, oldIndex = -1;
  const upCutoff = now - upWindowSeconds * 1000;
  const downCutoff = now - downWindowSeconds * 1000;
  recs.forEach((r, i) => {
    if (r.timestamp > upCutoff) up = Math.min(r.replicas, up);
    if (r.timestamp > downCutoff) down = Math.max(r.replicas, down);
    if (r.timestamp < upCutoff && r.timestamp < downCutoff) oldIndex = i;
  });
  let replicas = current;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  record(recs, proposal, now, oldIndex);
  return proposal >= current
    ? { replicas, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
    : { replicas, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
}

/** Without `behavior`: min/max replicas and the legacy scale-up limit max(2 × current, 4). */
export function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): Limited {
  const scaleUpLimit = Math.max(2 * current, 4);
  const [maxAllowed, reason, message] = max > scaleUpLimit
    ? [scaleUpLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
    : [max, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  if (desired > maxAllowed) return { replicas: maxAllowed, reason, message };
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** Sum of the changes of events within the last `periodSeconds`. */
export function replicasChangePerPeriod(periodSeconds: number, events: ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.filter((e) => e.timestamp > cutoff).reduce((s, e) => s + e.change, 0);
}

/** The highest count the scaleUp rules allow now (current when Disabled). */
export function scaleUpLimit(current: number, ups: ScaleEvent[], downs: ScaleEvent[], rules: Required<ScalingRules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, ups, now) + replicasChangePerPeriod(p.periodSeconds, downs, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** The lowest count the scaleDown rules allow now (current when Disabled). */
export function scaleDownLimit(current: number, ups: ScaleEvent[], downs: ScaleEvent[], rules: Required<ScalingRules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  // The smallest change ('Min') is the highest count.
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = current - replicasChangePerPeriod(p.periodSeconds, ups, now) + replicasChangePerPeriod(p.periodSeconds, downs, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** With `behavior`: the stabilized count held to min/max and to the rate the policies allow. */
export function convertDesiredReplicasWithBehaviorRate(current: number, desired: number, min: number, max: number, behavior: ReturnType<typeof completeBehavior>, ups: ScaleEvent[], downs: ScaleEvent[], now: number): Limited {
  if (desired > current) {
    const limit = Math.max(scaleUpLimit(current, ups, downs, behavior.scaleUp, now), current);
    const [maxAllowed, reason, message] = max > limit
      ? [limit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
      : [max, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
    if (desired > maxAllowed) return { replicas: maxAllowed, reason, message };
  } else if (desired < current) {
    const limit = Math.min(scaleDownLimit(current, ups, downs, behavior.scaleDown, now), current);
    const [minAllowed, reason, message] = min < limit
      ? [limit, 'ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate']
      : [min, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
    if (desired < minAllowed) return { replicas: minAllowed, reason, message };
  }
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/**
 * Records a rescale in the up or down events (upstream storeScaleEvent): events older
 * than the longest policy period of that direction are marked outdated and their slot reused.
 */
export function storeScaleEvent(events: ScaleEvent[], change: number, longestPeriodSeconds: number, now: number): void {
  const cutoff = now - longestPeriodSeconds * 1000;
  let reuse = -1;
  events.forEach((e, i) => { if (e.timestamp < cutoff) { e.outdated = true; if (reuse < 0) reuse = i; } });
  // Outdated events no longer count: keep them out of the sums.
  const fresh = { timestamp: now, change, outdated: false };
  if (reuse >= 0) events[reuse] = fresh; else events.push(fresh);
  for (let i = events.length - 1; i >= 0; i--) if (events[i].outdated) events.splice(i, 1);
}
