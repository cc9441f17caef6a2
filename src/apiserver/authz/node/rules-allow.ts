/**
 * Minimal PolicyRule matcher for the Node authorizer's static rules (upstream
 * plugin/pkg/auth/authorizer/rbac RulesAllow/RuleAllows with the rbacv1helpers matchers):
 * verbs, API groups, resources (any, "res/sub", or any resource with that subresource), resource names, non-resource URLs
 * (exact, "*", or a trailing-"*" prefix). Private to the Node authorizer.
 */
import type { PolicyRule } from '../bootstrap-policy/rule.js';
import type { Attributes } from '../authorizer.js';

const has = (list: string[] | undefined, v: string): boolean => !!list && (list.includes('*') || list.includes(v));

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some((r) => r === '*' || r === combined || (!!subresource && r === `*/${subresource}`));
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** Whether one rule allows the request. */
export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return urlMatches(rule, a.path ?? '');
  return has(rule.apiGroups, a.apiGroup ?? '') && resourceMatches(rule, a.resource ?? '', a.subresource ?? '')
    && (!rule.resourceNames?.length || rule.resourceNames.includes(a.name ?? ''));
}

/** Whether any rule allows the request. */
export const rulesAllow = (a: Attributes, rules: PolicyRule[]): boolean => rules.some((r) => ruleAllows(a, r));
