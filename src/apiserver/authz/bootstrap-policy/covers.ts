/**
 * Rule coverage (upstream pkg/registry/rbac/validation policy_comparator.go Covers and
 * BreakdownRule): which of the requested rules an owner's rules do not grant. Used by the
 * reconciliation to add missing permissions to existing roles.
 */
import type { PolicyRule } from './rule.js';

/** One rule per group/resource/verb(/name), or per URL/verb (upstream BreakdownRule). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of rule.apiGroups ?? []) for (const r of rule.resources ?? []) for (const v of rule.verbs) {
    if (rule.resourceNames?.length) for (const n of rule.resourceNames) out.push({ verbs: [v], apiGroups: [g], resources: [r], resourceNames: [n] });
    else out.push({ verbs: [v], apiGroups: [g], resources: [r] });
  }
  for (const u of rule.nonResourceURLs ?? []) for (const v of rule.verbs) out.push({ verbs: [v], nonResourceURLs: [u] });
  return out;
}

const has = (list: string[] | undefined, v: string): boolean => !!list && (list.includes('*') || list.includes(v));

function resourceCovered(owner: string[] | undefined, r: string): boolean {
  if (!owner) return false;
  if (owner.includes('*') || owner.includes(r)) return true;
  const slash = r.indexOf('/');
  return slash >= 0 && owner.includes('*' + r.slice(slash));
}

function urlCovered(owner: string[] | undefined, u: string): boolean {
  return !!owner && owner.some((o) => o === '*' || o === u || (o.endsWith('*') && u.startsWith(o.slice(0, -1))));
}

/** Upstream ruleCovers for one broken-down rule. */
function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  if (!sub.verbs.every((v) => has(owner.verbs, v))) return false;
  if (sub.nonResourceURLs?.length) return sub.nonResourceURLs.every((u) => urlCovered(owner.nonResourceURLs, u));
  if (!(sub.apiGroups ?? []).every((g) => has(owner.apiGroups, g))) return false;
  if (!(sub.resources ?? []).every((r) => resourceCovered(owner.resources, r))) return false;
  if (owner.resourceNames?.length) return !!sub.resourceNames?.length && sub.resourceNames.every((n) => owner.resourceNames!.includes(n));
  return true;
}

/** Upstream Covers: the broken-down requested rules no owner rule grants (empty: covered). */
export function uncoveredRules(owner: PolicyRule[], requested: PolicyRule[]): PolicyRule[] {
  return requested.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
}
