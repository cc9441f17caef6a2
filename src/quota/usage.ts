/**
 * A quota's used amounts and the status to write (upstream pkg/quota/v1/resources.go
 * CalculateUsage, pkg/quota/v1/generic CalculateUsageStats, and the comparison in
 * pkg/controller/resourcequota syncResourceQuota).
 */
import type { KubeObject } from '../api/object.js';
import type { ResourceQuota } from '../api/core/v1/resource-quota.js';
import { addAmount, formatAmount, parseAmount, sameQuantity, ZERO } from '../machinery/quantity-amount.js';
import type { Evaluator, ScopeRequirement, Usage } from './evaluators.js';

/** core/v1 ResourceQuotaStatus, quantities as strings. */
export interface QuotaStatus { hard: Record<string, string>; used: Record<string, string> }

/** Whether `obj` falls in every scope of the quota (`spec.scopes` as Exists, plus `spec.scopeSelector`). */
export function inScope(ev: Evaluator, quota: ResourceQuota, obj: KubeObject): boolean {
  const reqs: ScopeRequirement[] = [
    ...((quota.spec?.scopes ?? []) as string[]).map((scopeName) => ({ scopeName, operator: 'Exists' as const })),
    ...((quota.spec?.scopeSelector?.matchExpressions ?? []) as ScopeRequirement[]),
  ];
  return reqs.every((r) => ev.matchesScope(r, obj));
}

/**
 * Usage of the quota's hard resources from `evaluators`, each over the objects
 * `list(ev)` returns for the quota's namespace. Every resource an evaluator measures
 * starts at 0; resources no evaluator measures are absent. Amounts keep the format of
 * the first non-zero addend, as upstream sums do.
 */
export function calculateUsage(quota: ResourceQuota, evaluators: Evaluator[], list: (ev: Evaluator) => KubeObject[], now: number): Usage {
  const hard = Object.keys(quota.spec?.hard ?? {});
  const used: Usage = {};
  for (const ev of evaluators) {
    const tracked = ev.matching(hard);
    if (!tracked.length) continue;
    for (const r of tracked) used[r] ??= ZERO;
    for (const obj of list(ev)) {
      if (!inScope(ev, quota, obj)) continue;
      const u = ev.usage(obj, now);
      for (const r of tracked) if (u[r]) used[r] = addAmount(used[r], u[r]);
    }
  }
  return used;
}

/**
 * The status the quota should carry, or undefined when the stored one already says so:
 * `hard` is spec.hard in canonical form; `used` takes the new usage over the previous
 * values and is restricted to the hard resources.
 */
export function nextQuotaStatus(quota: ResourceQuota, usage: Usage): QuotaStatus | undefined {
  const specHard = (quota.spec?.hard ?? {}) as Record<string, string | number>;
  const prev = quota.status as { hard?: Record<string, string>; used?: Record<string, string> } | undefined;
  const hard: Record<string, string> = {};
  for (const [k, v] of Object.entries(specHard)) hard[k] = canonical(v);
  const used: Record<string, string> = {};
  for (const k of Object.keys(hard)) {
    if (usage[k]) used[k] = formatAmount(usage[k]);
    else if (prev?.used?.[k] !== undefined) used[k] = canonical(prev.used[k]);
  }
  const dirty = !prev?.hard || !prev.used || !sameList(specHard, prev.hard) || !sameList(used, prev.used);
  return dirty ? { hard, used } : undefined;
}

const canonical = (v: string | number): string => { try { return formatAmount(parseAmount(v)); } catch { return String(v); } };

/** Same keys and equal values (upstream quota.Equals). */
function sameList(a: Record<string, string | number>, b: Record<string, string | number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameQuantity(a[k], b[k]));
}
