/**
 * Where the RBAC authorizer reads roles and bindings from (upstream's RoleGetter,
 * RoleBindingLister, ClusterRoleGetter, ClusterRoleBindingLister). A caller backs it by
 * informer caches or storage; {@link staticRbacSource} serves fixed lists (tests,
 * bootstrap). Getters answer `undefined` when the object does not exist; any thrown
 * error is reported by its message as a resolution error.
 */
import type { ClusterRole } from '../../../api/rbac/v1/cluster-role.js';
import type { ClusterRoleBinding } from '../../../api/rbac/v1/cluster-role-binding.js';
import type { Role } from '../../../api/rbac/v1/role.js';
import type { RoleBinding } from '../../../api/rbac/v1/role-binding.js';

type MaybePromise<T> = T | Promise<T>;

/** Read access to the four RBAC kinds. */
export interface RbacSource {
  clusterRole(name: string): MaybePromise<ClusterRole | undefined>;
  role(namespace: string, name: string): MaybePromise<Role | undefined>;
  clusterRoleBindings(): MaybePromise<ClusterRoleBinding[]>;
  roleBindings(namespace: string): MaybePromise<RoleBinding[]>;
  /**
   * A number that changes whenever any of the four kinds changes; when present, the rule
   * resolver keeps each user's resolved rules until it moves (an index instead of a scan
   * of every binding per request).
   */
  generation?(): number;
}

/** Fixed lists of RBAC objects as a {@link RbacSource}; the arrays are read live, so callers may mutate them. */
export interface StaticRbacObjects { clusterRoles?: ClusterRole[]; roles?: Role[]; clusterRoleBindings?: ClusterRoleBinding[]; roleBindings?: RoleBinding[] }

/** A {@link RbacSource} over in-memory lists. */
export function staticRbacSource(objs: StaticRbacObjects): RbacSource {
  return {
    clusterRole: (name) => (objs.clusterRoles ?? []).find((r) => r.metadata.name === name),
    role: (ns, name) => (objs.roles ?? []).find((r) => r.metadata.namespace === ns && r.metadata.name === name),
    clusterRoleBindings: () => objs.clusterRoleBindings ?? [],
    roleBindings: (ns) => (objs.roleBindings ?? []).filter((b) => b.metadata.namespace === ns),
  };
}
