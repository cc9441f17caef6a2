/**
 * The RBAC rule resolver (upstream pkg/registry/rbac/validation DefaultRuleResolver):
 * walks the rules granted to a user — every ClusterRoleBinding, then the RoleBindings of
 * the namespace — naming the binding each rule comes from, and collects errors of
 * bindings whose role could not be read.
 */
import type { UserInfo } from '../../registry/rest.js';
import { serviceAccountUsername } from '../../authn/service-account-token.js';
import type { PolicyRule } from './policy-rule.js';
import type { RbacSource } from './rbac-source.js';

/** rbac/v1 Subject. */
export interface Subject { kind: string; name: string; namespace?: string; apiGroup?: string }
/** rbac/v1 RoleRef. */
export interface RoleRef { apiGroup?: string; kind: string; name: string }

/** The rules a user holds plus the resolution errors (upstream returns both: the rules may be incomplete). */
export interface ResolvedRules { rules: PolicyRule[]; errors: string[] }

/**
 * Called per rule with the binding that granted it (`source`, upstream's describer
 * String(): `ClusterRoleBinding "b" of ClusterRole "r" to User "u"`), or per error with
 * `error` set. Return false to stop the walk.
 */
export type RuleVisitor = (source: string | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

/** How upstream utilerrors.NewAggregate prints: one message alone, several as `[a, b]`, duplicates once. */
export function aggregateMessage(errors: string[]): string {
  const uniq = [...new Set(errors)];
  return uniq.length === 1 ? uniq[0] : `[${uniq.join(', ')}]`;
}

/** describeSubject: `User "u"`, `Group "g"`, `ServiceAccount "name/namespace"` (namespace defaults to the binding's). */
export function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

/** appliesToUser: User by name, Group by membership, ServiceAccount by its username (namespace defaults to `namespace`, none → no match). */
export function appliesToUser(user: UserInfo, s: Subject, namespace: string): boolean {
  switch (s.kind) {
    case 'User': return user.username === s.name;
    case 'Group': return (user.groups ?? []).includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      return ns !== '' && user.username === serviceAccountUsername(ns, s.name);
    }
    default: return false;
  }
}

const errMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A roleRef whose Role or ClusterRole does not exist; the message is the lister's NotFound text (`clusterrole.rbac.authorization.k8s.io "x" not found`). */
export class RoleNotFoundError extends Error {
  constructor(readonly kind: 'Role' | 'ClusterRole', readonly roleName: string) {
    super(`${kind.toLowerCase()}.rbac.authorization.k8s.io ${JSON.stringify(roleName)} not found`);
    this.name = 'RoleNotFoundError';
  }
}

/** Resolves users' rules from a {@link RbacSource}. */
export class RbacRuleResolver {
  /** Per (namespace, user): the visits of the last resolution and the source generation they were made at. */
  private readonly memo = new Map<string, { generation: number; visits: Array<[string | undefined, PolicyRule | undefined, string | undefined]> }>();

  constructor(private readonly source: RbacSource) {}

  /**
   * GetRoleReferenceRules: the rules of the Role (in `bindingNamespace`) or ClusterRole a
   * roleRef names. Throws {@link RoleNotFoundError} when missing, `unsupported role reference kind: "K"` for other kinds.
   */
  async roleReferenceRules(ref: RoleRef, bindingNamespace: string): Promise<PolicyRule[]> {
    if (ref.kind === 'Role') {
      const role = await this.source.role(bindingNamespace, ref.name);
      if (!role) throw new RoleNotFoundError('Role', ref.name);
      return role.rules ?? [];
    }
    if (ref.kind === 'ClusterRole') {
      const role = await this.source.clusterRole(ref.name);
      if (!role) throw new RoleNotFoundError('ClusterRole', ref.name);
      return role.rules ?? [];
    }
    throw new Error(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
  }

  /**
   * VisitRulesFor: ClusterRoleBindings first, then (when `namespace` is set) that
   * namespace's RoleBindings, in list order; the first applying subject names the
   * source. With a source generation, a user's visits are resolved once per generation
   * and replayed (at most 10,000 users × namespaces kept; then the memo starts over).
   */
  async visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): Promise<void> {
    const generation = this.source.generation?.();
    if (generation === undefined) return this.resolve(user, namespace, visit);
    const key = JSON.stringify([namespace, user.username, [...(user.groups ?? [])].sort()]);
    let entry = this.memo.get(key);
    if (!entry || entry.generation !== generation) {
      const visits: Array<[string | undefined, PolicyRule | undefined, string | undefined]> = [];
      await this.resolve(user, namespace, (s, r, e) => { visits.push([s, r, e]); return true; });
      if (this.memo.size >= 10_000) this.memo.clear();
      entry = { generation, visits };
      this.memo.set(key, entry);
    }
    for (const [s, r, e] of entry.visits) if (!visit(s, r, e)) return;
  }

  /** The uncached walk of {@link visitRulesFor}. */
  private async resolve(user: UserInfo, namespace: string, visit: RuleVisitor): Promise<void> {
    let crbs;
    try { crbs = await this.source.clusterRoleBindings(); } catch (e) { if (!visit(undefined, undefined, errMessage(e))) return; }
    for (const b of crbs ?? []) {
      const subject = ((b.subjects ?? []) as Subject[]).find((s) => appliesToUser(user, s, ''));
      if (!subject) continue;
      let rules: PolicyRule[];
      try { rules = await this.roleReferenceRules(b.roleRef, ''); } catch (e) { if (!visit(undefined, undefined, errMessage(e))) return; continue; }
      const src = `ClusterRoleBinding ${JSON.stringify(b.metadata.name)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(subject, '')}`;
      for (const r of rules) if (!visit(src, r, undefined)) return;
    }
    if (!namespace) return;
    let rbs;
    try { rbs = await this.source.roleBindings(namespace); } catch (e) { visit(undefined, undefined, errMessage(e)); return; }
    for (const b of rbs) {
      const subject = ((b.subjects ?? []) as Subject[]).find((s) => appliesToUser(user, s, namespace));
      if (!subject) continue;
      let rules: PolicyRule[];
      try { rules = await this.roleReferenceRules(b.roleRef, namespace); } catch (e) { if (!visit(undefined, undefined, errMessage(e))) return; continue; }
      const ns = b.metadata.namespace ?? namespace;
      const src = `RoleBinding ${JSON.stringify(`${b.metadata.name}/${ns}`)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(subject, ns)}`;
      for (const r of rules) if (!visit(src, r, undefined)) return;
    }
  }

  /** RulesFor: every rule the user holds in `namespace` ('' = cluster-wide bindings only) and the resolution errors. */
  async rulesFor(user: UserInfo, namespace: string): Promise<ResolvedRules> {
    const out: ResolvedRules = { rules: [], errors: [] };
    await this.visitRulesFor(user, namespace, (_s, rule, err) => {
      if (rule) out.rules.push(rule);
      if (err) out.errors.push(err);
      return true;
    });
    return out;
  }
}
