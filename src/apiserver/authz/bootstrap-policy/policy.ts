/**
 * The whole bootstrap RBAC policy the apiserver reconciles at start (upstream
 * pkg/registry/rbac/rest/storage_rbac.go PolicyData: ClusterRoles() + ControllerRoles(),
 * ClusterRoleBindings() + ControllerRoleBindings(), NamespaceRoles(), NamespaceRoleBindings()).
 */
import { clusterRoleBindings } from './cluster-role-bindings.js';
import { clusterRoles } from './cluster-roles.js';
import { controllerRoleBindings, controllerRoles } from './controller-roles.js';
import type { PolicyClusterRole, PolicyClusterRoleBinding, PolicyRole, PolicyRoleBinding } from './metadata.js';
import { namespaceRoleBindings, namespaceRoles } from './namespace-policy.js';

export interface BootstrapPolicy {
  clusterRoles: PolicyClusterRole[];
  clusterRoleBindings: PolicyClusterRoleBinding[];
  roles: PolicyRole[];
  roleBindings: PolicyRoleBinding[];
}

/** Fresh copies of every bootstrap object (callers may mutate them). */
export function bootstrapPolicy(): BootstrapPolicy {
  return {
    clusterRoles: [...clusterRoles(), ...controllerRoles()],
    clusterRoleBindings: [...clusterRoleBindings(), ...controllerRoleBindings()],
    roles: namespaceRoles(),
    roleBindings: namespaceRoleBindings(),
  };
}
