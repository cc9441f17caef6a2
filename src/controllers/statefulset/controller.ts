/**
 * StatefulSet controller (upstream pkg/controller/statefulset: stateful_set.go,
 * stateful_set_control.go, stateful_pod_control.go): pods with stable identities
 * `<set>-<ordinal>` and their PersistentVolumeClaims, created/deleted in ordinal order
 * (OrderedReady) or all at once (Parallel), rolled to the newest ControllerRevision of
 * the template (RollingUpdate with partition, or OnDelete), claim ownerReferences kept
 * in line with `persistentVolumeClaimRetentionPolicy`, and status written back.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { OwnerReference } from '../../api/object.js';
import { type StatefulSet } from '../../api/apps/v1/stateful-set.js';
import type { ControllerRevision } from '../../api/apps/v1/controller-revision.js';
import { type PersistentVolumeClaim } from '../../api/core/v1/persistent-volume-claim.js';
import { isAlreadyExists, isNotFound } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { resources, type Client } from '../../client/interface.js';
import { type SharedInformerFactory, type SharedIndexInformer, splitMetaNamespaceKey, metaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { controllerRef, QueueController } from '../controller.js';
import { claimRevisions, createControllerRevision, findEqualRevisions, newControllerRevision, nextRevision, ownedRevisions, sortControllerRevisions, truncateHistory, updateControllerRevisionNumber, type RevisionParent } from '../history/controller-history.js';
import {
  applyRevision, claimOwnerRefs, claimsFor, identityMatches, isCreated, isFailed, isHealthy, isRunningAndAvailable,
  isRunningAndReady, isSucceeded, isTerminating, newStatefulSetPod, ordinalStart, podOrdinal, podRevision,
  POD_INDEX_LABEL, POD_NAME_LABEL, replicasOf, revisionData,
} from './stateful-set-utils.js';

/** Client address of apps/v1 statefulsets. */
/** Client address of v1 persistentvolumeclaims. */

/** Options: the event source component (default `statefulset-controller`). */
export interface StatefulSetControllerOptions { component?: string }

/** The status fields this controller owns (apps/v1 StatefulSetStatus). */
export interface StatefulSetStatus {
  observedGeneration?: number; replicas: number; readyReplicas: number; currentReplicas: number; updatedReplicas: number;
  availableReplicas: number; currentRevision: string; updateRevision: string; collisionCount?: number;
}

/** Reconciles StatefulSets; register as `statefulset`. */
export class StatefulSetController extends QueueController {
  private readonly setInformer: SharedIndexInformer<StatefulSet>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly revisionInformer: SharedIndexInformer<ControllerRevision>;
  private readonly claimInformer: SharedIndexInformer<PersistentVolumeClaim>;
  private readonly recorder: EventRecorder;

