/**
 * HPA status conditions (upstream horizontal.go setCondition / setConditionInList):
 * AbleToScale, ScalingActive, ScalingLimited; a condition's lastTransitionTime moves
 * only when its status changes.
 */
import { rfc3339 } from '../../machinery/time.js';
import type { HorizontalPodAutoscaler, HpaCondition } from './types.js';

/** Sets (or adds) condition `type` on `hpa.status.conditions` in place; `now` for a transition. */
export function setCondition(hpa: HorizontalPodAutoscaler, type: string, status: HpaCondition['status'], reason: string, message: string, now = new Date()): void {
  hpa.status ??= {};
  const list = (hpa.status.conditions ??= []);
  let c = list.find((x) => x.type === type);
  if (!c) { c = { type, status, lastTransitionTime: rfc3339(now) }; list.push(c); }
  if (c.status !== status) c.lastTransitionTime = rfc3339(now);
  c.status = status;
  c.reason = reason;
  c.message = message;
}

/** The condition `type` of `hpa`, if set. */
export const getCondition = (hpa: HorizontalPodAutoscaler, type: string): HpaCondition | undefined =>
  hpa.status?.conditions?.find((c) => c.type === type);
