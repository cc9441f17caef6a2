/**
 * RBAC policy rules and how one request matches one rule (upstream
 * plugin/pkg/auth/authorizer/rbac RuleAllows and pkg/apis/rbac/v1 helpers VerbMatches,
 * APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches).
 */
import type { Attributes } from '../authorizer.js';

/** rbac/v1 PolicyRule. Empty / absent lists match nothing (resourceNames: everything). */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** The `*` wildcard of verbs, apiGroups, resources and nonResourceURLs. */
export const ALL = '*';

/** The rule names the verb or `*`. */
export const verbMatches = (rule: PolicyRule, verb: string): boolean =>
  (rule.verbs ?? []).some((v) => v === ALL || v === verb);

/** The rule names the API group ('' = core) or `*`. */
export const apiGroupMatches = (rule: PolicyRule, group: string): boolean =>
  (rule.apiGroups ?? []).some((g) => g === ALL || g === group);

/**
 * The rule covers `combined` (`resource` or `resource/subresource`): an entry `*`, the
 * exact combined name, or `*\/<subresource>` for a subresource request. As upstream, a
 * `resource/*` entry is not a wildcard: it only matches the literal subresource `*`.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some((r) => r === ALL || r === combined || (subresource !== '' && r === `*/${subresource}`));
}

/** No resourceNames matches every name; otherwise the (possibly empty) request name must be listed, so list/create/watch of a collection never match a named rule. */
export const resourceNameMatches = (rule: PolicyRule, name: string): boolean =>
  !(rule.resourceNames ?? []).length || rule.resourceNames!.includes(name);

/** An entry `*`, the exact path, or a `prefix*` entry the path starts with. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === ALL || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** RuleAllows: whether `rule` grants the request described by `attrs`. */
export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!attrs.resourceRequest) return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path ?? '');
  const sub = attrs.subresource ?? '';
  const combined = sub ? `${attrs.resource ?? ''}/${sub}` : attrs.resource ?? '';
  return verbMatches(rule, attrs.verb) && apiGroupMatches(rule, attrs.apiGroup ?? '')
    && resourceMatches(rule, combined, sub) && resourceNameMatches(rule, attrs.name ?? '');
}
