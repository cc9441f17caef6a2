/**
 * Audit policy (audit.k8s.io/v1 Policy, upstream `--audit-policy-file`; reference:
 * "Auditing" in the Kubernetes docs, k8s.io/apiserver/pkg/audit/policy). The first rule
 * that matches a request gives its level (None, Metadata, Request, RequestResponse) and
 * the stages it omits (added to the policy's own `omitStages`); no matching rule is
 * level None. A rule matches when every field it sets matches:
 *   users / userGroups — the user's name / any of its groups;
 *   verbs — the request's Kubernetes verb (get, list, watch, create, update, patch, delete…);
 *   namespaces — the namespace ("" for cluster-scoped; resource requests only);
 *   resources — `{group, resources, resourceNames}`: `pods`, `pods/log`, `*`, `* /status`
 *     (without the space), `pods/*` (resource requests only);
 *   nonResourceURLs — exact paths or `prefix*` (non-resource requests only).
 */
import { parse as parseYaml } from 'yaml';
import { badRequest } from '../../machinery/errors.js';
import type { Attributes } from '../authz/authorizer.js';

export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
export type AuditStage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

export const AUDIT_LEVELS: readonly AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
export const AUDIT_STAGES: readonly AuditStage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

/** audit.k8s.io/v1 GroupResources. */
export interface GroupResources { group?: string; resources?: string[]; resourceNames?: string[] }

/** audit.k8s.io/v1 PolicyRule. */
export interface PolicyRule {
  level: AuditLevel;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: AuditStage[];
  omitManagedFields?: boolean;
}

/** audit.k8s.io/v1 Policy. */
export interface AuditPolicy { rules: PolicyRule[]; omitStages?: AuditStage[]; omitManagedFields?: boolean }

/** What the policy decides for one request. */
export interface AuditDecision { level: AuditLevel; omitStages: AuditStage[]; omitManagedFields: boolean }

/**
 * Parses and checks a policy file's text (YAML or JSON, `apiVersion: audit.k8s.io/v1`,
 * `kind: Policy`). Throws StatusError 400 naming the field at fault (an unknown level or
 * stage, a rule without a level, a nonResourceURL rule mixed with resources).
 */
export function parseAuditPolicy(text: string): AuditPolicy {
  let doc: unknown;
  try { doc = parseYaml(text); } catch (err) { throw badRequest(`audit policy: ${(err as Error).message}`); }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw badRequest('audit policy: not an object');
  const p = doc as Record<string, unknown>;
  if (p.kind !== 'Policy' || !/^audit\.k8s\.io\/(v1|v1beta1)$/.test(String(p.apiVersion))) throw badRequest(`audit policy: want apiVersion audit.k8s.io/v1, kind Policy; got ${String(p.apiVersion)} ${String(p.kind)}`);
  const stages = (v: unknown, path: string): AuditStage[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw badRequest(`audit policy: ${path}: must be a list`);
    for (const [i, s] of v.entries()) if (!AUDIT_STAGES.includes(s)) throw badRequest(`audit policy: ${path}[${i}]: Unsupported value: ${JSON.stringify(s)}: supported values: ${AUDIT_STAGES.map((x) => `"${x}"`).join(', ')}`);
    return v as AuditStage[];
  };
  const strings = (v: unknown, path: string): string[] | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`audit policy: ${path}: must be a list of strings`);
    return v as string[];
  };
  if (!Array.isArray(p.rules)) throw badRequest('audit policy: rules: Required value');
  const rules = p.rules.map((raw, i): PolicyRule => {
    const path = `rules[${i}]`;
    if (!raw || typeof raw !== 'object') throw badRequest(`audit policy: ${path}: must be an object`);
    const r = raw as Record<string, unknown>;
    if (!AUDIT_LEVELS.includes(r.level as AuditLevel)) throw badRequest(`audit policy: ${path}.level: Unsupported value: ${JSON.stringify(r.level ?? '')}: supported values: ${AUDIT_LEVELS.map((x) => `"${x}"`).join(', ')}`);
    const resources = r.resources === undefined ? undefined : (() => {
      if (!Array.isArray(r.resources)) throw badRequest(`audit policy: ${path}.resources: must be a list`);
      return r.resources.map((g, j) => {
        const gr = (g ?? {}) as Record<string, unknown>;
        return { group: typeof gr.group === 'string' ? gr.group : '', resources: strings(gr.resources, `${path}.resources[${j}].resources`), resourceNames: strings(gr.resourceNames, `${path}.resources[${j}].resourceNames`) };
      });
    })();
    const nonResourceURLs = strings(r.nonResourceURLs, `${path}.nonResourceURLs`);
    if (nonResourceURLs?.length && (resources?.length || (strings(r.namespaces, `${path}.namespaces`)?.length))) {
      throw badRequest(`audit policy: ${path}.nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs`);
    }
    return {
      level: r.level as AuditLevel, users: strings(r.users, `${path}.users`), userGroups: strings(r.userGroups, `${path}.userGroups`),
      verbs: strings(r.verbs, `${path}.verbs`), resources, namespaces: strings(r.namespaces, `${path}.namespaces`), nonResourceURLs,
      omitStages: stages(r.omitStages, `${path}.omitStages`), omitManagedFields: typeof r.omitManagedFields === 'boolean' ? r.omitManagedFields : undefined,
    };
  });
  return { rules, omitStages: stages(p.omitStages, 'omitStages'), omitManagedFields: p.omitManagedFields === true };
}

