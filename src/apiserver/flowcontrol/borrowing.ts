/**
 * Concurrency borrowing between priority levels (upstream KEP-1040 "borrowing",
 * apf_controller.go updateBorrowing and computeConcurrencyAllocation): every period
 * (upstream 10 s) each limited level's current limit is chosen between
 * minCL = nominal − lendable (lendablePercent of nominal, rounded) and
 * maxCL = nominal + borrowingLimitPercent of nominal (no bound when unset), so that the
 * limits add up to the sum of the nominal limits, each as close to fairProp × target as its
 * bounds allow, with one fairProp for all. A level's target is its seat demand of the
 * period (upstream smooths the average plus a standard deviation; k8ts takes the period's
 * peak of running plus waiting seats), at least minCL.
 */

export interface BorrowingInput {
  nominal: number;
  lendablePercent?: number;
  /** Undefined: may borrow without bound. */
  borrowingLimitPercent?: number;
  /** Seats the level asked for in the period. */
  demand: number;
}

/** The [minCL, maxCL] of a level. */
export function borrowingBounds(l: Pick<BorrowingInput, 'nominal' | 'lendablePercent' | 'borrowingLimitPercent'>): [number, number] {
  const lendable = Math.round((l.nominal * (l.lendablePercent ?? 0)) / 100);
  const max = l.borrowingLimitPercent === undefined ? Infinity : l.nominal + Math.round((l.nominal * l.borrowingLimitPercent) / 100);
  return [l.nominal - lendable, max];
}

/**
 * The current limits (integers) of `levels`, summing to about Σ nominal; see the module
 * comment. With no demand anywhere every level keeps its nominal limit.
 */
export function allocateConcurrency(levels: BorrowingInput[]): number[] {
  const required = levels.reduce((n, l) => n + l.nominal, 0);
  const bounds = levels.map(borrowingBounds);
  const targets = levels.map((l, i) => Math.max(bounds[i][0], l.demand));
  if (targets.every((t) => t === 0)) return levels.map((l) => l.nominal);
  const sumAt = (p: number): number => targets.reduce((n, t, i) => n + Math.min(bounds[i][1], Math.max(bounds[i][0], p * t)), 0);
  let lo = 0;
  let hi = 1;
  while (sumAt(hi) < required && hi < 1e9) hi *= 2;
  for (let k = 0; k < 60; k++) { const mid = (lo + hi) / 2; if (sumAt(mid) < required) lo = mid; else hi = mid; }
  return targets.map((t, i) => Math.max(1, Math.round(Math.min(bounds[i][1], Math.max(bounds[i][0], hi * t)))));
}
