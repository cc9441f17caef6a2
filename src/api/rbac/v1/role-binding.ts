/** RoleBinding (rbac.authorization.k8s.io/v1): grants a role to subjects; roleRef is immutable. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { roleBindingPrinter } from '../../printers/rbac-printers.js';
import { isPathSegmentName, validateBinding, validateBindingUpdate } from './rbac-validation.js';

/** rbac.authorization.k8s.io/v1 RoleBinding as the code here reads it (the full shape is the wire contract's). */
export type RoleBinding = KubeObject & Record<string, any>;

export const roleBindingDefinition = defineResource<RoleBinding>({
  group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true,
  printer: roleBindingPrinter,
  nameRule: isPathSegmentName,
  validate: (b) => validateBinding(b as Parameters<typeof validateBinding>[0], true),
  validateUpdate: validateBindingUpdate,
});
