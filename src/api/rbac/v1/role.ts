/** Role (rbac.authorization.k8s.io/v1; pkg/registry/rbac): rules of verbs over API groups and resources. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { rolePrinter } from '../../printers/rbac-printers.js';
import { isPathSegmentName, validatePolicyRules } from './rbac-validation.js';

/** rbac.authorization.k8s.io/v1 Role as the code here reads it (the full shape is the wire contract's). */
export type Role = KubeObject & Record<string, any>;

export const roleDefinition = defineResource<Role>({
  group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true,
  printer: rolePrinter,
  nameRule: isPathSegmentName,
  validate: (r) => validatePolicyRules(r.rules, true),
});
