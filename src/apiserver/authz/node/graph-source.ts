/**
 * What the Node authorizer needs to know about the cluster (upstream keeps an in-memory
 * graph fed by informers, plugin/pkg/auth/authorizer/node/graph.go; here a pull-based
 * source). The relationships are upstream's:
 *   node <- pod (spec.nodeName) <- secret | configmap | serviceaccount | pvc <- pv <- secret
 *   node <- pod <- resourceclaim;  node <- volumeattachment;  node <- resourceslice
 * `podRefs` extracts a pod's edges as upstream's graph_populator/graph.AddPod does.
 */
import type { KubeObject } from '../../../api/object.js';

/** What a pod bound to the node references, all in the pod's namespace. */
export interface NodePodRefs {
  namespace: string;
  name: string;
  serviceAccountName?: string;
  secrets: string[];
  configMaps: string[];
  persistentVolumeClaims: string[];
  resourceClaims: string[];
}

/** A PersistentVolume bound to a claim, with the secrets its source references. */
export interface PersistentVolumeRefs { name: string; secrets: Array<{ namespace: string; name: string }> }

/**
 * The lookups (sync or async). Optional members default to "nothing known". `nodeExists`
 * answers whether the graph knows the node at all (upstream: "unknown node").
 */
export interface NodeGraphSource {
  nodeExists(nodeName: string): boolean | Promise<boolean>;
  podsOnNode(nodeName: string): NodePodRefs[] | Promise<NodePodRefs[]>;
  persistentVolumeForClaim?(namespace: string, claimName: string): PersistentVolumeRefs | undefined | Promise<PersistentVolumeRefs | undefined>;
  volumeAttachmentsOnNode?(nodeName: string): string[] | Promise<string[]>;
  resourceSlicesOnNode?(nodeName: string): string[] | Promise<string[]>;
}

type Any = Record<string, any>;
const push = (set: Set<string>, v: unknown): void => { if (typeof v === 'string' && v) set.add(v); };

/** The secrets, configmaps, PVCs, resource claims and service account of a Pod object (upstream VisitPodSecretNames, VisitPodConfigmapNames, graph.AddPod). */
export function podRefs(pod: KubeObject): NodePodRefs {
  const spec: Any = (pod as Any).spec ?? {};
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  const pvcs = new Set<string>();
  const claims = new Set<string>();
  for (const s of spec.imagePullSecrets ?? []) push(secrets, s.name);
  const containers: Any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    for (const e of c.envFrom ?? []) { push(secrets, e.secretRef?.name); push(configMaps, e.configMapRef?.name); }
    for (const e of c.env ?? []) { push(secrets, e.valueFrom?.secretKeyRef?.name); push(configMaps, e.valueFrom?.configMapKeyRef?.name); }
  }
  for (const v of spec.volumes ?? []) {
    push(secrets, v.secret?.secretName);
    push(configMaps, v.configMap?.name);
    for (const src of v.projected?.sources ?? []) { push(secrets, src.secret?.name); push(configMaps, src.configMap?.name); }
    push(secrets, v.azureFile?.secretName);
    for (const k of ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos']) push(secrets, v[k]?.secretRef?.name);
    push(secrets, v.csi?.nodePublishSecretRef?.name);
    push(pvcs, v.persistentVolumeClaim?.claimName);
    if (v.ephemeral) push(pvcs, `${pod.metadata.name}-${v.name}`);
  }
  for (const s of (pod as Any).status?.resourceClaimStatuses ?? []) push(claims, s.resourceClaimName);
  return {
    namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '',
    serviceAccountName: spec.serviceAccountName || undefined,
    secrets: [...secrets], configMaps: [...configMaps], persistentVolumeClaims: [...pvcs], resourceClaims: [...claims],
  };
}

/** The PersistentVolume of `pvs` bound to claim `ns/claim`, with the secrets its source references (upstream graph.AddPV). */
export function persistentVolumeForClaim(pvs: KubeObject[], ns: string, claim: string): PersistentVolumeRefs | undefined {
  const pv = pvs.find((v) => (v as Any).spec?.claimRef?.namespace === ns && (v as Any).spec?.claimRef?.name === claim) as Any | undefined;
  if (!pv) return undefined;
  const secrets: Array<{ namespace: string; name: string }> = [];
  for (const src of Object.values(pv.spec ?? {}) as Any[]) {
    const ref = src?.secretRef ?? src?.nodePublishSecretRef ?? src?.nodeStageSecretRef ?? src?.controllerExpandSecretRef ?? src?.nodeExpandSecretRef;
    if (ref?.name) secrets.push({ namespace: ref.namespace ?? ns, name: ref.name });
  }
  return { name: pv.metadata.name, secrets };
}

/** Current objects, e.g. from informer stores. */
export interface GraphObjects {
  nodes(): KubeObject[];
  pods(): KubeObject[];
  persistentVolumes?(): KubeObject[];
  volumeAttachments?(): KubeObject[];
  resourceSlices?(): KubeObject[];
}

/** A NodeGraphSource over object lists (informer caches): scans on each lookup. */
export function objectsGraphSource(objs: GraphObjects): NodeGraphSource {
  return {
    nodeExists: (n) => objs.nodes().some((o) => o.metadata.name === n) || objs.pods().some((p) => (p as Any).spec?.nodeName === n),
    podsOnNode: (n) => objs.pods().filter((p) => (p as Any).spec?.nodeName === n).map(podRefs),
    persistentVolumeForClaim: (ns, claim) => persistentVolumeForClaim(objs.persistentVolumes?.() ?? [], ns, claim),
    volumeAttachmentsOnNode: (n) => (objs.volumeAttachments?.() ?? []).filter((v) => (v as Any).spec?.nodeName === n).map((v) => v.metadata.name!),
    resourceSlicesOnNode: (n) => (objs.resourceSlices?.() ?? []).filter((v) => (v as Any).spec?.nodeName === n).map((v) => v.metadata.name!),
  };
}
