/**
 * The apiserver's admission chain in upstream's order (the subset k8ts has):
 * NamespaceLifecycle, LimitRanger, ServiceAccount, NodeRestriction (with the Node
 * authorizer), PodSecurity (when the lookups list pods), DefaultTolerationSeconds, Priority,
 * CertificateApproval, CertificateSigning (with an authorizer), CertificateSubjectRestriction, the RBAC escalation checks (with RBAC;
 * upstream runs them in the RBAC kinds' storage), ResourceQuota (last, as upstream).
 */
import type { KubeObject } from '../../api/object.js';
import { AdmissionChain } from './chain.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { limitRanger, type LimitRange } from './limit-ranger.js';
import { resourceQuotaAdmission, type QuotaAccess } from './resource-quota.js';
import { priorityAdmission } from './priority.js';
import { serviceAccountAdmission } from './service-account.js';
import { NodeRestriction, type NodeRestrictionDeps } from './node-restriction.js';
import { rbacEscalation } from './rbac-escalation.js';
import { podSecurityAdmission } from './pod-security/plugin.js';
import type { Authorizer } from '../authz/authorizer.js';
import { certificateApproval } from './certificates/certificate-approval.js';
import { certificateSigning } from './certificates/certificate-signing.js';
import { certificateSubjectRestriction } from './certificates/certificate-subject-restriction.js';
import type { EscalationRuleResolver } from '../authz/rbac/escalation.js';

/** What the plugins read: stored objects by resource (plural) and name, undefined when absent. */
export interface AdmissionLookups {
  namespace(name: string): Promise<KubeObject | undefined>;
  priorityClass(name: string): Promise<KubeObject | undefined>;
  /** ResourceQuota admission's access to quotas; absent: no quota admission. */
  quotas?: QuotaAccess;
  /** The LimitRanges of a namespace (none for ''). */
  limitRanges(namespace: string): Promise<LimitRange[]>;
  /** NodeRestriction's lookups; absent: no NodeRestriction (the Node authorizer is off). */
  nodeRestriction?: NodeRestrictionDeps;
  /** The authorizer CertificateApproval and CertificateSigning ask about signers; absent: those two plugins are off. */
  authorizer?: Authorizer;
  /** RBAC escalation checks on role and binding writes; absent: none (RBAC is off). */
  rbacEscalation?: { authorizer: Authorizer; resolver: EscalationRuleResolver };
  /** A stored ServiceAccount (its automountServiceAccountToken); absent: none known. */
  serviceAccount?(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** The stored pods of a namespace (PodSecurity's dry run when a namespace's enforce label tightens); absent: no PodSecurity. */
  pods?(namespace: string): Promise<KubeObject[]>;
}

export function defaultAdmissionChain(lookups: AdmissionLookups): AdmissionChain {
  return new AdmissionChain([
    namespaceLifecycle(lookups.namespace), limitRanger(lookups.limitRanges), serviceAccountAdmission(lookups.serviceAccount?.bind(lookups)),
    ...(lookups.nodeRestriction ? [new NodeRestriction(lookups.nodeRestriction)] : []),
    ...(lookups.pods ? [podSecurityAdmission({ namespace: lookups.namespace, pods: lookups.pods.bind(lookups) })] : []),
    defaultTolerationSeconds(), priorityAdmission(lookups.priorityClass),
    ...(lookups.authorizer ? [certificateApproval(lookups.authorizer), certificateSigning(lookups.authorizer)] : []), certificateSubjectRestriction(),
    ...(lookups.rbacEscalation ? [rbacEscalation(lookups.rbacEscalation.authorizer, lookups.rbacEscalation.resolver)] : []),
    ...(lookups.quotas ? [resourceQuotaAdmission(lookups.quotas)] : []),
  ]);
}
