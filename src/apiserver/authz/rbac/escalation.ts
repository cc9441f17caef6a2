/**
 * Privilege-escalation prevention for writes of RBAC objects (upstream
 * pkg/registry/rbac/escalation_check.go, validation/rule.go ConfirmNoEscalation, and the
 * policybased storages of roles, clusterroles, rolebindings and clusterrolebindings).
 *
 * - Roles/ClusterRoles: a user may only write rules they already hold, unless in
 *   `system:masters` or allowed the `escalate` verb on the resource; setting or keeping an
 *   aggregationRule on a ClusterRole needs full authority (`*` on everything).
 * - RoleBindings/ClusterRoleBindings: a user may only bind a role whose rules they hold,
 *   unless in `system:masters` or allowed `bind` on the referenced role.
 * - Updates that only change ownerReferences, finalizers or managedFields are never checked.
 *
 * The checks throw the StatusError upstream answers (403 Forbidden, or the 404 of a missing
 * referenced role); the caller runs them before storing.
 */
import type { Authorizer } from '../authorizer.js';
import type { UserInfo } from '../../registry/rest.js';
import { forbidden, internalError, notFound, StatusError } from '../../../machinery/errors.js';
import { stableJson } from '../../../machinery/stable-json.js';
import type { KubeObject } from '../../../api/object.js';
import type { PolicyRule } from './policy-rule.js';
import { covers } from './policy-comparator.js';
import { compactRules, compactString, goQuotedList } from './policy-compact.js';
import { aggregateMessage, RoleNotFoundError, type ResolvedRules, type RoleRef } from './rule-resolver.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The group that may do anything (user.SystemPrivilegedGroup). */
export const SYSTEM_MASTERS = 'system:masters';

/** Resolves a user's rules and a roleRef's rules (RbacRuleResolver, or RbacAuthorizer.resolver). */
export interface EscalationRuleResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<ResolvedRules>;
  roleReferenceRules(ref: RoleRef, bindingNamespace: string): Promise<PolicyRule[]>;
}

/** The request being checked: who, the request namespace ('' for cluster-scoped kinds), the full authorizer (for `escalate`/`bind`) and the RBAC rule resolver. */
export interface EscalationContext {
  user: UserInfo;
  namespace: string;
  authorizer: Authorizer;
  resolver: EscalationRuleResolver;
}

/** `*` on every resource and every non-resource URL (the authority an aggregationRule needs). */
export const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** The broken-down requested rules `owner` does not cover, compacted (rules differing only in verbs merged). */
export function uncoveredRules(owner: PolicyRule[], requested: PolicyRule[]): PolicyRule[] {
  const { covered, missing } = covers(owner, requested);
  return covered ? [] : compactRules(missing);
}

/**
 * ConfirmNoEscalation: undefined when `owner.rules` cover `requested`; otherwise the message
 * `user "u" (groups=["g"]) is attempting to grant RBAC permissions not currently held:\n<rules>`
 * (one compact rule a line, sorted), plus `; resolution errors: [<errors>]` when the
 * user's rules could not all be resolved.
 */
