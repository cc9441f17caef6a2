/**
 * The apiserver's admission chain in upstream's order (the subset k8ts has):
 * NamespaceLifecycle, LimitRanger, ServiceAccount, NodeRestriction (with the Node
 * authorizer), PodSecurity (when the lookups list pods), DefaultTolerationSeconds, Priority,
 * DefaultStorageClass (with `objects`), StorageObjectInUseProtection, CertificateApproval, CertificateSigning (with an authorizer), CertificateSubjectRestriction, the RBAC escalation checks (with RBAC;
 * upstream runs them in the RBAC kinds' storage), then — with `objects` — MutatingAdmissionWebhook,
 * ValidatingAdmissionPolicy and ValidatingAdmissionWebhook, and ResourceQuota (last, as upstream).
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
import { defaultStorageClassAdmission } from './default-storage-class.js';
import { storageObjectInUseProtection } from './storage-object-in-use-protection.js';
import { certificateApproval } from './certificates/certificate-approval.js';
import { certificateSigning } from './certificates/certificate-signing.js';
import { certificateSubjectRestriction } from './certificates/certificate-subject-restriction.js';
import type { EscalationRuleResolver } from '../authz/rbac/escalation.js';
import type { AdmissionObjects } from './admission-objects.js';
import { storedWebhookSource } from './webhook/configuration-source.js';
import { mutatingAdmissionWebhook } from './webhook/mutating.js';
import { validatingAdmissionWebhook } from './webhook/validating.js';
import type { WebhookPluginDeps } from './webhook/relevant-webhooks.js';
import { storedPolicySource } from './validating-admission-policy/policy-source.js';
import { validatingAdmissionPolicy } from './validating-admission-policy/plugin.js';

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
  /** Stored admission configuration (webhook configurations, policies, params); absent: no webhooks and no policies. */
  objects?: AdmissionObjects;
  /** Where the configurable plugins report what they ignore (a webhook failing open); default dropped. */
  log?: (message: string) => void;
}

/** A Service's clusterIP for webhook calls (upstream's ClusterIP service resolver); undefined without one. */
export function clusterIPResolver(objects: AdmissionObjects): WebhookPluginDeps['resolveService'] {
  return async (namespace, name) => {
    const svc = await objects.get('', 'v1', 'services', name, namespace) as { spec?: { clusterIP?: string } } | undefined;
    const ip = svc?.spec?.clusterIP;
    return ip && ip !== 'None' ? ip : undefined;
  };
}

export function defaultAdmissionChain(lookups: AdmissionLookups): AdmissionChain {
  const objects = lookups.objects;
  const webhookDeps = (kind: 'mutating' | 'validating'): WebhookPluginDeps => ({
    source: storedWebhookSource(objects!, kind), namespace: lookups.namespace, resolveService: clusterIPResolver(objects!), log: lookups.log,
  });
  return new AdmissionChain([
    namespaceLifecycle(lookups.namespace), limitRanger(lookups.limitRanges), serviceAccountAdmission(lookups.serviceAccount?.bind(lookups)),
    ...(lookups.nodeRestriction ? [new NodeRestriction(lookups.nodeRestriction)] : []),
    ...(lookups.pods ? [podSecurityAdmission({ namespace: lookups.namespace, pods: lookups.pods.bind(lookups) })] : []),
    defaultTolerationSeconds(), priorityAdmission(lookups.priorityClass),
    ...(objects ? [defaultStorageClassAdmission(() => objects.list('storage.k8s.io', 'v1', 'storageclasses'))] : []), storageObjectInUseProtection(),
    ...(lookups.authorizer ? [certificateApproval(lookups.authorizer), certificateSigning(lookups.authorizer)] : []), certificateSubjectRestriction(),
    ...(lookups.rbacEscalation ? [rbacEscalation(lookups.rbacEscalation.authorizer, lookups.rbacEscalation.resolver)] : []),
    ...(objects ? [
      mutatingAdmissionWebhook(webhookDeps('mutating')),
      validatingAdmissionPolicy({ source: storedPolicySource(objects), namespace: lookups.namespace, objects, log: lookups.log }),
      validatingAdmissionWebhook(webhookDeps('validating')),
    ] : []),
    ...(lookups.quotas ? [resourceQuotaAdmission(lookups.quotas)] : []),
  ]);
}