  constructor(private readonly client: Client, informers: SharedInformerFactory, opts: StatefulSetControllerOptions = {}) {
    super('statefulset', informers);
    this.recorder = createEventRecorder(client, { component: opts.component ?? 'statefulset-controller' });
    this.setInformer = informers.forResource<StatefulSet>(resources.statefulsets);
    this.podInformer = informers.forResource<Pod>(resources.pods);
    this.revisionInformer = informers.forResource<ControllerRevision>(resources.controllerrevisions);
    this.claimInformer = informers.forResource<PersistentVolumeClaim>(resources.persistentvolumeclaims);
    this.setInformer.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n), onDelete: this.enqueue });
    const onPod = (p: Pod): void => {
      const ref = controllerRef(p);
      if (ref) { if (ref.kind === 'StatefulSet') this.queue.add(`${p.metadata.namespace}/${ref.name}`); return; }
      // An orphan: a set whose selector matches may adopt it.
      for (const s of this.setInformer.lister.list({ namespace: p.metadata.namespace })) {
        if (selectorFromLabelSelector(s.spec?.selector).matches(p.metadata.labels)) this.enqueue(s);
      }
    };
    this.podInformer.addEventHandler({
      onAdd: onPod,
      onUpdate: (old, p) => { const a = controllerRef(old); if (a && a.uid !== controllerRef(p)?.uid) onPod(old); onPod(p); },
      onDelete: (o) => onPod(unwrapTombstone(o)),
    });
    const onRevision = (r: ControllerRevision): void => { const ref = controllerRef(r); if (ref?.kind === 'StatefulSet') this.queue.add(`${r.metadata.namespace}/${ref.name}`); };
    this.revisionInformer.addEventHandler({ onAdd: onRevision, onUpdate: (_o, n) => onRevision(n), onDelete: (o) => onRevision(unwrapTombstone(o)) });
    // A deleted claim of a pending pod is created again: find the set by the claim's name.
    this.claimInformer.addEventHandler({ onDelete: (o) => {
      const c = unwrapTombstone(o);
      for (const s of this.setInformer.lister.list({ namespace: c.metadata.namespace })) {
        for (const t of (s.spec?.volumeClaimTemplates ?? []) as PersistentVolumeClaim[]) {
          if (podOrdinal(`${t.metadata?.name}-${s.metadata.name}`, c.metadata.name) >= 0) { this.enqueue(s); return; }
        }
      }
    } });
  }

  protected async sync(key: string): Promise<void> {
    const set = this.setInformer.lister.get(key);
    if (!set) return;
    const { namespace } = splitMetaNamespaceKey(key);
    const pods = await this.claimPods(set, namespace);
    const revisions = await this.claimRevisions(set, namespace);
    const collisionCount = { value: set.status?.collisionCount ?? 0 };
    const { current, update } = await this.revisionsOf(set, revisions, collisionCount);
    let status: StatefulSetStatus;
    if (set.metadata.deletionTimestamp) status = this.statusOf(set, pods, current, update);
    else status = await this.updateStatefulSet(set, pods, current, update);
    status.collisionCount = collisionCount.value;
    status.observedGeneration = set.metadata.generation;
    completeRollingUpdate(set, status);
    await this.writeStatus(set, status);
    // History: every revision a pod still runs, and current/update, are kept.
    const live = new Set([current.metadata.name!, update.metadata.name!, ...pods.map(podRevision).filter(Boolean)]);
    const all = revisions.some((r) => r.metadata.name === update.metadata.name) ? revisions : [...revisions, update];
    await truncateHistory(this.client, all, live, set.spec?.revisionHistoryLimit ?? 10);
  }

  /** Owned pods; orphans matching the selector and named `<set>-<n>` adopted, owned ones not matching released (upstream ClaimPods + isMemberOf). */
  private async claimPods(set: StatefulSet, namespace: string): Promise<Pod[]> {
    const selector = selectorFromLabelSelector(set.spec?.selector);
    const api = this.client.resource<Pod>(resources.pods);
    const owned: Pod[] = [];
    for (const p of this.podInformer.lister.list({ namespace })) {
      const ref = controllerRef(p);
      const member = podOrdinal(set.metadata.name!, p.metadata.name) >= 0;
      if (ref?.uid === set.metadata.uid) {
        if (selector.matches(p.metadata.labels) && member) owned.push(p);
        else if (!set.metadata.deletionTimestamp) {
          await api.patch(p.metadata.name!, { metadata: { ownerReferences: [{ $patch: 'delete', uid: set.metadata.uid }], uid: p.metadata.uid } }, 'application/strategic-merge-patch+json', { namespace }).catch((e) => { if (!isNotFound(e)) throw e; });
        }
      } else if (!ref && member && !p.metadata.deletionTimestamp && selector.matches(p.metadata.labels) && !set.metadata.deletionTimestamp) {
        try {
          owned.push(await api.patch(p.metadata.name!, { metadata: { ownerReferences: [this.setRef(set)], uid: p.metadata.uid } }, 'application/strategic-merge-patch+json', { namespace }));
        } catch (e) { if (!isNotFound(e)) throw e; }
      }
    }
    return owned;
  }

  /** Owned revisions plus orphans whose labels match the selector, adopted (upstream adoptOrphanRevisions). */
  private async claimRevisions(set: StatefulSet, namespace: string): Promise<ControllerRevision[]> {
    const all = this.revisionInformer.lister.list({ namespace });
    if (set.metadata.deletionTimestamp) return ownedRevisions(all, set);
    return claimRevisions(this.client, all, set, selectorFromLabelSelector(set.spec?.selector), this.setRef(set));
  }

  private setRef(set: StatefulSet): OwnerReference {
    return { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true };
  }

  /**
   * Upstream getStatefulSetRevisions: the update revision is the template's (an equal
   * existing one is reused, renumbered when not the latest; otherwise created); the
   * current one is `status.currentRevision`, or the update revision when absent.
   */
  private async revisionsOf(set: StatefulSet, revisions: ControllerRevision[], collisionCount: { value: number }): Promise<{ current: ControllerRevision; update: ControllerRevision }> {
    const sorted = sortControllerRevisions(revisions);
    const owner: RevisionParent = { parent: set, apiVersion: 'apps/v1', kind: 'StatefulSet' };
    const wanted = newControllerRevision(owner, set.spec?.template?.metadata?.labels, revisionData(set), nextRevision(sorted), collisionCount.value);
    wanted.metadata.annotations = set.metadata.annotations ? { ...set.metadata.annotations } : undefined;
    if (!wanted.metadata.annotations) delete wanted.metadata.annotations;
    const equal = findEqualRevisions(sorted, wanted);
    let update: ControllerRevision;
    if (equal.length > 0 && equal[equal.length - 1] === sorted[sorted.length - 1]) update = equal[equal.length - 1];
    else if (equal.length > 0) update = await updateControllerRevisionNumber(this.client, equal[equal.length - 1], wanted.revision);
    else update = await createControllerRevision(this.client, owner, wanted, collisionCount);
    const current = sorted.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update };
  }

  /** Upstream status counting over the owned pods. */
  private statusOf(set: StatefulSet, pods: Pod[], current: ControllerRevision, update: ControllerRevision): StatefulSetStatus {
    const now = Date.now();
    const minReady = set.spec?.minReadySeconds ?? 0;
    const s: StatefulSetStatus = { replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0, currentRevision: current.metadata.name!, updateRevision: update.metadata.name! };
    for (const p of pods) {
      if (isCreated(p)) s.replicas++;
      if (isRunningAndReady(p)) s.readyReplicas++;
      if (isRunningAndAvailable(p, minReady, now)) s.availableReplicas++;
      if (isCreated(p) && !isTerminating(p)) {
        if (podRevision(p) === s.currentRevision) s.currentReplicas++;
        if (podRevision(p) === s.updateRevision) s.updatedReplicas++;
      }
    }
    return s;
  }

  /**
   * Upstream updateStatefulSet: one pass over the ordinals. Returns the status of the
   * pods seen at the start of the pass, adjusted for the pods this pass created or
   * deleted (later passes, driven by pod events, recount from the cache).
   */
  private async updateStatefulSet(set: StatefulSet, pods: Pod[], currentRev: ControllerRevision, updateRev: ControllerRevision): Promise<StatefulSetStatus> {
    const status = this.statusOf(set, pods, currentRev, updateRev);
    const currentSet = applyRevision(set, currentRev);
    const updateSet = applyRevision(set, updateRev);
    const start = ordinalStart(set);
    const count = replicasOf(set);
    const replicas: Array<Pod | undefined> = new Array(count).fill(undefined);
    const condemned: Pod[] = [];
    for (const p of pods) {
      const ord = podOrdinal(set.metadata.name!, p.metadata.name);
      if (ord >= start && ord < start + count) replicas[ord - start] = p;
      else condemned.push(p);
    }
    condemned.sort((a, b) => podOrdinal(set.metadata.name!, b.metadata.name) - podOrdinal(set.metadata.name!, a.metadata.name));
    const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    const minReady = set.spec?.minReadySeconds ?? 0;
    const now = Date.now();
    const partition = set.spec?.updateStrategy?.type === 'OnDelete' ? undefined : (set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0);
    const firstUnhealthy = [...replicas, ...condemned].find((p) => p && !isHealthy(p, minReady, now));
    const key = metaNamespaceKey(set);

    // Replicas, lowest ordinal first.
    for (let i = 0; i < count; i++) {
      const ordinal = start + i;
      let pod = replicas[i];
      if (pod && (isFailed(pod) || isSucceeded(pod)) && !isTerminating(pod)) {
        const failed = isFailed(pod);
        this.recorder.event(set, 'Warning', failed ? 'RecreatingFailedPod' : 'RecreatingTerminatedPod', `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating ${failed ? 'failed' : 'terminated'} Pod ${pod.metadata.name}`);
        await this.deletePod(set, pod);
        // As upstream, the pass's status no longer counts the deleted pod.
        status.replicas--;
        if (podRevision(pod) === status.currentRevision) status.currentReplicas--;
        if (podRevision(pod) === status.updateRevision) status.updatedReplicas--;
        if (monotonic) return status;
        continue;
      }
      if (!pod) {
        // Ordinals below the partition stay on the current revision (upstream newVersionedStatefulSetPod).
        const useCurrent = partition !== undefined && ordinal < partition;
        pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal, (useCurrent ? currentRev : updateRev).metadata.name!);
        await this.createPod(set, pod, ordinal);
        // ...and counts the created one, so a rollout is not complete while it is missing.
        status.replicas++;
        if (podRevision(pod) === status.currentRevision) status.currentReplicas++;
        if (podRevision(pod) === status.updateRevision) status.updatedReplicas++;
        if (monotonic) return status;
        continue;
      }
      // A pending pod whose claims were deleted gets them back (upstream isPending branch).
      if (pod.status?.phase === 'Pending' && !isTerminating(pod)) await this.createMissingClaims(set, pod, ordinal);
      if (isTerminating(pod)) { if (monotonic) return status; continue; }
      if (!isRunningAndReady(pod)) { if (monotonic) return status; }
      else if (!isRunningAndAvailable(pod, minReady, now)) { this.requeueForAvailability(key, pod, minReady, now); if (monotonic) return status; }
      if (!identityMatches(set, pod, ordinal)) await this.fixIdentity(pod, ordinal);
      await this.fixClaimOwners(set, pod, ordinal);
    }

    // Claims of condemned pods get their retention owners before the pods go.
    for (const p of condemned) await this.fixClaimOwners(set, p, podOrdinal(set.metadata.name!, p.metadata.name));
    // Scale down, highest ordinal first.
    for (const p of condemned) {
      if (isTerminating(p)) { if (monotonic) return status; continue; }
      if (monotonic && p !== firstUnhealthy && !isRunningAndReady(p)) return status;
      await this.deletePod(set, p);
      if (monotonic) return status;
    }

    // Rolling update, highest ordinal first, one at a time.
    if (partition === undefined) return status;
    for (let i = count - 1; i >= Math.max(0, partition); i--) {
      const p = replicas[i];
      if (!p) continue;
      if (podRevision(p) !== updateRev.metadata.name && !isTerminating(p)) {
        await this.deletePod(set, p);
        if (podRevision(p) === status.currentRevision) status.currentReplicas--;
        return status;
      }
      if (!isHealthy(p, minReady, now)) return status;
    }
    return status;
  }

  private requeueForAvailability(key: string, pod: Pod, minReady: number, now: number): void {
    const since = Date.parse((pod.status?.conditions ?? []).find((c) => c.type === 'Ready')?.lastTransitionTime ?? '') || now;
    this.queue.addAfter(key, Math.max(100, since + minReady * 1000 - now + 50));
  }

  /** Claims first (kept when they exist), then the pod (upstream CreateStatefulPod); events as upstream's recordPodEvent/recordClaimEvent. */
  private async createPod(set: StatefulSet, pod: Pod, ordinal: number): Promise<void> {
    await this.createMissingClaims(set, pod, ordinal);
    try {
      await this.client.resource<Pod>(resources.pods).create(pod, { namespace: pod.metadata.namespace });
      this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (e) {
      // The cache is behind: the pod's add event brings the next pass.
      if (isAlreadyExists(e)) return;
      this.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Creates the pod's claims that do not exist (upstream createPersistentVolumeClaims); one being deleted is an error to retry. */
  private async createMissingClaims(set: StatefulSet, pod: Pod, ordinal: number): Promise<void> {
    const claimsApi = this.client.resource<PersistentVolumeClaim>(resources.persistentvolumeclaims);
    for (const claim of claimsFor(set, ordinal).values()) {
      const existing = this.claimInformer.lister.get(`${claim.metadata.namespace}/${claim.metadata.name}`);
      if (existing?.metadata.deletionTimestamp) throw new Error(`pvc ${claim.metadata.name} is being deleted`);
      if (existing) continue;
      const refs = claimOwnerRefs(claim, set, pod, ordinal);
      if (refs) claim.metadata.ownerReferences = refs;
      try {
        await claimsApi.create(claim, { namespace: claim.metadata.namespace });
        this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
      } catch (e) {
        if (isAlreadyExists(e)) continue;
        this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`);
        throw e;
      }
    }
  }

  private async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.client.resource<Pod>(resources.pods).delete(pod.metadata.name!, { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } });
      this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (e) {
      if (isNotFound(e)) return;
      this.recorder.event(set, 'Warning', 'FailedDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Restores the identity labels (upstream UpdateStatefulPod; the spec of a pod cannot change). */
  private async fixIdentity(pod: Pod, ordinal: number): Promise<void> {
    await this.client.resource<Pod>(resources.pods).patch(pod.metadata.name!, { metadata: { labels: { [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) } } }, 'application/merge-patch+json', { namespace: pod.metadata.namespace })
      .catch((e) => { if (!isNotFound(e)) throw e; });
  }

  /** Sets the retention-policy ownerReferences on the pod's existing claims (upstream UpdatePodClaimForRetentionPolicy). */
  private async fixClaimOwners(set: StatefulSet, pod: Pod, ordinal: number): Promise<void> {
    const api = this.client.resource<PersistentVolumeClaim>(resources.persistentvolumeclaims);
    for (const want of claimsFor(set, ordinal).values()) {
      const claim = this.claimInformer.lister.get(`${want.metadata.namespace}/${want.metadata.name}`);
      if (!claim || claim.metadata.deletionTimestamp) continue;
      const refs = claimOwnerRefs(claim, set, pod, ordinal);
      if (!refs) continue;
      // An update of the cached claim, as upstream's (the statefulset-controller role may update claims, not patch them).
      await api.update({ ...claim, metadata: { ...claim.metadata, ownerReferences: refs } })
        .catch((e) => { if (!isNotFound(e)) throw e; });
    }
  }

  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    const next = { ...set.status, ...status };
    if (JSON.stringify(next) === JSON.stringify(set.status ?? {})) return;
    try {
      await this.client.resource<StatefulSet>(resources.statefulsets).update({ ...set, status: next }, { subresource: 'status' });
    } catch (e) { if (!isNotFound(e)) throw e; }
  }
}

/**
 * Upstream completeRollingUpdate: under RollingUpdate, once every pod is updated and
 * ready, the update revision becomes the current one.
 */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): void {
  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}
