import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import type { TablePrinter } from './table.js';
import {
  limitRangePrinter, persistentVolumeClaimPrinter, persistentVolumePrinter, podTemplatePrinter, replicationControllerPrinter, resourceQuotaPrinter,
} from './core-printers.js';
import { controllerRevisionPrinter, daemonSetPrinter, statefulSetPrinter } from './apps-printers.js';
import { cronJobPrinter, jobPrinter } from './batch-printers.js';
import { horizontalPodAutoscalerPrinter } from './autoscaling-printers.js';
import { podDisruptionBudgetPrinter } from './policy-printers.js';
import { clusterRoleBindingPrinter, clusterRolePrinter, roleBindingPrinter, rolePrinter } from './rbac-printers.js';
import { endpointSlicePrinter } from './discovery-printers.js';
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking-printers.js';
import { csiDriverPrinter, csiNodePrinter, csiStorageCapacityPrinter, storageClassPrinter, volumeAttachmentPrinter } from './storage-printers.js';
import { priorityClassPrinter } from './scheduling-printers.js';
import { runtimeClassPrinter } from './node-printers.js';
import { certificateSigningRequestPrinter } from './certificates-printers.js';
import {
  mutatingWebhookConfigurationPrinter, validatingAdmissionPolicyBindingPrinter, validatingAdmissionPolicyPrinter, validatingWebhookConfigurationPrinter,
} from './admissionregistration-printers.js';
import { flowSchemaPrinter, priorityLevelConfigurationPrinter } from './flowcontrol-printers.js';
import { jobDefinition } from '../batch/v1/job.js';
import { storageClassDefinition } from '../storage/v1/storage-class.js';
import { roleBindingDefinition } from '../rbac/v1/role-binding.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2026-01-01T00:00:00Z', ...extra });
const o = (name: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: meta(name, extra), ...fields });

