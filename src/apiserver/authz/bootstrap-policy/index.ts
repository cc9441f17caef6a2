/** Entry point of the bootstrap RBAC policy (upstream plugin/pkg/auth/authorizer/rbac/bootstrappolicy) and its reconciliation. */
export { bootstrapPolicy, type BootstrapPolicy } from './policy.js';
export { clusterRoles, nodeRules } from './cluster-roles.js';
export { clusterRoleBindings } from './cluster-role-bindings.js';
export { controllerRoles, controllerRoleBindings, CONTROLLER_ROLE_PREFIX } from './controller-roles.js';
export { namespaceRoles, namespaceRoleBindings } from './namespace-policy.js';
export { reconcileBootstrapPolicy, type ReconcileReport } from './reconcile.js';
export { AUTOUPDATE_ANNOTATION, BOOTSTRAPPING_LABEL } from './metadata.js';
export type { PolicyRule } from './rule.js';
