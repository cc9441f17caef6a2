/**
 * The configuration objects an apiserver starts with (upstream k8s.io/apiserver/pkg/apis/
 * flowcontrol/bootstrap/default.go, v1.32): the mandatory FlowSchemas and priority levels
 * `exempt` and `catch-all`, which always exist, and the suggested ones, created when
 * missing and kept up to date while annotated `apf.kubernetes.io/autoupdate-spec: "true"`
 * (ensure-bootstrap.ts). Specs are written in their defaulted form, as upstream's are.
 *
 * k8ts' components match the suggested schemas as upstream's do: the scheduler is
 * `system:kube-scheduler`, the controller manager's controllers are ServiceAccounts in
 * kube-system, kubelets are `system:node:<name>` in `system:nodes`, and the admin
 * certificate is in `system:masters` (exempt).
 */
import {
  ALL, CATCH_ALL, EXEMPT, type FlowDistinguisherMethodType, type FlowSchemaObject, type NonResourcePolicyRule,
  type PolicyRulesWithSubjects, type PriorityLevelConfigurationObject, type ResourcePolicyRule, type Subject,
} from './flowcontrol-types.js';

const API_VERSION = 'flowcontrol.apiserver.k8s.io/v1';

const groups = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'Group', group: { name } }));
const users = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'User', user: { name } }));
const kubeSystemServiceAccounts = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'ServiceAccount', serviceAccount: { namespace: 'kube-system', name } }));
const resourceRule = (verbs: string[], apiGroups: string[], resources: string[], namespaces: string[], clusterScope: boolean): ResourcePolicyRule =>
  ({ verbs, apiGroups, resources, clusterScope, namespaces });
const everyResource = (): ResourcePolicyRule[] => [resourceRule([ALL], [ALL], [ALL], [ALL], true)];
const everyNonResource = (): NonResourcePolicyRule[] => [{ verbs: [ALL], nonResourceURLs: [ALL] }];
/** Rules matching every request of `subjects`. */
const everything = (subjects: Subject[]): PolicyRulesWithSubjects => ({ subjects, resourceRules: everyResource(), nonResourceRules: everyNonResource() });

function flowSchema(name: string, level: string, matchingPrecedence: number, distinguisher: FlowDistinguisherMethodType | undefined, ...rules: PolicyRulesWithSubjects[]): FlowSchemaObject {
  return {
    apiVersion: API_VERSION, kind: 'FlowSchema', metadata: { name },
    spec: { priorityLevelConfiguration: { name: level }, matchingPrecedence, ...(distinguisher ? { distinguisherMethod: { type: distinguisher } } : {}), rules },
  };
}

function queuingLevel(name: string, nominalConcurrencyShares: number, lendablePercent: number, queues: number, handSize: number, queueLengthLimit: number): PriorityLevelConfigurationObject {
  return {
    apiVersion: API_VERSION, kind: 'PriorityLevelConfiguration', metadata: { name },
    spec: { type: 'Limited', limited: { nominalConcurrencyShares, lendablePercent, limitResponse: { type: 'Queue', queuing: { queues, handSize, queueLengthLimit } } } },
  };
}

/** The mandatory priority levels: `exempt` (never queued) and `catch-all` (5 shares, Reject). */
export function mandatoryPriorityLevels(): PriorityLevelConfigurationObject[] {
  return [
    { apiVersion: API_VERSION, kind: 'PriorityLevelConfiguration', metadata: { name: EXEMPT }, spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } } },
    { apiVersion: API_VERSION, kind: 'PriorityLevelConfiguration', metadata: { name: CATCH_ALL }, spec: { type: 'Limited', limited: { nominalConcurrencyShares: 5, lendablePercent: 0, limitResponse: { type: 'Reject' } } } },
  ];
}

/** The mandatory FlowSchemas: `exempt` (system:masters, precedence 1) and `catch-all` (everyone, 10000, by user). */
export function mandatoryFlowSchemas(): FlowSchemaObject[] {
  return [
    flowSchema(EXEMPT, EXEMPT, 1, undefined, everything(groups('system:masters'))),
    flowSchema(CATCH_ALL, CATCH_ALL, 10000, 'ByUser', everything(groups('system:unauthenticated', 'system:authenticated'))),
  ];
}

/** The suggested priority levels with upstream's shares, lendable percentages and queuing. */
export function suggestedPriorityLevels(): PriorityLevelConfigurationObject[] {
  return [
    queuingLevel('system', 30, 33, 64, 6, 50),
    queuingLevel('node-high', 40, 25, 64, 6, 50),
    queuingLevel('leader-election', 10, 0, 16, 4, 50),
    queuingLevel('workload-high', 40, 50, 128, 6, 50),
    queuingLevel('workload-low', 100, 90, 128, 6, 50),
    queuingLevel('global-default', 20, 50, 128, 6, 50),
  ];
}

/** The suggested FlowSchemas. */
export function suggestedFlowSchemas(): FlowSchemaObject[] {
  const leases = (): ResourcePolicyRule => resourceRule(['get', 'create', 'update'], ['coordination.k8s.io'], ['leases'], [ALL], false);
  return [
    flowSchema('system-nodes', 'system', 500, 'ByUser', everything(groups('system:nodes'))),
    flowSchema('system-node-high', 'node-high', 400, 'ByUser', {
      subjects: groups('system:nodes'),
      resourceRules: [
        resourceRule([ALL], [''], ['nodes', 'nodes/status'], [ALL], true),
        resourceRule([ALL], ['coordination.k8s.io'], ['leases'], [ALL], false),
      ],
    }),
    flowSchema('probes', EXEMPT, 2, undefined, {
      subjects: groups('system:unauthenticated', 'system:authenticated'),
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }],
    }),
    flowSchema('system-leader-election', 'leader-election', 100, 'ByUser', {
      subjects: [...users('system:kube-controller-manager', 'system:kube-scheduler'), ...kubeSystemServiceAccounts(ALL)],
      resourceRules: [leases()],
    }),
    flowSchema('endpoint-controller', 'workload-high', 150, 'ByUser', {
      subjects: [...users('system:kube-controller-manager'), ...kubeSystemServiceAccounts('endpoint-controller', 'endpointslicemirroring-controller')],
      resourceRules: [resourceRule(['get', 'create', 'update'], [''], ['endpoints'], [ALL], false)],
    }),
    // Leader election through Endpoints and ConfigMaps is still matched here, as upstream's v1.32 does.
    flowSchema('workload-leader-election', 'leader-election', 200, 'ByUser', {
      subjects: kubeSystemServiceAccounts(ALL),
      resourceRules: [resourceRule(['get', 'create', 'update'], [''], ['endpoints', 'configmaps'], [ALL], false), leases()],
    }),
    flowSchema('kube-controller-manager', 'workload-high', 800, 'ByNamespace', everything(users('system:kube-controller-manager'))),
    flowSchema('kube-scheduler', 'workload-high', 800, 'ByNamespace', everything(users('system:kube-scheduler'))),
    flowSchema('kube-system-service-accounts', 'workload-high', 900, 'ByNamespace', everything(kubeSystemServiceAccounts(ALL))),
    flowSchema('service-accounts', 'workload-low', 9000, 'ByUser', everything(groups('system:serviceaccounts'))),
    flowSchema('global-default', 'global-default', 9900, 'ByUser', everything(groups('system:unauthenticated', 'system:authenticated'))),
  ];
}