/** Asserts the priority-0 columns, the wide-only columns and the cells of `obj`. */
function check(p: TablePrinter, normal: string[], wide: string[], obj: KubeObject, cells: unknown[]): void {
  assert.deepEqual(p.columns.filter((c) => c.priority === 0).map((c) => c.name), normal);
  assert.deepEqual(p.columns.filter((c) => c.priority === 1).map((c) => c.name), wide);
  assert.deepEqual(p.cells(obj, now), cells);
  assert.equal(p.columns[0].format, 'name');
}
const template = { metadata: { labels: { tier: 'web', app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };

it('core printers', () => {
  check(persistentVolumePrinter, ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age'], ['VolumeMode'],
    o('pv1', { spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Bound' } }),
    ['pv1', '10Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'standard', '<unset>', '', '10m', 'Filesystem']);
  check(persistentVolumeClaimPrinter, ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age'], ['VolumeMode'],
    o('data', { spec: { volumeName: 'pv1', storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } }, status: { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'] } }),
    ['data', 'Bound', 'pv1', '10Gi', 'RWO', 'standard', '<unset>', '10m', '<unset>']);
  assert.deepEqual(persistentVolumeClaimPrinter.cells(o('p', { spec: { storageClassName: 'fast' }, status: { phase: 'Pending' } }, { deletionTimestamp: '2026-01-01T00:09:00Z' }), now),
    ['p', 'Terminating', '', '', '', 'fast', '<unset>', '10m', '<unset>']);
  check(limitRangePrinter, ['Name', 'Created At'], [], o('limits', { spec: { limits: [] } }), ['limits', '2026-01-01T00:00:00Z']);
  check(resourceQuotaPrinter, ['Name', 'Request', 'Limit', 'Age'], [],
    o('quota', { status: { hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '2Gi', 'limits.cpu': '4' }, used: { pods: '3', 'requests.cpu': '500m', 'limits.cpu': '1' } } }),
    ['quota', 'pods: 3/10, requests.cpu: 500m/2', 'limits.cpu: 1/4, limits.memory: 0/2Gi', '10m']);
  check(replicationControllerPrinter, ['Name', 'Desired', 'Current', 'Ready', 'Age'], ['Containers', 'Images', 'Selector'],
    o('rc', { spec: { replicas: 3, selector: { app: 'nginx', tier: 'web' }, template }, status: { replicas: 3, readyReplicas: 2 } }),
    ['rc', 3, 3, 2, '10m', 'nginx,log', 'nginx:1.27,busybox', 'app=nginx,tier=web']);
  check(podTemplatePrinter, ['Name', 'Containers', 'Images', 'Pod Labels'], [], o('pt', { template }), ['pt', 'nginx,log', 'nginx:1.27,busybox', 'app=nginx,tier=web']);
});

it('apps printers', () => {
  check(daemonSetPrinter, ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age'], ['Containers', 'Images', 'Selector'],
    o('fluentd', {
      spec: { selector: { matchLabels: { app: 'fluentd' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'fluentd', image: 'fluentd:v1' }] } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    }),
    ['fluentd', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '10m', 'fluentd', 'fluentd:v1', 'app=fluentd']);
  assert.equal(daemonSetPrinter.cells(o('x', { spec: { template: { spec: {} } } }), now)[6], '<none>');
  check(statefulSetPrinter, ['Name', 'Ready', 'Age'], ['Containers', 'Images'],
    o('web', { spec: { replicas: 3, template }, status: { readyReplicas: 1 } }), ['web', '1/3', '10m', 'nginx,log', 'nginx:1.27,busybox']);
  check(controllerRevisionPrinter, ['Name', 'Controller', 'Revision', 'Age'], [],
    o('fluentd-5d4f', { revision: 2 }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'u', controller: true }] }),
    ['fluentd-5d4f', 'daemonset.apps/fluentd', 2, '10m']);
  assert.equal(controllerRevisionPrinter.cells(o('r', { revision: 1 }), now)[1], '<none>');
});

it('batch printers', () => {
  check(jobPrinter, ['Name', 'Status', 'Completions', 'Duration', 'Age'], ['Containers', 'Images', 'Selector'],
    o('pi', {
      spec: { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
      status: { succeeded: 1, startTime: '2026-01-01T00:00:05Z', completionTime: '2026-01-01T00:00:42Z', conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] },
    }),
    ['pi', 'Complete', '1/1', '37s', '10m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=abc']);
  const running = o('work', { spec: { parallelism: 3, template: { spec: { containers: [] } } }, status: { succeeded: 0, startTime: '2026-01-01T00:07:00Z' } });
  assert.deepEqual(jobPrinter.cells(running, now).slice(0, 4), ['work', 'Running', '0/1 of 3', '3m']);
  assert.deepEqual(jobPrinter.cells(o('s', { spec: { suspend: true }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } }), now).slice(1, 4), ['Suspended', '0/1', '']);
  assert.equal(jobPrinter.cells(o('f', { spec: {}, status: { conditions: [{ type: 'Failed', status: 'True' }] } }), now)[1], 'Failed');

  check(cronJobPrinter, ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age'], ['Containers', 'Images', 'Selector'],
    o('hello', { spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox:1.28' }] } } } } }, status: { active: [{ name: 'hello-1' }], lastScheduleTime: '2026-01-01T00:05:00Z' } }),
    ['hello', '*/5 * * * *', '<none>', 'False', 1, '5m', '10m', 'hello', 'busybox:1.28', '<none>']);
  assert.deepEqual(cronJobPrinter.cells(o('c', { spec: { schedule: '@daily', timeZone: 'Etc/UTC', suspend: true } }), now).slice(1, 6), ['@daily', 'Etc/UTC', 'True', 0, '<none>']);
});

it('autoscaling printer: HPA targets', () => {
  const cpu = (util?: number) => ({ type: 'Resource', resource: { name: 'cpu', ...(util === undefined ? {} : { current: { averageUtilization: util, averageValue: '225m' } }) } });
  check(horizontalPodAutoscalerPrinter, ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'], [],
    o('web', { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }, status: { currentReplicas: 2, currentMetrics: [cpu(45)] } }),
    ['web', 'Deployment/web', 'cpu: 45%/80%', '1', 10, 2, '10m']);
  const spec = (metrics: unknown[]) => ({ scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, metrics });
  const target = (hpa: KubeObject) => horizontalPodAutoscalerPrinter.cells(hpa, now)[2];
  assert.equal(target(o('h', { spec: spec([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]), status: {} })), 'cpu: <unknown>/80%');
  assert.equal(horizontalPodAutoscalerPrinter.cells(o('h', { spec: spec([]), status: {} }), now)[3], '<unset>');
  assert.equal(target(o('h', { spec: spec([]) })), '<none>');
  assert.equal(target(o('h', {
    spec: spec([
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
    ]),
    status: { currentMetrics: [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '200Mi' } } }, { type: 'Pods', pods: { current: { averageValue: '7' } } }] },
  })), 'memory: 200Mi/500Mi, 7/10 + 1 more...');
  assert.equal(target(o('h', { spec: spec([{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } }]) })), '<unknown>/30 (avg)');
});

it('policy printer: PDB', () => {
  check(podDisruptionBudgetPrinter, ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'], [],
    o('web-pdb', { spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 1 } }), ['web-pdb', '2', 'N/A', 1, '10m']);
  assert.deepEqual(podDisruptionBudgetPrinter.cells(o('p', { spec: { maxUnavailable: '25%' }, status: {} }), now), ['p', 'N/A', '25%', 0, '10m']);
});

