/**
 * Compacting and printing missing rules for escalation messages (upstream
 * pkg/registry/rbac/validation policy_compact.go CompactRules and rbac/v1 helpers
 * CompactString).
 */
import type { PolicyRule } from './policy-rule.js';

/** Go's %q of a []string: `["a" "b"]`. */
export const goQuotedList = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/** A rule with one group, one resource, at most one name and nothing else: its key. */
function simpleKey(rule: PolicyRule): string | undefined {
  if ((rule.resourceNames ?? []).length > 1 || (rule.nonResourceURLs ?? []).length) return undefined;
  if ((rule.apiGroups ?? []).length !== 1 || (rule.resources ?? []).length !== 1) return undefined;
  return JSON.stringify([rule.apiGroups![0], rule.resources![0], (rule.resourceNames ?? [])[0] ?? null]);
}

/** CompactRules: rules on a single group/resource(/name) that differ only in verbs are merged (verbs in first-seen order); others pass through. */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const complex: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = simpleKey(rule);
    if (key === undefined) { complex.push(rule); continue; }
    const existing = simple.get(key);
    if (!existing) { simple.set(key, { ...rule, verbs: [...(rule.verbs ?? [])] }); continue; }
    for (const v of rule.verbs ?? []) if (!existing.verbs.includes(v)) existing.verbs.push(v);
  }
  return [...complex, ...simple.values()];
}

/** CompactString: `{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["x"], Verbs:["get" "list"]}`, empty fields left out. */
export function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  const add = (label: string, xs: string[] | undefined): void => { if ((xs ?? []).length) parts.push(`${label}:${goQuotedList(xs!)}`); };
  add('APIGroups', rule.apiGroups);
  add('Resources', rule.resources);
  add('NonResourceURLs', rule.nonResourceURLs);
  add('ResourceNames', rule.resourceNames);
  add('Verbs', rule.verbs);
  return `{${parts.join(', ')}}`;
}