export function confirmNoEscalation(user: UserInfo, owner: ResolvedRules, requested: PolicyRule[]): string | undefined {
  const missing = uncoveredRules(owner.rules, requested);
  if (!missing.length) return undefined;
  const lines = [...new Set(missing.map(compactString))].sort();
  let msg = `user ${JSON.stringify(user.username)} (groups=${goQuotedList(user.groups ?? [])}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (owner.errors.length) msg += `; resolution errors: [${aggregateMessage(owner.errors)}]`;
  return msg;
}

/** EscalationAllowed: members of system:masters may write any RBAC object. */
export const escalationAllowed = (user: UserInfo): boolean => (user.groups ?? []).includes(SYSTEM_MASTERS);

/** RoleEscalationAuthorized: the authorizer allows verb `escalate` on the roles/clusterroles resource (name and namespace of the request, apiVersion `*`). */
export async function roleEscalationAuthorized(ctx: EscalationContext, resource: 'roles' | 'clusterroles', name: string): Promise<boolean> {
  const r = await ctx.authorizer.authorize({
    user: ctx.user, verb: 'escalate', resourceRequest: true, apiGroup: RBAC_GROUP, apiVersion: '*',
    resource, name, ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
  });
  return r.decision === 'Allow';
}

/** BindingAuthorized: the authorizer allows verb `bind` on the referenced role (`roles`/`clusterroles` by name, in the binding's namespace or '' for ClusterRoleBindings). */
export async function bindingAuthorized(ctx: EscalationContext, ref: RoleRef, bindingNamespace: string): Promise<boolean> {
  const resource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : undefined;
  if (!resource) return false;
  const r = await ctx.authorizer.authorize({
    user: ctx.user, verb: 'bind', resourceRequest: true, apiGroup: ref.apiGroup ?? RBAC_GROUP, resource, name: ref.name,
    ...(bindingNamespace ? { namespace: bindingNamespace } : {}),
  });
  return r.decision === 'Allow';
}

/** IsOnlyMutatingGCFields: `obj` equals `old` once ownerReferences, finalizers, selfLink and managedFields are taken from `old`. */
export function isOnlyMutatingGCFields(obj: KubeObject, old: KubeObject | undefined): boolean {
  if (!old) return false;
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, ownerReferences: undefined, finalizers: undefined, selfLink: undefined, managedFields: undefined } });
  return stableJson(normalize(strip(obj))) === stableJson(normalize(strip(old)));
}

/** Semantic equality treats empty and absent lists/maps alike. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || x === null) continue;
      if (Array.isArray(x) && !x.length) continue;
      if (typeof x === 'object' && !Array.isArray(x) && !Object.keys(x).length) continue;
      out[k] = normalize(x);
    }
    return out;
  }
  return v;
}

const gr = (resource: string) => ({ group: RBAC_GROUP, resource });
const forbiddenOn = (resource: string, name: string, msg: string): StatusError =>
  forbidden(`${resource}.${RBAC_GROUP} ${JSON.stringify(name)} is forbidden: ${msg}`, { ...gr(resource), name });

const hasAggregationRule = (o: KubeObject | undefined): boolean => ((o as { aggregationRule?: { clusterRoleSelectors?: unknown[] } } | undefined)?.aggregationRule?.clusterRoleSelectors ?? []).length > 0;

/**
 * The check before storing a Role or ClusterRole (`old` on updates). Passes for
 * system:masters, for users allowed `escalate`, and for GC-only updates; otherwise throws
 * 403 `<resource>.rbac.authorization.k8s.io "name" is forbidden: <confirmNoEscalation message>`,
 * and for a ClusterRole with (or previously with) an aggregationRule without full
 * authority, 403 `... is forbidden: must have cluster-admin privileges to use the aggregationRule`.
 */
export async function checkRoleWrite(ctx: EscalationContext, kind: 'Role' | 'ClusterRole', obj: KubeObject, old?: KubeObject): Promise<void> {
  const resource = kind === 'Role' ? 'roles' : 'clusterroles';
  const name = obj.metadata.name ?? '';
  if (escalationAllowed(ctx.user) || await roleEscalationAuthorized(ctx, resource, name)) return;
  if (old && isOnlyMutatingGCFields(obj, old)) return;
  const owner = await ctx.resolver.rulesFor(ctx.user, ctx.namespace);
  const msg = confirmNoEscalation(ctx.user, owner, ((obj as { rules?: PolicyRule[] }).rules ?? []));
  if (msg) throw forbiddenOn(resource, name, msg);
  if (kind === 'ClusterRole' && (hasAggregationRule(obj) || hasAggregationRule(old)) && confirmNoEscalation(ctx.user, owner, FULL_AUTHORITY)) {
    throw forbiddenOn(resource, name, 'must have cluster-admin privileges to use the aggregationRule');
  }
}

/**
 * The check before storing a RoleBinding or ClusterRoleBinding (`old` on updates). Passes
 * for system:masters, GC-only updates, users allowed `bind` on the referenced role, and
 * users holding all its rules; otherwise throws 403
 * `<resource>.rbac.authorization.k8s.io "name" is forbidden: <confirmNoEscalation message>`.
 * A missing referenced role throws 404 `roles.rbac.authorization.k8s.io "x" not found`.
 */
export async function checkBindingWrite(ctx: EscalationContext, kind: 'RoleBinding' | 'ClusterRoleBinding', obj: KubeObject, old?: KubeObject): Promise<void> {
  const resource = kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings';
  if (escalationAllowed(ctx.user)) return;
  if (old && isOnlyMutatingGCFields(obj, old)) return;
  const bindingNamespace = kind === 'RoleBinding' ? ctx.namespace : '';
  const ref = (obj as unknown as { roleRef: RoleRef }).roleRef;
  if (await bindingAuthorized(ctx, ref, bindingNamespace)) return;
  let rules: PolicyRule[];
  try {
    rules = await ctx.resolver.roleReferenceRules(ref, bindingNamespace);
  } catch (e) {
    if (e instanceof RoleNotFoundError) throw notFound(gr(e.kind === 'Role' ? 'roles' : 'clusterroles'), e.roleName);
    if (e instanceof StatusError) throw e;
    throw internalError(e);
  }
  const owner = await ctx.resolver.rulesFor(ctx.user, ctx.namespace);
  const msg = confirmNoEscalation(ctx.user, owner, rules);
  if (msg) throw forbiddenOn(resource, obj.metadata.name ?? '', msg);
}
