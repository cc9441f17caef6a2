/**
 * Pure StatefulSet helpers (upstream pkg/controller/statefulset/stateful_set_utils.go):
 * pod identity (`<set>-<ordinal>`, hostname/subdomain, identity labels), claims from
 * `volumeClaimTemplates`, the revision patch a ControllerRevision stores, and the claim
 * ownerReferences the PVC retention policy asks for.
 */
import type { OwnerReference } from '../../api/object.js';
import type { Pod, PodTemplateSpec, Volume } from '../../api/core/v1/pod-types.js';
import type { StatefulSet } from '../../api/apps/v1/stateful-set.js';
import type { ControllerRevision } from '../../api/apps/v1/controller-revision.js';
import type { PersistentVolumeClaim } from '../../api/core/v1/persistent-volume-claim.js';
import { isPodAvailable, isPodReady } from '../pod-util.js';

/** Pod label with the pod's own name (upstream apps.StatefulSetPodNameLabel). */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** Pod label with the pod's ordinal (upstream apps.PodIndexLabel). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** Pod label with the name of the ControllerRevision the pod was made from (upstream apps.ControllerRevisionHashLabelKey). */
export const REVISION_LABEL = 'controller-revision-hash';

/** First ordinal: `spec.ordinals.start`, default 0. */
export const ordinalStart = (set: StatefulSet): number => Number(set.spec?.ordinals?.start ?? 0) || 0;
/** `spec.replicas`, default 1. */
export const replicasOf = (set: StatefulSet): number => set.spec?.replicas ?? 1;
/** Whether `ordinal` is within [start, start+replicas). */
export const ordinalInRange = (set: StatefulSet, ordinal: number): boolean => ordinal >= ordinalStart(set) && ordinal < ordinalStart(set) + replicasOf(set);

