/**
 * Rule matching of admission webhooks and policies (upstream
 * k8s.io/apiserver/pkg/admission/plugin/webhook/predicates/rules/rules.go):
 * a RuleWithOperations matches when the operation, API group, version, resource (with
 * subresource) and scope all match. `*` matches anything in a list; in `resources`,
 * `*` is every main resource (no subresource), `*\/*` everything, `pods/*` every pod
 * subresource, `*\/status` every status subresource. Scope `Cluster` also covers
 * Namespace objects, `Namespaced` never does. matchPolicy `Equivalent` is treated as
 * `Exact`: k8ts serves each resource in one version, so there is nothing to convert.
 */
import type { AdmissionAttributes } from '../interface.js';

/** admissionregistration/v1 RuleWithOperations (and NamedRuleWithOperations). */
export interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: string;
  /** NamedRuleWithOperations only: names the rule is limited to (empty: all). */
  resourceNames?: string[];
}

const has = (list: string[] | undefined, value: string) => (list ?? []).some((x) => x === '*' || x === value);

const isNamespaceResource = (attrs: AdmissionAttributes) => attrs.resource.group === '' && attrs.resource.plural === 'namespaces';

/** Whether `rule`'s resources name the request's resource and subresource. */
export function matchesResource(resources: string[] | undefined, attrs: AdmissionAttributes): boolean {
  return (resources ?? []).some((r) => {
    const slash = r.indexOf('/');
    const [res, sub] = slash < 0 ? [r, ''] : [r.slice(0, slash), r.slice(slash + 1)];
    return (res === '*' || res === attrs.resource.plural) && (sub === '*' || sub === attrs.subresource);
  });
}

/** Whether the rule's scope covers the request. */
export function matchesScope(scope: string | undefined, attrs: AdmissionAttributes): boolean {
  if (!scope || scope === '*') return true;
  if (scope === 'Namespaced') return !isNamespaceResource(attrs) && attrs.namespace !== '';
  if (scope === 'Cluster') return isNamespaceResource(attrs) || attrs.namespace === '';
  return false;
}

/** Whether one rule matches the request (operation, group, version, resource, scope; resourceNames when given). */
export function matchesRule(rule: RuleWithOperations, attrs: AdmissionAttributes): boolean {
  if (!has(rule.operations, attrs.operation)) return false;
  if (!has(rule.apiGroups, attrs.resource.group)) return false;
  if (!has(rule.apiVersions, attrs.resource.version)) return false;
  if (!matchesResource(rule.resources, attrs)) return false;
  if (!matchesScope(rule.scope, attrs)) return false;
  if (rule.resourceNames?.length && !rule.resourceNames.includes(attrs.name || (attrs.object?.metadata.name ?? ''))) return false;
  return true;
}

/** Whether any of `rules` matches. */
export const matchesAnyRule = (rules: RuleWithOperations[] | undefined, attrs: AdmissionAttributes): boolean => (rules ?? []).some((r) => matchesRule(r, attrs));
