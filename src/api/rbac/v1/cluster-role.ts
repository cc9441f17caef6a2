/** ClusterRole (rbac.authorization.k8s.io/v1; pkg/registry/rbac): rules of verbs over API groups and resources (aggregationRule gathers labelled ClusterRoles). */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { clusterRolePrinter } from '../../printers/rbac-printers.js';
import { isPathSegmentName, validatePolicyRules } from './rbac-validation.js';

/** rbac.authorization.k8s.io/v1 ClusterRole as the code here reads it (the full shape is the wire contract's). */
export type ClusterRole = KubeObject & Record<string, any>;

export const clusterRoleDefinition = defineResource<ClusterRole>({
  group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false,
  printer: clusterRolePrinter,
  nameRule: isPathSegmentName,
  validate: (r) => validatePolicyRules(r.rules),
});
