/**
 * The per-controller ClusterRoles `system:controller:<name>` of upstream v1.32
 * (bootstrappolicy/controller_policy.go, default feature gates: no DRA, SELinux warning,
 * ServiceCIDR or VolumeAttributesClass controllers), each bound by a ClusterRoleBinding
 * of the same name to the ServiceAccount kube-system/<name>.
 */
import { clusterRole, clusterRoleBinding, serviceAccount, type PolicyClusterRole, type PolicyClusterRoleBinding } from './metadata.js';
import { eventsRule, READ, res, type PolicyRule } from './rule.js';

/** Prefix of every controller role (upstream saRolePrefix). */
export const CONTROLLER_ROLE_PREFIX = 'system:controller:';

const controllers: Array<[string, PolicyRule[]]> = [
  ['attachdetach-controller', [
    res('list watch', 'core', 'persistentvolumeclaims persistentvolumes'),
    res(READ, 'core', 'nodes'),
    res('patch update', 'core', 'nodes/status'),
    res('list watch', 'core', 'pods'),
    eventsRule(),
    res('create delete get list watch', 'storage.k8s.io', 'volumeattachments'),
    res(READ, 'storage.k8s.io', 'csidrivers'),
    res(READ, 'storage.k8s.io', 'csinodes'),
  ]],
  ['certificate-controller', [
    res('delete get list watch', 'certificates.k8s.io', 'certificatesigningrequests'),
    res('update', 'certificates.k8s.io', 'certificatesigningrequests/approval certificatesigningrequests/status'),
    res('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client-kubelet'),
    res('sign', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client kubernetes.io/kube-apiserver-client-kubelet kubernetes.io/kubelet-serving kubernetes.io/legacy-unknown'),
    res('create', 'authorization.k8s.io', 'subjectaccessreviews'),
    eventsRule(),
  ]],
  ['clusterrole-aggregation-controller', [res('escalate get list patch update watch', 'rbac.authorization.k8s.io', 'clusterroles')]],
  ['cronjob-controller', [
    res('get list update watch', 'batch', 'cronjobs'),
    res('create delete get list patch update watch', 'batch', 'jobs'),
    res('update', 'batch', 'cronjobs/status'),
    res('update', 'batch', 'cronjobs/finalizers'),
    res('delete list watch', 'core', 'pods'),
    eventsRule(),
  ]],
  ['daemon-set-controller', [
    res(READ, 'apps extensions', 'daemonsets'),
    res('update', 'apps extensions', 'daemonsets/status'),
    res('update', 'apps extensions', 'daemonsets/finalizers'),
    res('list watch', 'core', 'nodes'),
    res('create delete list patch watch', 'core', 'pods'),
    res('create', 'core', 'pods/binding'),
    res('create delete get list patch update watch', 'apps', 'controllerrevisions'),
    eventsRule(),
  ]],
  ['deployment-controller', [
    res('get list update watch', 'apps extensions', 'deployments'),
    res('update', 'apps extensions', 'deployments/status'),
    res('update', 'apps extensions', 'deployments/finalizers'),
    res('create delete get list patch update watch', 'apps extensions', 'replicasets'),
    res('get list update watch', 'core', 'pods'),
    eventsRule(),
  ]],
  ['disruption-controller', [
    res(READ, 'apps extensions', 'deployments'),
    res(READ, 'apps extensions', 'replicasets'),
    res(READ, 'core', 'replicationcontrollers'),
    res(READ, 'policy', 'poddisruptionbudgets'),
    res(READ, 'apps', 'statefulsets'),
    res('update', 'policy', 'poddisruptionbudgets/status'),
    res('patch update', 'core', 'pods/status'),
    res('get', '*', '*/scale'),
    eventsRule(),
  ]],
  ['endpoint-controller', [
    res(READ, 'core', 'pods services'),
    res('create delete get list update watch', 'core', 'endpoints'),
    res('create', 'core', 'endpoints/restricted'),
    eventsRule(),
  ]],
  ['endpointslice-controller', [
    res(READ, 'core', 'nodes pods services'),
    res('update', 'core', 'services/finalizers'),
    res('create delete get list update watch', 'discovery.k8s.io', 'endpointslices'),
    eventsRule(),
  ]],
  ['endpointslicemirroring-controller', [
    res(READ, 'core', 'endpoints services'),
    res('update', 'core', 'services/finalizers'),
    res('update', 'core', 'endpoints/finalizers'),
    res('create delete get list update watch', 'discovery.k8s.io', 'endpointslices'),
    eventsRule(),
  ]],
  ['ephemeral-volume-controller', [
    res(READ, 'core', 'pods'),
    res('update', 'core', 'pods/finalizers'),
    res('create get list watch', 'core', 'persistentvolumeclaims'),
    eventsRule(),
  ]],
  ['expand-controller', [
    res('get list patch update watch', 'core', 'persistentvolumes'),
    res('patch update', 'core', 'persistentvolumeclaims/status'),
    res(READ, 'core', 'persistentvolumeclaims'),
    eventsRule(),
  ]],
  ['generic-garbage-collector', [res('delete get list patch update watch', '*', '*'), eventsRule()]],
  ['horizontal-pod-autoscaler', [
    res(READ, 'autoscaling', 'horizontalpodautoscalers'),
    res('update', 'autoscaling', 'horizontalpodautoscalers/status'),
    res('get update', '*', '*/scale'),
    res('list watch', 'core', 'pods'),
    res('list watch', 'metrics.k8s.io', 'pods'),
    res(READ, 'custom.metrics.k8s.io', '*'),
    res(READ, 'external.metrics.k8s.io', '*'),
    eventsRule(),
  ]],
  ['job-controller', [
    res('get list patch update watch', 'batch', 'jobs'),
    res('update', 'batch', 'jobs/status'),
    res('update', 'batch', 'jobs/finalizers'),
    res('create delete list patch watch', 'core', 'pods'),
    eventsRule(),
  ]],
  ['legacy-service-account-token-cleaner', [
    res('get', 'core', 'configmaps', 'kube-apiserver-legacy-service-account-token-tracking'),
    res('delete patch', 'core', 'secrets'),
  ]],
  ['namespace-controller', [
    res('delete get list watch', 'core', 'namespaces'),
    res('update', 'core', 'namespaces/finalize namespaces/status'),
    res('delete deletecollection get list watch', '*', '*'),
  ]],
  ['node-controller', [
    res('delete get list patch update watch', 'core', 'nodes'),
    res('patch update', 'core', 'nodes/status'),
    res('patch update', 'core', 'pods/status'),
    res('delete get list watch', 'core', 'pods'),
    eventsRule(),
  ]],
  ['persistent-volume-binder', [
    res('create delete get list update watch', 'core', 'persistentvolumes'),
    res('update', 'core', 'persistentvolumes/status'),
    res('get list update watch', 'core', 'persistentvolumeclaims'),
    res('update', 'core', 'persistentvolumeclaims/status'),
    res('create delete get list watch', 'core', 'pods'),
    res(READ, 'storage.k8s.io', 'storageclasses'),
    res('list watch', 'core', 'nodes'),
    eventsRule(),
    res('watch', 'core', 'events'),
  ]],
  ['pod-garbage-collector', [
    res('delete list watch', 'core', 'pods'),
    res(READ, 'core', 'nodes'),
    res('patch', 'core', 'pods/status'),
  ]],
  ['pv-protection-controller', [res('get list update watch', 'core', 'persistentvolumes'), eventsRule()]],
  ['pvc-protection-controller', [
    res('get list update watch', 'core', 'persistentvolumeclaims'),
    res('update', 'core', 'persistentvolumeclaims/status'),
    res(READ, 'core', 'pods'),
    eventsRule(),
  ]],
  ['replicaset-controller', [
    res('get list update watch', 'apps extensions', 'replicasets'),
    res('update', 'apps extensions', 'replicasets/status'),
    res('update', 'apps extensions', 'replicasets/finalizers'),
    res('create delete list patch watch', 'core', 'pods'),
    eventsRule(),
  ]],
  ['replication-controller', [
    res('get list update watch', 'core', 'replicationcontrollers'),
    res('update', 'core', 'replicationcontrollers/status'),
    res('update', 'core', 'replicationcontrollers/finalizers'),
    res('create delete list patch watch', 'core', 'pods'),
    eventsRule(),
  ]],
  ['resourcequota-controller', [res('list watch', '*', '*'), res('update', 'core', 'resourcequotas/status'), eventsRule()]],
  ['root-ca-cert-publisher', [res('create update', 'core', 'configmaps'), eventsRule()]],
  ['route-controller', [res('list watch', 'core', 'nodes'), res('patch', 'core', 'nodes/status'), eventsRule()]],
  ['service-account-controller', [res('create', 'core', 'serviceaccounts'), eventsRule()]],
  ['service-controller', [
    res(READ, 'core', 'services'),
    res('patch update', 'core', 'services/status'),
    res('list watch', 'core', 'nodes'),
    eventsRule(),
  ]],
  ['statefulset-controller', [
    res('list watch', 'core', 'pods'),
    res(READ, 'apps', 'statefulsets'),
    res('update', 'apps', 'statefulsets/status'),
    res('update', 'apps', 'statefulsets/finalizers'),
    res('create delete get patch update', 'core', 'pods'),
    res('create delete get list patch update watch', 'apps', 'controllerrevisions'),
    res('create get list watch', 'core', 'persistentvolumeclaims'),
    res('delete update', 'core', 'persistentvolumeclaims'),
    res('update', 'core', 'pods/finalizers'),
    eventsRule(),
  ]],
  ['ttl-after-finished-controller', [res('delete get list watch', 'batch', 'jobs'), eventsRule()]],
  ['ttl-controller', [res('list patch update watch', 'core', 'nodes'), eventsRule()]],
  ['validatingadmissionpolicy-status-controller', [
    res(READ, 'admissionregistration.k8s.io', 'validatingadmissionpolicies'),
    res('get patch update', 'admissionregistration.k8s.io', 'validatingadmissionpolicies/status'),
    eventsRule(),
  ]],
];

/** Upstream ControllerRoles(). */
export function controllerRoles(): PolicyClusterRole[] {
  return controllers.map(([name, rules]) => clusterRole(CONTROLLER_ROLE_PREFIX + name, rules));
}

/** Upstream ControllerRoleBindings(): each role bound to the ServiceAccount kube-system/<controller>. */
export function controllerRoleBindings(): PolicyClusterRoleBinding[] {
  return controllers.map(([name]) => clusterRoleBinding(CONTROLLER_ROLE_PREFIX + name, [serviceAccount('kube-system', name)]));
}
