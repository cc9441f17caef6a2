/**
 * The parts of flowcontrol.apiserver.k8s.io/v1 FlowSchema and PriorityLevelConfiguration
 * that API Priority and Fairness reads (upstream k8s.io/api/flowcontrol/v1 types.go).
 * The stored objects are the resource definitions' (src/api/flowcontrol/v1/); these
 * interfaces type their specs for the classifier and the dispatcher.
 */

/** `*` in verbs, apiGroups, resources, namespaces, nonResourceURLs and subject names. */
export const ALL = '*';

export interface UserSubject { name: string }
export interface GroupSubject { name: string }
export interface ServiceAccountSubject { namespace: string; name: string }
/** A Subject: exactly one of user, group, serviceAccount, as `kind` says. */
export interface Subject { kind: 'User' | 'Group' | 'ServiceAccount'; user?: UserSubject; group?: GroupSubject; serviceAccount?: ServiceAccountSubject }

export interface ResourcePolicyRule { verbs: string[]; apiGroups: string[]; resources: string[]; clusterScope?: boolean; namespaces?: string[] }
export interface NonResourcePolicyRule { verbs: string[]; nonResourceURLs: string[] }
export interface PolicyRulesWithSubjects { subjects: Subject[]; resourceRules?: ResourcePolicyRule[]; nonResourceRules?: NonResourcePolicyRule[] }

export type FlowDistinguisherMethodType = 'ByUser' | 'ByNamespace';

export interface FlowSchemaSpec {
  priorityLevelConfiguration: { name: string };
  matchingPrecedence?: number;
  distinguisherMethod?: { type: FlowDistinguisherMethodType };
  rules?: PolicyRulesWithSubjects[];
}

export interface QueuingConfiguration { queues?: number; handSize?: number; queueLengthLimit?: number }
export interface LimitResponse { type: 'Queue' | 'Reject'; queuing?: QueuingConfiguration }
export interface LimitedPriorityLevelConfiguration { nominalConcurrencyShares?: number; lendablePercent?: number; borrowingLimitPercent?: number; limitResponse?: LimitResponse }
export interface ExemptPriorityLevelConfiguration { nominalConcurrencyShares?: number; lendablePercent?: number }
export interface PriorityLevelConfigurationSpec { type: 'Exempt' | 'Limited'; limited?: LimitedPriorityLevelConfiguration; exempt?: ExemptPriorityLevelConfiguration }

/** The objects as APF reads them: name, uid and spec. */
export interface FlowSchemaObject { apiVersion?: string; kind?: string; metadata: { name?: string; uid?: string; generation?: number; annotations?: Record<string, string>; [k: string]: unknown }; spec: FlowSchemaSpec }
export interface PriorityLevelConfigurationObject { apiVersion?: string; kind?: string; metadata: { name?: string; uid?: string; generation?: number; annotations?: Record<string, string>; [k: string]: unknown }; spec: PriorityLevelConfigurationSpec }

/** Upstream's names of the mandatory objects. */
export const EXEMPT = 'exempt';
export const CATCH_ALL = 'catch-all';