it('rbac printers', () => {
  check(rolePrinter, ['Name', 'Created At'], [], o('reader', { rules: [] }), ['reader', '2026-01-01T00:00:00Z']);
  check(clusterRolePrinter, ['Name', 'Created At'], [], o('admin', { rules: [] }), ['admin', '2026-01-01T00:00:00Z']);
  const subjects = [{ kind: 'User', name: 'jane' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'bot', namespace: 'ci' }, { kind: 'User', name: 'joe' }];
  check(roleBindingPrinter, ['Name', 'Role', 'Age'], ['Users', 'Groups', 'ServiceAccounts'],
    o('read-pods', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects }), ['read-pods', 'Role/reader', '10m', 'jane, joe', 'devs', 'ci/bot']);
  check(clusterRoleBindingPrinter, ['Name', 'Role', 'Age'], ['Users', 'Groups', 'ServiceAccounts'],
    o('admins', { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] }), ['admins', 'ClusterRole/cluster-admin', '10m', '', 'system:masters', '']);
});

it('discovery printer: EndpointSlice', () => {
  check(endpointSlicePrinter, ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'], [],
    o('web-abc', { addressType: 'IPv4', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }], endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }] }),
    ['web-abc', 'IPv4', '80,443', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '10m']);
  assert.deepEqual(endpointSlicePrinter.cells(o('e', { addressType: 'IPv6', ports: [{ name: 'dns' }, {}] }), now).slice(2, 4), ['dns,*', '<unset>']);
});

it('networking printers', () => {
  check(ingressPrinter, ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'], [],
    o('web', { spec: { ingressClassName: 'nginx', rules: [{ host: 'foo.example.com' }, { host: 'bar.example.com' }], tls: [{ hosts: ['foo.example.com'] }] }, status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { hostname: 'lb.example.com' }] } } }),
    ['web', 'nginx', 'foo.example.com,bar.example.com', '192.0.2.10,lb.example.com', '80, 443', '10m']);
  assert.deepEqual(ingressPrinter.cells(o('i', { spec: { rules: [{}] } }), now).slice(1, 5), ['<none>', '*', '', '80']);
  assert.equal(ingressPrinter.cells(o('i', { spec: { rules: [{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, { host: 'e' }] } }), now)[2], 'a,b,c + 2 more...');
  check(ingressClassPrinter, ['Name', 'Controller', 'Parameters', 'Age'], [],
    o('nginx', { spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } }),
    ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', '10m']);
  check(networkPolicyPrinter, ['Name', 'Pod-Selector', 'Age'], [],
    o('deny', { spec: { podSelector: { matchLabels: { role: 'db' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] } } }), ['deny', 'env in (dev,prod),role=db', '10m']);
  assert.equal(networkPolicyPrinter.cells(o('all', { spec: { podSelector: {} } }), now)[1], '<none>');
});