const resourceMatches = (rule: PolicyRule, a: Attributes): boolean => {
  if (!a.resourceRequest) return false;
  if (rule.namespaces?.length && !rule.namespaces.includes(a.namespace ?? '')) return false;
  if (!rule.resources?.length) return true;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource ?? '';
  return rule.resources.some((gr) => (gr.group ?? '') === (a.apiGroup ?? '') && (!gr.resources?.length || gr.resources.some((res) => {
    if (gr.resourceNames?.length && !gr.resourceNames.includes(a.name ?? '')) return false;
    if (res === '*' || res === combined) return true;
    if (a.subresource && res.startsWith('*/') && res.slice(2) === a.subresource) return true;
    return res.endsWith('/*') && res.slice(0, -2) === a.resource;
  })));
};

const nonResourceMatches = (urls: string[], a: Attributes): boolean =>
  !a.resourceRequest && urls.some((u) => u === '*' || u === a.path || (u.endsWith('*') && (a.path ?? '').startsWith(u.slice(0, -1))));

/** True when `rule` applies to the request `a` (see the module comment). */
export function ruleMatches(rule: PolicyRule, a: Attributes): boolean {
  if (rule.users?.length && !rule.users.includes(a.user.username)) return false;
  if (rule.userGroups?.length && !a.user.groups.some((g) => rule.userGroups!.includes(g))) return false;
  if (rule.verbs?.length && !rule.verbs.includes(a.verb)) return false;
  if (rule.namespaces?.length || rule.resources?.length) return resourceMatches(rule, a);
  if (rule.nonResourceURLs?.length) return nonResourceMatches(rule.nonResourceURLs, a);
  return true;
}

/** The policy's decision for a request: the first matching rule's level and stages; None when no rule matches. */
export function evaluateAuditPolicy(policy: AuditPolicy, a: Attributes): AuditDecision {
  for (const rule of policy.rules) {
    if (!ruleMatches(rule, a)) continue;
    return { level: rule.level, omitStages: [...new Set([...(policy.omitStages ?? []), ...(rule.omitStages ?? [])])], omitManagedFields: rule.omitManagedFields ?? policy.omitManagedFields ?? false };
  }
  return { level: 'None', omitStages: [], omitManagedFields: false };
}
