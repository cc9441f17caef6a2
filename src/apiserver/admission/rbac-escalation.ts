/**
 * RBAC escalation prevention on writes of Roles, ClusterRoles, RoleBindings and
 * ClusterRoleBindings (upstream pkg/registry/rbac/{role,clusterrole,rolebinding,
 * clusterrolebinding}/policybased): nobody grants what they do not hold, unless allowed
 * `escalate` (roles) or `bind` (bindings) or in system:masters (authz/rbac/escalation.ts
 * words the 403s). Runs in the validating step of creates and updates.
 */
import type { Authorizer } from '../authz/authorizer.js';
import { checkBindingWrite, checkRoleWrite, RBAC_GROUP, type EscalationRuleResolver } from '../authz/rbac/escalation.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const KINDS: Record<string, 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding'> = {
  roles: 'Role', clusterroles: 'ClusterRole', rolebindings: 'RoleBinding', clusterrolebindings: 'ClusterRoleBinding',
};

/** The plugin over the apiserver's whole `authorizer` and the RBAC rule `resolver`. */
export const rbacEscalation = (authorizer: Authorizer, resolver: EscalationRuleResolver): AdmissionPlugin => ({
  name: 'RBACEscalation',
  async validate(a: AdmissionAttributes) {
    if ((a.operation !== 'CREATE' && a.operation !== 'UPDATE') || a.subresource || a.resource.group !== RBAC_GROUP || !a.object) return;
    const kind = KINDS[a.resource.plural];
    if (!kind) return;
    const ctx = { user: a.user, namespace: a.namespace, authorizer, resolver };
    if (kind === 'Role' || kind === 'ClusterRole') await checkRoleWrite(ctx, kind, a.object, a.oldObject);
    else await checkBindingWrite(ctx, kind, a.object, a.oldObject);
  },
});
