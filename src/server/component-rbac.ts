/**
 * The RBAC of k8ts' own components that upstream's bootstrap policy does not cover, as
 * k3s ships it for its embedded pieces: the cloud controller manager (user
 * `system:cloud-controller-manager`, what k3s's `k3s-cloud-controller-manager` role grants:
 * Services and their status, Nodes, events, its Lease) and the cluster DNS add-on
 * (ServiceAccount `kube-system/k8ts-dns`, what kubeadm's `system:coredns` role grants:
 * watch Endpoints, EndpointSlices, Services, Pods and Namespaces). Created at server
 * start (labelled `kubernetes.io/bootstrapping: rbac-defaults`); existing objects are
 * left as they are.
 */
import { isAlreadyExists } from '../machinery/errors.js';
import type { Client, ResourceRef } from '../client/interface.js';
import type { KubeObject } from '../api/object.js';

const RBAC = 'rbac.authorization.k8s.io';
const ref = (resource: string): ResourceRef => ({ group: RBAC, version: 'v1', resource });
const meta = (name: string) => ({ name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } });
const rule = (verbs: string, apiGroups: string[], resources: string, resourceNames?: string[]) =>
  ({ verbs: verbs.split(' '), apiGroups, resources: resources.split(' '), ...(resourceNames ? { resourceNames } : {}) });

/** The ClusterRoles and ClusterRoleBindings of the components above. */
export function componentRbac(): { clusterRoles: KubeObject[]; clusterRoleBindings: KubeObject[] } {
  const ccm = 'system:k8ts-cloud-controller-manager';
  const dns = 'system:k8ts-dns';
  return {
    clusterRoles: [
      {
        apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: meta(ccm),
        rules: [
          rule('get list watch patch update', [''], 'services'),
          rule('patch update', [''], 'services/status'),
          rule('get list watch', [''], 'nodes'),
          rule('create patch update', ['', 'events.k8s.io'], 'events'),
          rule('create get update', ['coordination.k8s.io'], 'leases'),
        ],
      } as KubeObject,
      {
        apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: meta(dns),
        rules: [
          rule('list watch', [''], 'endpoints services pods namespaces'),
          rule('list watch', ['discovery.k8s.io'], 'endpointslices'),
        ],
      } as KubeObject,
    ],
    clusterRoleBindings: [
      { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: meta(ccm), roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: ccm }, subjects: [{ apiGroup: RBAC, kind: 'User', name: 'system:cloud-controller-manager' }] } as KubeObject,
      { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: meta(dns), roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: dns }, subjects: [{ kind: 'ServiceAccount', name: 'k8ts-dns', namespace: 'kube-system' }] } as KubeObject,
    ],
  };
}

/** Creates the missing ones with an admin client. Throws the API's errors other than AlreadyExists. */
export async function ensureComponentRbac(admin: Client): Promise<void> {
  const { clusterRoles, clusterRoleBindings } = componentRbac();
  const create = (r: ResourceRef, o: KubeObject) => admin.resource(r).create(o).catch((e) => { if (!isAlreadyExists(e)) throw e; });
  for (const o of clusterRoles) await create(ref('clusterroles'), o);
  for (const o of clusterRoleBindings) await create(ref('clusterrolebindings'), o);
}
