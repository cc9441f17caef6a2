/**
 * The bootstrap ClusterRoles of upstream v1.32 (plugin/pkg/auth/authorizer/rbac/
 * bootstrappolicy/policy.go ClusterRoles(), as its testdata/cluster-roles.yaml prints
 * them with the default feature gates), and NodeRules(): the rules the Node authorizer
 * grants every node (the `system:node` ClusterRole carries the same rules).
 */
import { clusterRole, type PolicyClusterRole } from './metadata.js';
import { eventsRule, READ, READ_WRITE, res, urls, WRITE, type PolicyRule } from './rule.js';

const AGG_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
const AGG_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
const AGG_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

/** Upstream NodeRules() with v1.32's default feature gates (no DRA, no ClusterTrustBundle projection). */
export function nodeRules(): PolicyRule[] {
  return [
    res('create', 'authentication.k8s.io', 'tokenreviews'),
    res('create', 'authorization.k8s.io', 'localsubjectaccessreviews subjectaccessreviews'),
    res(READ, 'core', 'services'),
    res('create get list watch', 'core', 'nodes'),
    res('patch update', 'core', 'nodes/status'),
    res('patch update', 'core', 'nodes'),
    res('create patch update', 'core', 'events'),
    res(READ, 'core', 'pods'),
    res('create delete', 'core', 'pods'),
    res('patch update', 'core', 'pods/status'),
    res('create', 'core', 'pods/eviction'),
    res(READ, 'core', 'configmaps secrets'),
    res('get', 'core', 'persistentvolumeclaims persistentvolumes'),
    res('get', 'core', 'endpoints'),
    res('create get list watch', 'certificates.k8s.io', 'certificatesigningrequests'),
    res('create delete get patch update', 'coordination.k8s.io', 'leases'),
    res('get', 'storage.k8s.io', 'volumeattachments'),
    res('create', 'core', 'serviceaccounts/token'),
    res('get patch update', 'core', 'persistentvolumeclaims/status'),
    res(READ, 'storage.k8s.io', 'csidrivers'),
    res('create delete get patch update', 'storage.k8s.io', 'csinodes'),
    res(READ, 'node.k8s.io', 'runtimeclasses'),
  ];
}

const signerApprover = (signer: string): PolicyClusterRole =>
  clusterRole(`system:certificates.k8s.io:${signer.replace('kubernetes.io/', '')}-approver`, [res('approve', 'certificates.k8s.io', 'signers', signer)]);

