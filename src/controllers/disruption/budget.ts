/**
 * The arithmetic of a PodDisruptionBudget's status (upstream
 * pkg/controller/disruption/disruption.go: getExpectedPodCount, buildDisruptedPodMap,
 * countHealthyPods, updatePdbStatus; pkg/apis/policy/helper: UpdateDisruptionAllowedCondition,
 * ConditionsAreUpToDate). Pure functions over plain objects; the controller feeds them.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { PodDisruptionBudget } from '../../api/policy/v1/pod-disruption-budget.js';
import { isPodReady } from '../pod-util.js';

/** How long (ms) a pod in `status.disruptedPods` is expected to take to go away (upstream DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** The condition type and its reasons. */
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

/** metav1.Condition as the status carries it. */
export interface Condition { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string; observedGeneration?: number; lastTransitionTime: string }

/** policy/v1 PodDisruptionBudgetStatus. */
export interface BudgetStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: Condition[];
}

/**
 * An int-or-percent scaled against `total` (upstream intstr.GetScaledValueFromIntOrPercent):
 * a number passes through; "N%" gives N% of total, rounded up when `roundUp`, else down.
 * Throws Error on any other string.
 */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * `{expected, desiredHealthy}` for a budget over `pods` (upstream getExpectedPodCount).
 * `scale()` is only called when the controllers' scale is needed (maxUnavailable, or a
 * percentage minAvailable); with an integer minAvailable expected = the number of pods.
 * Errors from `scale()` or a bad percentage propagate.
 */
export function expectedAndDesired(pdb: PodDisruptionBudget, pods: Pod[], scale: () => number): { expected: number; desiredHealthy: number } {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const expected = scale();
    return { expected, desiredHealthy: Math.max(0, expected - scaledValue(maxUnavailable, expected, true)) };
  }
  if (minAvailable !== undefined && minAvailable !== null) {
    if (typeof minAvailable === 'number') return { expected: pods.length, desiredHealthy: minAvailable };
    const expected = scale();
    return { expected, desiredHealthy: scaledValue(minAvailable, expected, true) };
  }
  return { expected: 0, desiredHealthy: 0 };
}

/**
 * The entries of `status.disruptedPods` still pending at `now` (ms): a pod gone, being
 * deleted, or past its 2-minute deadline drops out. Also the earliest deadline of the
 * kept ones, when the budget must be looked at again, and the pods past their deadline but
 * not being deleted (`expired`, upstream records NotDeleted on them) (upstream buildDisruptedPodMap).
 */
export function pendingDisruptions(pdb: PodDisruptionBudget, pods: Pod[], now: number): { disrupted: Record<string, string>; recheckAt?: number; expired: Pod[] } {
  const previous = (pdb.status?.disruptedPods ?? {}) as Record<string, string>;
  const disrupted: Record<string, string> = {};
  const expired: Pod[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = previous[pod.metadata.name!];
    if (at === undefined) continue;
    const deadline = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (deadline < now) { expired.push(pod); continue; }
    disrupted[pod.metadata.name!] = at;
    if (recheckAt === undefined || deadline < recheckAt) recheckAt = deadline;
  }
  return { disrupted, recheckAt, expired };
}

/** Pods Ready, not being deleted and not pending a disruption (upstream countHealthyPods). */
export function countHealthy(pods: Pod[], disrupted: Record<string, string>, now: number): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name!];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

/**
 * Sets (or replaces) the condition of `c.type` in `conditions`, keeping
 * lastTransitionTime unless the status changes (upstream meta.SetStatusCondition).
 * Returns a new array.
 */
export function setCondition(conditions: Condition[] | undefined, c: Omit<Condition, 'lastTransitionTime'>, now: string): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  if (i < 0) return [...list, { ...c, lastTransitionTime: now }];
  const old = list[i];
  list[i] = { ...old, ...c, lastTransitionTime: old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now };
  return list;
}

/** The DisruptionAllowed condition matching `status` (upstream UpdateDisruptionAllowedCondition). */
export function allowedCondition(status: BudgetStatus): Omit<Condition, 'lastTransitionTime'> {
  return status.disruptionsAllowed > 0
    ? { type: DISRUPTION_ALLOWED, status: 'True', reason: SUFFICIENT_PODS, message: '', observedGeneration: status.observedGeneration }
    : { type: DISRUPTION_ALLOWED, status: 'False', reason: INSUFFICIENT_PODS, message: '', observedGeneration: status.observedGeneration };
}

/** Whether the budget's stored condition agrees with its status and generation (upstream ConditionsAreUpToDate). */
export function conditionsUpToDate(pdb: PodDisruptionBudget): boolean {
  const s = pdb.status ?? {};
  const c = ((s.conditions ?? []) as Condition[]).find((x) => x.type === DISRUPTION_ALLOWED);
  if (!c || (s.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  return (s.disruptionsAllowed ?? 0) > 0 ? c.status === 'True' && c.reason === SUFFICIENT_PODS : c.status === 'False' && c.reason === INSUFFICIENT_PODS;
}

/**
 * The status the budget should carry, or undefined when the stored one already says
 * so (upstream updatePdbStatus). disruptionsAllowed is 0 while no pods are expected.
 */
export function nextStatus(pdb: PodDisruptionBudget, counts: { currentHealthy: number; desiredHealthy: number; expected: number; disrupted: Record<string, string> }, now: string): BudgetStatus | undefined {
  const { currentHealthy, desiredHealthy, expected, disrupted } = counts;
  const allowed = expected <= 0 || currentHealthy - desiredHealthy <= 0 ? 0 : currentHealthy - desiredHealthy;
  const s = pdb.status ?? {};
  const generation = pdb.metadata.generation ?? 0;
  const sameDisrupted = JSON.stringify(sortedEntries(s.disruptedPods ?? {})) === JSON.stringify(sortedEntries(disrupted));
  if (s.currentHealthy === currentHealthy && s.desiredHealthy === desiredHealthy && s.expectedPods === expected && s.disruptionsAllowed === allowed
    && sameDisrupted && s.observedGeneration === generation && conditionsUpToDate(pdb)) return undefined;
  const status: BudgetStatus = { currentHealthy, desiredHealthy, expectedPods: expected, disruptionsAllowed: allowed, disruptedPods: disrupted, observedGeneration: generation };
  status.conditions = setCondition(s.conditions, allowedCondition(status), now);
  return status;
}

const sortedEntries = (m: Record<string, string>) => Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
