/**
 * NodeRestriction admission (upstream plugin/pkg/admission/noderestriction): limits what a
 * kubelet (`system:node:<name>` in `system:nodes`) may write, on top of the Node authorizer.
 *  - pods: create only mirror pods (annotation kubernetes.io/config.mirror) bound to itself,
 *    owned by its Node (controller ref, matching UID, no blockOwnerDeletion) and referencing
 *    no service account, secrets, configmaps, clustertrustbundles or PVCs; delete only pods
 *    bound to itself; pods/status only of pods bound to itself, without label or
 *    resourceClaimStatuses changes; pods/eviction only of pods bound to itself;
 *  - nodes: only its own; no configSource; no taint changes on update; no labels in
 *    node-restriction.kubernetes.io or unknown kubernetes.io/k8s.io namespaces;
 *  - persistentvolumeclaims: only status, changing only status.capacity/conditions;
 *  - serviceaccounts/token: only bound to a pod on the node (UID must match);
 *  - leases: only kube-node-lease/<node>; csinodes: only its own.
 * Refusals are 403 `<resource> "<name>" is forbidden: <reason>` (admission.NewForbidden);
 * a missing pod/node is the NotFound error itself. Not registered in the default chain here.
 */
import type { KubeObject } from '../../api/object.js';
import { forbidden, notFound, StatusError } from '../../machinery/errors.js';
import { nodeIdentity } from '../authz/node/node-identity.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

type Any = Record<string, any>;

/** Lookups the plugin needs (upstream: pod and node listers). undefined = not found. */
export interface NodeRestrictionDeps {
  getPod(namespace: string, name: string): Promise<KubeObject | undefined> | KubeObject | undefined;
  getNode(name: string): Promise<KubeObject | undefined> | KubeObject | undefined;
  /** RecoverVolumeExpansionFailure gate (off by default in v1.32): also ignore status.allocatedResources(/Statuses). */
  expansionRecoveryEnabled?: boolean;
}

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const NODE_RESTRICTION_NS = 'node-restriction.kubernetes.io';
/** kubeletapis.IsKubeletLabel: the labels and namespaces a kubelet may set on its Node. */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname', 'kubernetes.io/arch', 'kubernetes.io/os', 'beta.kubernetes.io/arch', 'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const labelNamespace = (key: string): string => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const inNamespace = (ns: string, base: string): boolean => ns === base || ns.endsWith('.' + base);
const isKubeletLabel = (key: string): boolean => KUBELET_LABELS.has(key) || KUBELET_LABEL_NAMESPACES.some((n) => inNamespace(labelNamespace(key), n));
const isKubernetesLabel = (key: string): boolean => inNamespace(labelNamespace(key), 'kubernetes.io') || inNamespace(labelNamespace(key), 'k8s.io');

function modifiedLabels(a: Record<string, string> = {}, b: Record<string, string> = {}): string[] {
  const keys = new Set<string>();
  for (const [k, v] of Object.entries(a)) if (b[k] !== v) keys.add(k);
  for (const [k, v] of Object.entries(b)) if (a[k] !== v) keys.add(k);
  return [...keys];
}

/** Sorted labels a node may not add, remove or change. */
const forbiddenLabels = (keys: string[]): string[] =>
  keys.filter((k) => inNamespace(labelNamespace(k), NODE_RESTRICTION_NS) || (isKubernetesLabel(k) && !isKubeletLabel(k))).sort();