/** Upstream ClusterRoles() (v1.32, default feature gates), sorted by name as the testdata. */
export function clusterRoles(): PolicyClusterRole[] {
  return [
    clusterRole('admin', [], { aggregateFrom: AGG_ADMIN }),
    clusterRole('cluster-admin', [res('*', '*', '*'), urls('*', '*')]),
    clusterRole('edit', [], { aggregateFrom: AGG_EDIT, labels: { [AGG_ADMIN]: 'true' } }),
    clusterRole('system:aggregate-to-admin', [
      res('create', 'authorization.k8s.io', 'localsubjectaccessreviews'),
      res(READ_WRITE, 'rbac.authorization.k8s.io', 'rolebindings roles'),
    ], { labels: { [AGG_ADMIN]: 'true' } }),
    clusterRole('system:aggregate-to-edit', [
      res(READ, 'core', 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy'),
      res('impersonate', 'core', 'serviceaccounts'),
      res(WRITE, 'core', 'pods pods/attach pods/exec pods/portforward pods/proxy'),
      res('create', 'core', 'pods/eviction'),
      res(WRITE, 'core', 'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy'),
      res('create', 'core', 'serviceaccounts/token'),
      res(WRITE, 'apps', 'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale'),
      res(WRITE, 'autoscaling', 'horizontalpodautoscalers'),
      res(WRITE, 'batch', 'cronjobs jobs'),
      res(WRITE, 'extensions', 'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale'),
      res(WRITE, 'policy', 'poddisruptionbudgets'),
      res(WRITE, 'networking.k8s.io', 'ingresses networkpolicies'),
      res(READ_WRITE, 'coordination.k8s.io', 'leases'),
    ], { labels: { [AGG_EDIT]: 'true' } }),
    clusterRole('system:aggregate-to-view', [
      res(READ, 'core', 'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status'),
      res(READ, 'core', 'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status'),
      res(READ, 'core', 'namespaces'),
      res(READ, 'discovery.k8s.io', 'endpointslices'),
      res(READ, 'apps', 'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status'),
      res(READ, 'autoscaling', 'horizontalpodautoscalers horizontalpodautoscalers/status'),
      res(READ, 'batch', 'cronjobs cronjobs/status jobs jobs/status'),
      res(READ, 'extensions', 'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale'),
      res(READ, 'policy', 'poddisruptionbudgets poddisruptionbudgets/status'),
      res(READ, 'networking.k8s.io', 'ingresses ingresses/status networkpolicies'),
    ], { labels: { [AGG_VIEW]: 'true' } }),
    clusterRole('system:auth-delegator', [
      res('create', 'authentication.k8s.io', 'tokenreviews'),
      res('create', 'authorization.k8s.io', 'subjectaccessreviews'),
    ]),
    clusterRole('system:basic-user', [
      res('create', 'authorization.k8s.io', 'selfsubjectaccessreviews selfsubjectrulesreviews'),
      res('create', 'authentication.k8s.io', 'selfsubjectreviews'),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [res('create', 'certificates.k8s.io', 'certificatesigningrequests/nodeclient')]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [res('create', 'certificates.k8s.io', 'certificatesigningrequests/selfnodeclient')]),
    signerApprover('kubernetes.io/kube-apiserver-client'),
    signerApprover('kubernetes.io/kube-apiserver-client-kubelet'),
    signerApprover('kubernetes.io/kubelet-serving'),
    signerApprover('kubernetes.io/legacy-unknown'),
    clusterRole('system:discovery', [urls('get', '/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/')]),
    clusterRole('system:heapster', [
      res(READ, 'core', 'events namespaces nodes pods'),
      res(READ, 'extensions', 'deployments'),
    ]),
    clusterRole('system:kube-aggregator', [res(READ, 'core', 'endpoints services')]),
    clusterRole('system:kube-controller-manager', [
      eventsRule(),
      res('create', 'coordination.k8s.io', 'leases'),
      res('get update', 'coordination.k8s.io', 'leases', 'kube-controller-manager'),
      res('create', 'core', 'secrets serviceaccounts'),
      res('delete', 'core', 'secrets'),
      res('get', 'core', 'configmaps namespaces secrets serviceaccounts'),
      res('update', 'core', 'secrets serviceaccounts'),
      res('create', 'authentication.k8s.io', 'tokenreviews'),
      res('create', 'authorization.k8s.io', 'subjectaccessreviews'),
      res('list watch', '*', '*'),
      res('create', 'core', 'serviceaccounts/token'),
    ]),
    clusterRole('system:kube-dns', [res('list watch', 'core', 'endpoints services')]),
    clusterRole('system:kube-scheduler', [
      eventsRule(),
      res('create', 'coordination.k8s.io', 'leases'),
      res('get update', 'coordination.k8s.io', 'leases', 'kube-scheduler'),
      res(READ, 'core', 'nodes'),
      res('delete get list watch', 'core', 'pods'),
      res('create', 'core', 'bindings pods/binding'),
      res('patch update', 'core', 'pods/status'),
      res(READ, 'core', 'replicationcontrollers services'),
      res(READ, 'apps extensions', 'replicasets'),
      res(READ, 'apps', 'statefulsets'),
      res(READ, 'policy', 'poddisruptionbudgets'),
      res(READ, 'core', 'persistentvolumeclaims persistentvolumes'),
      res('create', 'authentication.k8s.io', 'tokenreviews'),
      res('create', 'authorization.k8s.io', 'subjectaccessreviews'),
      res(READ, 'storage.k8s.io', 'csinodes'),
      res(READ, 'core', 'namespaces'),
      res(READ, 'storage.k8s.io', 'csidrivers'),
      res(READ, 'storage.k8s.io', 'csistoragecapacities'),
    ]),
    clusterRole('system:kubelet-api-admin', [
      res(READ, 'core', 'nodes'),
      res('proxy', 'core', 'nodes'),
      res('*', 'core', 'nodes/log nodes/metrics nodes/proxy nodes/stats'),
    ]),
    clusterRole('system:monitoring', [urls('get', '/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*')]),
    clusterRole('system:node', nodeRules()),
    clusterRole('system:node-bootstrapper', [res('create get list watch', 'certificates.k8s.io', 'certificatesigningrequests')]),
    clusterRole('system:node-problem-detector', [
      res('get', 'core', 'nodes'),
      res('patch', 'core', 'nodes/status'),
      eventsRule(),
    ]),
    clusterRole('system:node-proxier', [
      res('list watch', 'core', 'endpoints services'),
      res(READ, 'core', 'nodes'),
      eventsRule(),
      res('list watch', 'discovery.k8s.io', 'endpointslices'),
    ]),
    clusterRole('system:persistent-volume-provisioner', [
      res('create delete get list watch', 'core', 'persistentvolumes'),
      res('get list update watch', 'core', 'persistentvolumeclaims'),
      res(READ, 'storage.k8s.io', 'storageclasses'),
      res('watch', 'core', 'events'),
      eventsRule(),
    ]),
    clusterRole('system:public-info-viewer', [urls('get', '/healthz /livez /readyz /version /version/')]),
    clusterRole('system:service-account-issuer-discovery', [urls('get', '/.well-known/openid-configuration /openid/v1/jwks')]),
    clusterRole('system:volume-scheduler', [
      res('get list patch update watch', 'core', 'persistentvolumes'),
      res(READ, 'storage.k8s.io', 'storageclasses'),
      res('get list patch update watch', 'core', 'persistentvolumeclaims'),
    ]),
    clusterRole('view', [], { aggregateFrom: AGG_VIEW, labels: { [AGG_EDIT]: 'true' } }),
  ];
}
