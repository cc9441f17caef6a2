/** ClusterRoleBinding (rbac.authorization.k8s.io/v1): grants a role to subjects; roleRef is immutable. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { clusterRoleBindingPrinter } from '../../printers/rbac-printers.js';
import { isPathSegmentName, validateBinding, validateBindingUpdate } from './rbac-validation.js';

/** rbac.authorization.k8s.io/v1 ClusterRoleBinding as the code here reads it (the full shape is the wire contract's). */
export type ClusterRoleBinding = KubeObject & Record<string, any>;

export const clusterRoleBindingDefinition = defineResource<ClusterRoleBinding>({
  group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false,
  printer: clusterRoleBindingPrinter,
  nameRule: isPathSegmentName,
  validate: (b) => validateBinding(b as Parameters<typeof validateBinding>[0], false),
  validateUpdate: validateBindingUpdate,
});
