/**
 * Whether a FlowSchema's rules match a request (upstream k8s.io/apiserver/pkg/util/
 * flowcontrol/match.go): a PolicyRulesWithSubjects matches when one of its subjects is
 * the requesting user and, for a resource request, one of its resourceRules — for any
 * other request, one of its nonResourceRules — matches.
 */
import type { Attributes } from '../authz/authorizer.js';
import type { UserInfo } from '../registry/rest.js';
import { ALL, type NonResourcePolicyRule, type PolicyRulesWithSubjects, type ResourcePolicyRule, type Subject } from './flowcontrol-types.js';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const has = (list: string[] | undefined, v: string): boolean => !!list && (list.includes(ALL) || list.includes(v));

/** A subject matches by user name, group, or ServiceAccount (`*` for any name in the namespace). */
export function subjectMatches(s: Subject, user: UserInfo): boolean {
  switch (s.kind) {
    case 'User': return !!s.user && (s.user.name === ALL || s.user.name === user.username);
    case 'Group': return !!s.group && (s.group.name === ALL || user.groups.includes(s.group.name));
    case 'ServiceAccount': {
      if (!s.serviceAccount || !user.username.startsWith(SERVICE_ACCOUNT_PREFIX)) return false;
      const [ns, ...rest] = user.username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
      const name = rest.join(':');
      return ns === s.serviceAccount.namespace && (s.serviceAccount.name === ALL || s.serviceAccount.name === name);
    }
    default: return false;
  }
}

/**
 * A resource rule: verb, group, resource (`resource/subresource` for subresources) and
 * scope — namespaced requests by `namespaces`, cluster-scoped ones only with `clusterScope`.
 */
export function resourceRuleMatches(r: ResourcePolicyRule, a: Attributes): boolean {
  if (!has(r.verbs, a.verb) || !has(r.apiGroups, a.apiGroup ?? '')) return false;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource ?? '';
  if (!has(r.resources, resource)) return false;
  return a.namespace ? has(r.namespaces, a.namespace) : !!r.clusterScope;
}

/** A non-resource rule: verb and URL — `*`, exact, or a `prefix/*` matching the prefix and below. */
export function nonResourceRuleMatches(r: NonResourcePolicyRule, a: Attributes): boolean {
  if (!has(r.verbs, a.verb)) return false;
  const path = a.path ?? '';
  return r.nonResourceURLs.some((u) => u === ALL || u === path || (u.endsWith('/*') && (path.startsWith(u.slice(0, -1)) || path === u.slice(0, -2))));
}

/** Whether one PolicyRulesWithSubjects matches the request `a`. */
export function policyRulesMatch(rules: PolicyRulesWithSubjects, a: Attributes): boolean {
  if (!(rules.subjects ?? []).some((s) => subjectMatches(s, a.user))) return false;
  return a.resourceRequest
    ? (rules.resourceRules ?? []).some((r) => resourceRuleMatches(r, a))
    : (rules.nonResourceRules ?? []).some((r) => nonResourceRuleMatches(r, a));
}