/** Deterministic JSON (sorted keys) for semantic comparisons. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).filter((k) => (v as Any)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Any)[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}
const emptyToNull = (v: unknown): unknown => (v === undefined || (Array.isArray(v) && v.length === 0) ? null : v);
const equalish = (a: unknown, b: unknown): boolean => canonical(emptyToNull(a)) === canonical(emptyToNull(b));

function hasSecretOrConfigMapRefs(pod: Any): { secrets: boolean; configMaps: boolean } {
  const spec = pod.spec ?? {};
  let secrets = (spec.imagePullSecrets ?? []).some((s: Any) => s?.name);
  let configMaps = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])] as Any[]) {
    for (const e of c.envFrom ?? []) { if (e.secretRef?.name) secrets = true; if (e.configMapRef?.name) configMaps = true; }
    for (const e of c.env ?? []) { if (e.valueFrom?.secretKeyRef?.name) secrets = true; if (e.valueFrom?.configMapKeyRef?.name) configMaps = true; }
  }
  for (const v of spec.volumes ?? []) {
    if (v.secret?.secretName || v.azureFile?.secretName || v.csi?.nodePublishSecretRef?.name) secrets = true;
    for (const k of ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos']) if (v[k]?.secretRef?.name) secrets = true;
    if (v.configMap?.name) configMaps = true;
    for (const s of v.projected?.sources ?? []) { if (s.secret?.name) secrets = true; if (s.configMap?.name) configMaps = true; }
  }
  return { secrets, configMaps };
}

export class NodeRestriction implements AdmissionPlugin {
  readonly name = 'NodeRestriction';
  constructor(private readonly deps: NodeRestrictionDeps) {}

  async admit(a: AdmissionAttributes): Promise<void> {
    if (a.operation === 'CONNECT') return;
    const { isNode, nodeName } = nodeIdentity(a.user);
    if (!isNode) return;
    const refuse = (msg: string): StatusError => {
      const name = a.name || a.object?.metadata?.name || '';
      const qualified = a.resource.group ? `${a.resource.plural}.${a.resource.group}` : a.resource.plural;
      return forbidden(`${qualified}${name ? ` "${name}"` : ''} is forbidden: ${msg}`, { group: a.resource.group, resource: a.resource.plural, name });
    };
    if (!nodeName) throw refuse(`could not determine node from user "${a.user.username}"`);
    switch (`${a.resource.group}/${a.resource.plural}`) {
      case '/pods':
        switch (a.subresource) {
          case '': return this.pod(nodeName, a, refuse);
          case 'status': return this.podStatus(nodeName, a, refuse);
          case 'eviction': return this.podEviction(nodeName, a, refuse);
          default: throw refuse(`unexpected pod subresource "${a.subresource}", only 'status' and 'eviction' are allowed`);
        }
      case '/nodes': return this.node(nodeName, a, refuse);
      case '/persistentvolumeclaims':
        if (a.subresource !== 'status') throw refuse('may only update PVC status');
        return this.pvcStatus(nodeName, a, refuse);
      case '/serviceaccounts': return this.serviceAccount(nodeName, a, refuse);
      case 'coordination.k8s.io/leases':
        if (a.namespace !== NODE_LEASE_NAMESPACE) throw refuse(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
        if ((a.operation === 'CREATE' ? a.object?.metadata?.name : a.name) !== nodeName) throw refuse('can only access node lease with the same name as the requesting node');
        return;
      case 'storage.k8s.io/csinodes':
        if ((a.operation === 'CREATE' ? a.object?.metadata?.name : a.name) !== nodeName) throw refuse('can only access CSINode with the same name as the requesting node');
        return;
    }
  }

  private async existingPod(a: AdmissionAttributes, name: string, refuse: (m: string) => StatusError): Promise<Any> {
    let pod: KubeObject | undefined;
    try { pod = await this.deps.getPod(a.namespace, name); } catch (e) { throw refuse((e as Error).message); }
    if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
    return pod as Any;
  }

  private async pod(nodeName: string, a: AdmissionAttributes, refuse: (m: string) => StatusError): Promise<void> {
    if (a.operation === 'DELETE') {
      const pod = await this.existingPod(a, a.name, refuse);
      if (pod.spec?.nodeName !== nodeName) throw refuse(`node "${nodeName}" can only delete pods with spec.nodeName set to itself`);
      return;
    }
    if (a.operation !== 'CREATE') throw refuse(`unexpected operation "${a.operation}", node "${nodeName}" can only create and delete mirror pods`);
    const pod = a.object as Any;
    if (!(MIRROR_POD_ANNOTATION in (pod.metadata?.annotations ?? {}))) throw refuse(`pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node "${nodeName}" can only create mirror pods`);
    if (pod.spec?.nodeName !== nodeName) throw refuse(`node "${nodeName}" can only create pods with spec.nodeName set to itself`);
    const owners: Any[] = pod.metadata?.ownerReferences ?? [];
    if (owners.length > 1) throw refuse(`node "${nodeName}" can only create pods with a single owner reference set to itself`);
    if (owners.length === 0) throw refuse(`node "${nodeName}" can only create pods with an owner reference set to itself`);
    const owner = owners[0];
    if (owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== nodeName) throw refuse(`node "${nodeName}" can only create pods with an owner reference set to itself`);
    if (owner.controller !== true) throw refuse(`node "${nodeName}" can only create pods with a controller owner reference set to itself`);
    if (owner.blockOwnerDeletion === true) throw refuse(`node "${nodeName}" must not set blockOwnerDeletion on an owner reference`);
    let node: KubeObject | undefined;
    try { node = await this.deps.getNode(nodeName); } catch (e) { throw refuse(`error looking up node ${nodeName} to verify uid: ${(e as Error).message}`); }
    if (!node) throw notFound({ group: '', resource: 'nodes' }, nodeName);
    if (owner.uid !== node.metadata.uid) throw refuse(`node ${nodeName} UID mismatch: expected ${owner.uid} got ${node.metadata.uid}`);
    if (pod.spec?.serviceAccountName) throw refuse(`node "${nodeName}" can not create pods that reference a service account`);
    const refs = hasSecretOrConfigMapRefs(pod);
    if (refs.secrets) throw refuse(`node "${nodeName}" can not create pods that reference secrets`);
    if (refs.configMaps) throw refuse(`node "${nodeName}" can not create pods that reference configmaps`);
    for (const v of pod.spec?.volumes ?? []) for (const s of v.projected?.sources ?? []) {
      if (s.clusterTrustBundle) throw refuse(`node "${nodeName}" can not create pods that reference clustertrustbundles`);
    }
    if ((pod.spec?.volumes ?? []).some((v: Any) => v.persistentVolumeClaim)) throw refuse(`node "${nodeName}" can not create pods that reference persistentvolumeclaims`);
  }

  private podStatus(nodeName: string, a: AdmissionAttributes, refuse: (m: string) => StatusError): void {
    if (a.operation !== 'UPDATE') throw refuse(`unexpected operation "${a.operation}"`);
    const oldPod = a.oldObject as Any;
    const newPod = a.object as Any;
    if (oldPod?.spec?.nodeName !== nodeName) throw refuse(`node "${nodeName}" can only update pod status for pods with spec.nodeName set to itself`);
    if (!equalish(oldPod.metadata?.labels ?? {}, newPod?.metadata?.labels ?? {})) throw refuse(`node "${nodeName}" cannot update labels through pod status`);
    const claims = (p: Any) => (p?.status?.resourceClaimStatuses ?? []).map((s: Any) => ({ name: s.name, claim: s.resourceClaimName ?? null }));
    if (!equalish(claims(oldPod), claims(newPod))) throw refuse(`node "${nodeName}" cannot update resource claim statues`);
  }

  private async podEviction(nodeName: string, a: AdmissionAttributes, refuse: (m: string) => StatusError): Promise<void> {
    if (a.operation !== 'CREATE') throw refuse(`unexpected operation ${a.operation}`);
    const podName = a.name || a.object?.metadata?.name;
    if (!podName) throw refuse('could not determine pod from request data');
    const pod = await this.existingPod(a, podName, refuse);
    if (pod.spec?.nodeName !== nodeName) throw refuse(`node ${nodeName} can only evict pods with spec.nodeName set to itself`);
  }

  private pvcStatus(nodeName: string, a: AdmissionAttributes, refuse: (m: string) => StatusError): void {
    if (a.operation !== 'UPDATE') throw refuse(`unexpected operation "${a.operation}"`);
    const strip = (o: KubeObject | undefined): Any => {
      const c = structuredClone(o ?? {}) as Any;
      if (c.metadata) { delete c.metadata.resourceVersion; delete c.metadata.managedFields; }
      if (c.status) {
        delete c.status.capacity; delete c.status.conditions;
        if (this.deps.expansionRecoveryEnabled) { delete c.status.allocatedResourceStatuses; delete c.status.allocatedResources; }
      }
      return c;
    };
    if (!equalish(strip(a.oldObject), strip(a.object))) throw refuse(`node "${nodeName}" is not allowed to update fields other than status.capacity and status.conditions`);
  }

  private node(nodeName: string, a: AdmissionAttributes, refuse: (m: string) => StatusError): void {
    const requested = a.operation === 'CREATE' && !a.name ? a.object?.metadata?.name ?? '' : a.name;
    if (requested !== nodeName) throw refuse(`node "${nodeName}" is not allowed to modify node "${requested}"`);
    const node = a.object as Any;
    if (a.operation === 'CREATE') {
      if (node?.spec?.configSource) throw refuse(`node "${nodeName}" is not allowed to create pods with a non-nil configSource`);
      const bad = forbiddenLabels(modifiedLabels(node?.metadata?.labels, {}));
      if (bad.length) throw refuse(`node "${nodeName}" is not allowed to set the following labels: ${bad.join(', ')}`);
    }
    if (a.operation === 'UPDATE') {
      const old = a.oldObject as Any;
      if (node?.spec?.configSource && !equalish(node.spec.configSource, old?.spec?.configSource)) throw refuse(`node "${nodeName}" is not allowed to update configSource to a new non-nil configSource`);
      if (!equalish(node?.spec?.taints, old?.spec?.taints)) throw refuse(`node "${nodeName}" is not allowed to modify taints`);
      const bad = forbiddenLabels(modifiedLabels(node?.metadata?.labels, old?.metadata?.labels));
      if (bad.length) throw refuse(`is not allowed to modify labels: ${bad.join(', ')}`);
    }
  }

  private async serviceAccount(nodeName: string, a: AdmissionAttributes, refuse: (m: string) => StatusError): Promise<void> {
    if (a.operation !== 'CREATE' || a.subresource !== 'token') return;
    const ref = (a.object as Any)?.spec?.boundObjectRef;
    if (!ref || ref.apiVersion !== 'v1' || ref.kind !== 'Pod' || !ref.name) throw refuse('node requested token not bound to a pod');
    if (!ref.uid) throw refuse('node requested token with a pod binding without a uid');
    const pod = await this.existingPod(a, ref.name, refuse);
    if (ref.uid !== pod.metadata?.uid) throw refuse(`the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    if (pod.spec?.nodeName !== nodeName) throw refuse('node requested token bound to a pod scheduled on a different node');
  }
}

/** Convenience constructor. */
export const newNodeRestriction = (deps: NodeRestrictionDeps): NodeRestriction => new NodeRestriction(deps);