/** `<set>-<ordinal>` (upstream getPodName). */
export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata.name}-${ordinal}`;

/** The ordinal of a pod named `<setName>-<n>`, or -1 when the name is not of that form (upstream getParentNameAndOrdinal). */
export function podOrdinal(setName: string, name: string | undefined): number {
  if (!name || !name.startsWith(`${setName}-`)) return -1;
  const rest = name.slice(setName.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

/** `<claim template name>-<set>-<ordinal>` (upstream getPersistentVolumeClaimName). */
export const claimName = (set: StatefulSet, templateName: string, ordinal: number): string => `${templateName}-${set.metadata.name}-${ordinal}`;

/**
 * The claims a pod of `ordinal` uses, keyed by volume (template) name (upstream
 * getPersistentVolumeClaims): each template copied into the set's namespace, with the
 * selector's matchLabels added to its labels. No ownerReferences here.
 */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, PersistentVolumeClaim> {
  const out = new Map<string, PersistentVolumeClaim>();
  for (const t of (set.spec?.volumeClaimTemplates ?? []) as PersistentVolumeClaim[]) {
    const c = structuredClone(t);
    const volume = t.metadata?.name ?? '';
    out.set(volume, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name: claimName(set, volume, ordinal), namespace: set.metadata.namespace, labels: { ...c.metadata?.labels, ...set.spec?.selector?.matchLabels }, ...(c.metadata?.annotations ? { annotations: c.metadata.annotations } : {}) },
      spec: c.spec ?? {},
    });
  }
  return out;
}

/**
 * A new pod for `ordinal` from the set's template (upstream newStatefulSetPod +
 * updateIdentity + updateStorage): name `<set>-<ordinal>`, controller reference to the
 * set, identity labels, `hostname` = name, `subdomain` = serviceName, and one
 * persistentVolumeClaim volume per claim template (replacing same-named volumes).
 */
export function newStatefulSetPod(set: StatefulSet, ordinal: number, revisionName: string): Pod {
  const t = structuredClone(set.spec?.template ?? {}) as PodTemplateSpec;
  const name = podName(set, ordinal);
  const ref: OwnerReference = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true };
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: set.metadata.namespace,
      labels: { ...t.metadata?.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revisionName },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ...(t.metadata?.finalizers ? { finalizers: t.metadata.finalizers } : {}),
      ownerReferences: [ref],
    },
    spec: { ...t.spec!, hostname: name, ...(set.spec?.serviceName ? { subdomain: set.spec.serviceName } : {}) },
  };
  pod.spec!.volumes = podVolumes(set, ordinal, pod.spec!.volumes);
  return pod;
}

/** The pod's volumes with a claim volume per template first, then the others (upstream updateStorage). */
export function podVolumes(set: StatefulSet, ordinal: number, current: Volume[] | undefined): Volume[] {
  const claims = claimsFor(set, ordinal);
  const vols: Volume[] = [...claims].map(([volume, c]) => ({ name: volume, persistentVolumeClaim: { claimName: c.metadata.name! } }));
  return [...vols, ...(current ?? []).filter((v) => !claims.has(v.name))];
}

/** Upstream identityMatches: name, namespace and the identity labels agree with `ordinal`. */
export function identityMatches(set: StatefulSet, pod: Pod, ordinal: number): boolean {
  const name = podName(set, ordinal);
  return pod.metadata.name === name && pod.metadata.namespace === set.metadata.namespace
    && pod.metadata.labels?.[POD_NAME_LABEL] === name && pod.metadata.labels?.[POD_INDEX_LABEL] === String(ordinal);
}

/** Upstream storageMatches: every claim template is mounted with its claim name. */
export function storageMatches(set: StatefulSet, pod: Pod, ordinal: number): boolean {
  const vols = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v] as const));
  for (const [volume, c] of claimsFor(set, ordinal)) {
    if (vols.get(volume)?.persistentVolumeClaim?.claimName !== c.metadata.name) return false;
  }
  return true;
}

/** The revision name a pod was made from (its `controller-revision-hash` label), or ''. */
export const podRevision = (pod: Pod): string => pod.metadata.labels?.[REVISION_LABEL] ?? '';

/** The pod has been created by the apiserver and given a phase (upstream isCreated). */
export const isCreated = (pod: Pod): boolean => !!pod.status?.phase;
/** Phase Failed (upstream isFailed). */
export const isFailed = (pod: Pod): boolean => pod.status?.phase === 'Failed';
/** Phase Succeeded (upstream isSucceeded). */
export const isSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';
/** Has a deletionTimestamp (upstream isTerminating). */
export const isTerminating = (pod: Pod): boolean => !!pod.metadata.deletionTimestamp;
/** Phase Running and the Ready condition True (upstream isRunningAndReady). */
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
/** Running and Ready for at least `minReadySeconds` at `now` ms (upstream isRunningAndAvailable). */
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, now: number): boolean => pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now);
/** Running, Ready (and available when `minReadySeconds` > 0) and not terminating (upstream isHealthy + availability). */
export const isHealthy = (pod: Pod, minReadySeconds: number, now: number): boolean => isRunningAndAvailable(pod, minReadySeconds, now) && !isTerminating(pod);

/**
 * The patch a StatefulSet ControllerRevision stores (upstream getPatch):
 * `{spec: {template: {...template, $patch: 'replace'}}}`.
 */
export const revisionData = (set: StatefulSet): { spec: { template: Record<string, unknown> } } =>
  ({ spec: { template: { ...structuredClone(set.spec?.template ?? {}), $patch: 'replace' } } });

/** The set with its template replaced by the one stored in `revision` (upstream ApplyRevision). */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const t = structuredClone(revision.data?.spec?.template ?? {});
  delete t.$patch;
  return { ...set, spec: { ...set.spec, template: t } };
}

/** A non-controller ownerReference as the retention policy sets on claims (upstream setOwnerRef). */
export interface ClaimOwner { apiVersion: string; kind: string; name: string; uid: string }

/**
 * The ownerReferences a pod's claim should carry under
 * `persistentVolumeClaimRetentionPolicy` (upstream updateClaimOwnerRefForSetAndPod):
 * whenDeleted=Delete → the set owns the claim while the pod's ordinal is in range;
 * whenScaled=Delete → the pod owns the claim once its ordinal is scaled away (and the
 * set's reference is dropped). Other references on the claim are kept. Returns the new
 * list, or undefined when nothing changes.
 */
export function claimOwnerRefs(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod, ordinal: number): OwnerReference[] | undefined {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const deleteOnSetDelete = policy.whenDeleted === 'Delete';
  const deleteOnScale = policy.whenScaled === 'Delete';
  const scaledDown = !ordinalInRange(set, ordinal);
  const setRef: ClaimOwner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid! };
  const podRef: ClaimOwner = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid! };
  let wantSet = false; let wantPod = false;
  if (deleteOnScale && scaledDown) wantPod = true;
  else if (deleteOnSetDelete) wantSet = true;
  const current = claim.metadata.ownerReferences ?? [];
  // References to this set or pod by name with a stale uid go too.
  const others = current.filter((r: OwnerReference) => !(r.kind === 'StatefulSet' && r.name === setRef.name) && !(r.kind === 'Pod' && r.name === podRef.name));
  const next: OwnerReference[] = [...others, ...(wantSet ? [setRef] : []), ...(wantPod ? [podRef] : [])];
  const key = (rs: OwnerReference[]) => JSON.stringify(rs.map((r) => [r.kind, r.name, r.uid]).sort());
  return key(next) === key(current) ? undefined : next;
}
