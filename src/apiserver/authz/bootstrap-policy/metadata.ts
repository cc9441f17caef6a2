/**
 * Object shapes of the bootstrap policy (upstream bootstrappolicy addDefaultMetadata):
 * every object carries label `kubernetes.io/bootstrapping: rbac-defaults` and annotation
 * `rbac.authorization.kubernetes.io/autoupdate: "true"`.
 */
import type { PolicyRule } from './rule.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
/** Label on every bootstrap object. */
export const BOOTSTRAPPING_LABEL = 'kubernetes.io/bootstrapping';
export const BOOTSTRAPPING_VALUE = 'rbac-defaults';
/** Annotation that lets the apiserver reconcile the object at start ("false" opts out). */
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

export interface PolicyMetadata { name: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> }
/** rbac/v1 Subject. */
export interface Subject { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; apiGroup?: string; namespace?: string }
export interface RoleRef { apiGroup: string; kind: 'ClusterRole' | 'Role'; name: string }
export interface AggregationRule { clusterRoleSelectors: Array<{ matchLabels?: Record<string, string> }> }

export interface PolicyClusterRole { apiVersion: string; kind: 'ClusterRole'; metadata: PolicyMetadata; rules: PolicyRule[]; aggregationRule?: AggregationRule }
export interface PolicyRole { apiVersion: string; kind: 'Role'; metadata: PolicyMetadata; rules: PolicyRule[] }
export interface PolicyClusterRoleBinding { apiVersion: string; kind: 'ClusterRoleBinding'; metadata: PolicyMetadata; roleRef: RoleRef; subjects?: Subject[] }
export interface PolicyRoleBinding { apiVersion: string; kind: 'RoleBinding'; metadata: PolicyMetadata; roleRef: RoleRef; subjects?: Subject[] }

/** Default metadata plus `extraLabels` (e.g. aggregate-to-admin). */
export function policyMetadata(name: string, namespace?: string, extraLabels: Record<string, string> = {}): PolicyMetadata {
  return {
    name, ...(namespace ? { namespace } : {}),
    labels: { [BOOTSTRAPPING_LABEL]: BOOTSTRAPPING_VALUE, ...extraLabels },
    annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
  };
}

export function clusterRole(name: string, rules: PolicyRule[], opts: { labels?: Record<string, string>; aggregateFrom?: string } = {}): PolicyClusterRole {
  const role: PolicyClusterRole = { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: policyMetadata(name, undefined, opts.labels), rules };
  if (opts.aggregateFrom) role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [opts.aggregateFrom]: 'true' } }] };
  return role;
}

export function role(namespace: string, name: string, rules: PolicyRule[]): PolicyRole {
  return { apiVersion: RBAC_API_VERSION, kind: 'Role', metadata: policyMetadata(name, namespace), rules };
}

/** Subject builders (upstream rbacv1helpers .Users/.Groups/.SAs). */
export const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
export const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
export const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

/** ClusterRoleBinding named after its ClusterRole (upstream NewClusterBinding). */
export function clusterRoleBinding(roleName: string, subjects: Subject[]): PolicyClusterRoleBinding {
  const b: PolicyClusterRoleBinding = { apiVersion: RBAC_API_VERSION, kind: 'ClusterRoleBinding', metadata: policyMetadata(roleName), roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: roleName } };
  if (subjects.length) b.subjects = subjects;
  return b;
}

/** RoleBinding to the Role `roleName` in `namespace`; named `name` (default: the role's name). */
export function roleBinding(namespace: string, roleName: string, subjects: Subject[], name = roleName): PolicyRoleBinding {
  return { apiVersion: RBAC_API_VERSION, kind: 'RoleBinding', metadata: policyMetadata(name, namespace), roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: roleName }, subjects };
}
