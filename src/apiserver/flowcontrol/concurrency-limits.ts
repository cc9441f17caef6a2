/**
 * The nominal concurrency limit of each priority level (upstream apf_controller.go
 * digestConfigObjects / KEP-1040 "borrowing"): the server's limit
 * (--max-requests-inflight + --max-mutating-requests-inflight) is shared by every level
 * in proportion to its nominalConcurrencyShares (the exempt level's count in the sum,
 * upstream default 0): NominalCL(l) = ceil(ServerCL × NCS(l) / Σ NCS).
 */
import type { PriorityLevelConfigurationSpec } from './flowcontrol-types.js';

/** Upstream's defaults: --max-requests-inflight 400, --max-mutating-requests-inflight 200. */
export const DEFAULT_MAX_REQUESTS_INFLIGHT = 400;
export const DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT = 200;

/** A level's nominalConcurrencyShares (Limited default 30, Exempt default 0). */
export function sharesOf(spec: PriorityLevelConfigurationSpec): number {
  return spec.type === 'Exempt' ? spec.exempt?.nominalConcurrencyShares ?? 0 : spec.limited?.nominalConcurrencyShares ?? 30;
}

/** Nominal seats per level name for `serverLimit`; exempt levels get their (unenforced) share too. */
export function nominalLimits(levels: Array<{ name: string; spec: PriorityLevelConfigurationSpec }>, serverLimit: number): Map<string, number> {
  const total = levels.reduce((n, l) => n + sharesOf(l.spec), 0);
  return new Map(levels.map((l) => [l.name, total > 0 ? Math.ceil((serverLimit * sharesOf(l.spec)) / total) : 0]));
}
