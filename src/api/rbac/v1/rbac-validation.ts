/** RBAC validation (upstream pkg/apis/rbac/validation): names, policy rules, role references and subjects. */
import { type FieldError, GoLiteral, invalidValue, notSupported, required } from '../../../machinery/field-errors.js';

/** RBAC object names may be any path segment: not `.` or `..`, no `/` or `%` (ValidateRBACName). */
export function isPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  if (name.includes('/')) return [`may not contain '/'`];
  if (name.includes('%')) return [`may not contain '%'`];
  return [];
}

interface PolicyRule { verbs?: string[]; apiGroups?: string[]; resources?: string[]; nonResourceURLs?: string[] }

/**
 * Each rule needs verbs, and either resources with apiGroups or nonResourceURLs;
 * namespaced rules (Role) may not name non-resource URLs.
 */
export function validatePolicyRules(rules: PolicyRule[] | undefined, namespaced = false): FieldError[] {
  return (rules ?? []).flatMap((r, i) => {
    const errs: FieldError[] = [];
    if (!(r.verbs ?? []).length) errs.push(required(`rules[${i}].verbs`, 'verbs must contain at least one value'));
    if (namespaced && (r.nonResourceURLs ?? []).length) { errs.push(invalidValue(`rules[${i}].nonResourceURLs`, r.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs')); return errs; }
    if ((r.nonResourceURLs ?? []).length === 0) {
      if ((r.apiGroups ?? []).length === 0) errs.push(required(`rules[${i}].apiGroups`));
      if ((r.resources ?? []).length === 0) errs.push(required(`rules[${i}].resources`));
    }
    return errs;
  });
}

/** A roleRef as Go prints the struct in field errors. */
export const roleRefLiteral = (r: { apiGroup?: string; kind?: string; name?: string } | undefined): GoLiteral =>
  new GoLiteral(`rbac.RoleRef{APIGroup:${JSON.stringify(r?.apiGroup ?? '')}, Kind:${JSON.stringify(r?.kind ?? '')}, Name:${JSON.stringify(r?.name ?? '')}}`);

/** A binding's roleRef may not change (ValidateRoleBindingUpdate). */
export const validateBindingUpdate = (b: Record<string, unknown>, old: Record<string, unknown>): FieldError[] =>
  (JSON.stringify(b.roleRef) !== JSON.stringify(old.roleRef) ? [invalidValue('roleRef', roleRefLiteral(b.roleRef as BindingLike['roleRef']), 'cannot change roleRef')] : []);

interface BindingLike { roleRef?: { apiGroup?: string; kind?: string; name?: string }; subjects?: Array<{ kind?: string; name?: string }> }

/** roleRef to a Role (namespaced bindings only) or ClusterRole; subjects of kind User, Group or ServiceAccount. */
export function validateBinding(b: BindingLike, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (b.roleRef?.apiGroup !== 'rbac.authorization.k8s.io') errs.push(notSupported('roleRef.apiGroup', b.roleRef?.apiGroup ?? '', ['rbac.authorization.k8s.io']));
  if (!kinds.includes(b.roleRef?.kind ?? '')) errs.push(notSupported('roleRef.kind', b.roleRef?.kind ?? '', kinds));
  if (!b.roleRef?.name) errs.push(required('roleRef.name'));
  (b.subjects ?? []).forEach((s, i) => {
    if (!['User', 'Group', 'ServiceAccount'].includes(s.kind ?? '')) errs.push(notSupported(`subjects[${i}].kind`, s.kind ?? '', ['Group', 'ServiceAccount', 'User']));
    if (!s.name) errs.push(required(`subjects[${i}].name`));
    if (s.kind === 'ServiceAccount' && !namespaced && !(s as { namespace?: string }).namespace) errs.push(required(`subjects[${i}].namespace`));
  });
  return errs;
}
