/**
 * Whether one set of rules covers another (upstream pkg/registry/rbac/validation
 * policy_comparator.go): the requested rules are broken down into single
 * group/resource/verb(/name) and url/verb tuples, each of which one owner rule must cover.
 */
import { ALL, type PolicyRule } from './policy-rule.js';

/** BreakdownRule: one rule per apiGroup × resource × verb (× resourceName), then per nonResourceURL × verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if ((rule.resourceNames ?? []).length) {
          for (const name of rule.resourceNames!) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else {
          out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

const hasAll = (set: string[], want: string[]): boolean => want.every((w) => set.includes(w));

/** `*`, exact names, or `*\/sub` for a requested `res/sub`. */
function resourcesCoverAll(owned: string[], wanted: string[]): boolean {
  if (owned.includes(ALL) || hasAll(owned, wanted)) return true;
  return wanted.every((w) => {
    if (owned.includes(w)) return true;
    const slash = w.indexOf('/');
    return slash >= 0 && owned.includes(`*/${w.slice(slash + 1)}`);
  });
}

const urlCovers = (owner: string, sub: string): boolean => owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')));

/** ruleCovers: verbs, groups, resources, names and URLs of `sub` all within `owner`. */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const ownerVerbs = owner.verbs ?? [];
  const ownerGroups = owner.apiGroups ?? [];
  const ownerNames = owner.resourceNames ?? [];
  const subNames = sub.resourceNames ?? [];
  const verbs = ownerVerbs.includes(ALL) || hasAll(ownerVerbs, sub.verbs ?? []);
  const groups = ownerGroups.includes(ALL) || hasAll(ownerGroups, sub.apiGroups ?? []);
  const resources = resourcesCoverAll(owner.resources ?? [], sub.resources ?? []);
  const urls = (sub.nonResourceURLs ?? []).every((u) => (owner.nonResourceURLs ?? []).some((o) => urlCovers(o, u)));
  const names = subNames.length === 0 ? ownerNames.length === 0 : ownerNames.length === 0 || hasAll(ownerNames, subNames);
  return verbs && groups && resources && names && urls;
}

/** Covers: whether `owner` covers every rule of `requested`, and the broken-down rules it misses (in order). */
export function covers(owner: PolicyRule[], requested: PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing = requested.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
  return { covered: missing.length === 0, missing };
}