it('storage printers', () => {
  check(storageClassPrinter, ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'], [],
    o('standard', { provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' }, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
    ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '10m']);
  assert.deepEqual(storageClassPrinter.cells(o('fast', { provisioner: 'csi.example.com', allowVolumeExpansion: true }), now), ['fast', 'csi.example.com', 'Delete', 'Immediate', true, '10m']);
  check(csiDriverPrinter, ['Name', 'AttachRequired', 'PodInfoOnMount', 'StorageCapacity', 'TokenRequests', 'RequiresRepublish', 'Modes', 'Age'], [],
    o('csi.example.com', { spec: { attachRequired: false, podInfoOnMount: true, volumeLifecycleModes: ['Persistent', 'Ephemeral'], tokenRequests: [{ audience: 'vault' }] } }),
    ['csi.example.com', false, true, false, 'vault', false, 'Persistent,Ephemeral', '10m']);
  assert.deepEqual(csiDriverPrinter.cells(o('d', { spec: {} }), now).slice(1, 7), [true, false, false, '<unset>', false, '<none>']);
  check(csiNodePrinter, ['Name', 'Drivers', 'Age'], [], o('node-1', { spec: { drivers: [{ name: 'csi.example.com', nodeID: 'node-1' }] } }), ['node-1', 1, '10m']);
  check(volumeAttachmentPrinter, ['Name', 'Attacher', 'PV', 'Node', 'Attached', 'Age'], [],
    o('csi-123', { spec: { attacher: 'csi.example.com', source: { persistentVolumeName: 'pv1' }, nodeName: 'node-1' }, status: { attached: true } }), ['csi-123', 'csi.example.com', 'pv1', 'node-1', true, '10m']);
  check(csiStorageCapacityPrinter, ['Name', 'StorageClassName', 'Capacity'], [], o('csisc-x', { storageClassName: 'standard', capacity: '100Gi' }), ['csisc-x', 'standard', '100Gi']);
  assert.equal(csiStorageCapacityPrinter.cells(o('c', { storageClassName: 'standard' }), now)[2], '<unset>');
});

it('scheduling, node and certificates printers', () => {
  check(priorityClassPrinter, ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'], [],
    o('system-cluster-critical', { value: 2000000000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' }), ['system-cluster-critical', 2000000000, false, '10m', 'PreemptLowerPriority']);
  check(runtimeClassPrinter, ['Name', 'Handler', 'Age'], [], o('gvisor', { handler: 'runsc' }), ['gvisor', 'runsc', '10m']);
  check(certificateSigningRequestPrinter, ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition'], [],
    o('csr-1', { spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'jane', expirationSeconds: 86400 }, status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0tLS1CRUdJTg==' } }),
    ['csr-1', '10m', 'kubernetes.io/kube-apiserver-client', 'jane', '24h', 'Approved,Issued']);
  assert.deepEqual(certificateSigningRequestPrinter.cells(o('csr-2', { spec: { signerName: 'example.com/x', username: 'bob' }, status: {} }), now).slice(4), ['<none>', 'Pending']);
  assert.equal(certificateSigningRequestPrinter.cells(o('csr-3', { spec: {}, status: { conditions: [{ type: 'Denied' }, { type: 'Failed' }] } }), now)[5], 'Denied,Failed');
});

it('admissionregistration printers', () => {
  check(mutatingWebhookConfigurationPrinter, ['Name', 'Webhooks', 'Age'], [], o('mwc', { webhooks: [{ name: 'a.example.com' }, { name: 'b.example.com' }] }), ['mwc', 2, '10m']);
  check(validatingWebhookConfigurationPrinter, ['Name', 'Webhooks', 'Age'], [], o('vwc', {}), ['vwc', 0, '10m']);
  check(validatingAdmissionPolicyPrinter, ['Name', 'Validations', 'ParamKind', 'Age'], [],
    o('replicas', { spec: { paramKind: { apiVersion: 'rules.example.com/v1', kind: 'ReplicaLimit' }, validations: [{ expression: 'object.spec.replicas <= 5' }] } }),
    ['replicas', 1, 'rules.example.com/v1/ReplicaLimit', '10m']);
  check(validatingAdmissionPolicyBindingPrinter, ['Name', 'PolicyName', 'ParamRef', 'Age'], [],
    o('replicas-binding', { spec: { policyName: 'replicas', paramRef: { name: 'limit', namespace: 'default' } } }), ['replicas-binding', 'replicas', 'default/limit', '10m']);
  const param = (paramRef?: unknown) => validatingAdmissionPolicyBindingPrinter.cells(o('b', { spec: { policyName: 'p', ...(paramRef ? { paramRef } : {}) } }), now)[2];
  assert.equal(param(), '<unset>');
  assert.equal(param({ name: 'limit' }), '*/limit');
  assert.equal(param({ selector: { matchLabels: { b: '2', a: '1' } } }), '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{},}');
});

it('flowcontrol printers', () => {
  check(flowSchemaPrinter, ['Name', 'PriorityLevel', 'MatchingPrecedence', 'DistinguisherMethod', 'Age', 'MissingPL'], [],
    o('service-accounts', { spec: { priorityLevelConfiguration: { name: 'workload-low' }, matchingPrecedence: 9000, distinguisherMethod: { type: 'ByUser' } }, status: { conditions: [{ type: 'Dangling', status: 'False' }] } }),
    ['service-accounts', 'workload-low', 9000, 'ByUser', '10m', 'False']);
  assert.deepEqual(flowSchemaPrinter.cells(o('exempt', { spec: { priorityLevelConfiguration: { name: 'exempt' }, matchingPrecedence: 1 } }), now).slice(3), ['<none>', '10m', '?']);
  check(priorityLevelConfigurationPrinter, ['Name', 'Type', 'NominalConcurrencyShares', 'Queues', 'HandSize', 'QueueLengthLimit', 'Age'], [],
    o('workload-low', { spec: { type: 'Limited', limited: { nominalConcurrencyShares: 100, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } } } }),
    ['workload-low', 'Limited', 100, 128, 6, 50, '10m']);
  assert.deepEqual(priorityLevelConfigurationPrinter.cells(o('exempt', { spec: { type: 'Exempt', exempt: {} } }), now), ['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>', '10m']);
  assert.deepEqual(priorityLevelConfigurationPrinter.cells(o('catch-all', { spec: { type: 'Limited', limited: { nominalConcurrencyShares: 5, limitResponse: { type: 'Reject' } } } }), now).slice(2, 6), [5, '<none>', '<none>', '<none>']);
});

it('kind definitions carry their printers', () => {
  assert.equal(jobDefinition.printer, jobPrinter);
  assert.equal(storageClassDefinition.printer, storageClassPrinter);
  assert.equal(roleBindingDefinition.printer, roleBindingPrinter);
});
