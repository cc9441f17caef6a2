/**
 * ReplicaSet controller (upstream pkg/controller/replicaset/replica_set.go): keeps
 * `spec.replicas` active pods matching the selector — adopting matching orphans,
 * releasing owned pods that stopped matching, creating from the template in slow-start
 * batches, deleting the lowest-ranked surplus — and reports status.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { ReplicaSet } from '../../api/apps/v1/types.js';
import { rfc3339 } from '../../machinery/time.js';
import { isNotFound } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { resources, type Client, type ResourceRef } from '../../client/interface.js';
import { type SharedInformerFactory, type SharedIndexInformer, splitMetaNamespaceKey, metaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { controllerRef, QueueController } from '../controller.js';
import { Expectations } from '../expectations.js';
import { isPodActive, isPodAvailable, isPodReady, ownerRefTo, podFromTemplate, rankForDeletion } from '../pod-util.js';

const BURST = 500;

/**
 * The kind a ReplicaSetController keeps (upstream runs ReplicationControllers through the
 * ReplicaSet controller with an adapter, pkg/controller/replication): its resource, its
 * apiVersion for ownerReferences, and its selector as a label selector (an RC's
 * `spec.selector` is a plain label map).
 */
interface ReplicatedKind { kind: 'ReplicaSet' | 'ReplicationController'; apiVersion: string; ref: ResourceRef; selector(obj: ReplicaSet): ReturnType<typeof selectorFromLabelSelector> }

const REPLICA_SET: ReplicatedKind = { kind: 'ReplicaSet', apiVersion: 'apps/v1', ref: resources.replicasets, selector: (rs) => selectorFromLabelSelector(rs.spec?.selector) };
const REPLICATION_CONTROLLER: ReplicatedKind = {
  kind: 'ReplicationController', apiVersion: 'v1', ref: resources.replicationcontrollers,
  selector: (rc) => selectorFromLabelSelector({ matchLabels: (rc.spec?.selector ?? {}) as unknown as Record<string, string> }),
};

export class ReplicaSetController extends QueueController {
  private readonly rsInformer: SharedIndexInformer<ReplicaSet>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly expectations = new Expectations();
  private readonly recorder: EventRecorder;

  constructor(private readonly client: Client, informers: SharedInformerFactory, private readonly k: ReplicatedKind = REPLICA_SET) {
    super(k.kind === 'ReplicaSet' ? 'replicaset' : 'replicationcontroller', informers);
    this.recorder = createEventRecorder(client, { component: k.kind === 'ReplicaSet' ? 'replicaset-controller' : 'replication-controller' });
    this.rsInformer = informers.forResource<ReplicaSet>(k.ref);
    this.podInformer = informers.forResource<Pod>(resources.pods);
    this.podInformer.addIndexers({ controllerUID: (p) => { const r = controllerRef(p); return r ? [r.uid] : []; } });
    this.rsInformer.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n), onDelete: this.enqueue });
    this.podInformer.addEventHandler({
      onAdd: (p) => { const rs = this.ownerOf(p); if (rs) { this.expectations.creationObserved(metaNamespaceKey(rs)); this.enqueue(rs); } else this.enqueueMatching(p); },
      onUpdate: (old, p) => {
        const a = this.ownerOf(old); const b = this.ownerOf(p);
        if (a && a !== b) this.enqueue(a);
        if (b) this.enqueue(b); else this.enqueueMatching(p);
        if (p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp && b) this.expectations.deletionObserved(metaNamespaceKey(b));
      },
      onDelete: (o) => { const p = unwrapTombstone(o); const rs = this.ownerOf(p); if (rs) { this.expectations.deletionObserved(metaNamespaceKey(rs)); this.enqueue(rs); } },
    });
  }

  private ownerOf(p: Pod): ReplicaSet | undefined {
    const ref = controllerRef(p);
    if (!ref || ref.kind !== this.k.kind) return undefined;
    const rs = this.rsInformer.lister.get(`${p.metadata.namespace}/${ref.name}`);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }
  private enqueueMatching(p: Pod): void {
    for (const rs of this.rsInformer.lister.list({ namespace: p.metadata.namespace })) {
      if (this.k.selector(rs).matches(p.metadata.labels)) this.enqueue(rs);
    }
  }

  protected async sync(key: string): Promise<void> {
    const rs = this.rsInformer.lister.get(key);
    if (!rs) { this.expectations.delete(key); return; }
    const { namespace } = splitMetaNamespaceKey(key);
    const selector = this.k.selector(rs);
    const pods = this.client.resource<Pod>(resources.pods);
    const owned: Pod[] = [];
    for (const p of this.podInformer.lister.list({ namespace })) {
      const ref = controllerRef(p);
      if (ref?.uid === rs.metadata.uid) {
        if (selector.matches(p.metadata.labels)) owned.push(p);
        else if (!rs.metadata.deletionTimestamp) {
          await pods.patch(p.metadata.name!, { metadata: { ownerReferences: [{ $patch: 'delete', uid: rs.metadata.uid }], uid: p.metadata.uid } }, 'application/strategic-merge-patch+json', { namespace }).catch((e) => { if (!isNotFound(e)) throw e; });
        }
      } else if (!ref && !p.metadata.deletionTimestamp && isPodActive(p) && selector.matches(p.metadata.labels) && !rs.metadata.deletionTimestamp) {
        try {
          const adopted = await pods.patch(p.metadata.name!, { metadata: { ownerReferences: [ownerRefTo(rs, this.k.apiVersion, this.k.kind)], uid: p.metadata.uid } }, 'application/strategic-merge-patch+json', { namespace });
          owned.push(adopted);
        } catch (e) { if (!isNotFound(e)) throw e; }
      }
    }
    const active = owned.filter(isPodActive);
    // A failure to create or delete pods is reported in status (ReplicaFailure), then retried.
    let manageErr: { reason: 'FailedCreate' | 'FailedDelete'; error: unknown } | undefined;
    if (this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(rs, active, key, namespace);
      } catch (error) {
        manageErr = { reason: active.length < (rs.spec?.replicas ?? 1) ? 'FailedCreate' : 'FailedDelete', error };
      }
    }
    await this.updateStatus(rs, active, selector, manageErr);
    if (manageErr) throw manageErr.error;
  }

  /**
   * Creates or deletes pods toward `spec.replicas` (upstream manageReplicas): at most
   * BURST per sync, creations in slow-start batches. Throws the first API error.
   */
  private async manageReplicas(rs: ReplicaSet, active: Pod[], key: string, namespace: string): Promise<void> {
    const pods = this.client.resource<Pod>(resources.pods);
    const diff = active.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      const want = Math.min(-diff, BURST);
      this.expectations.expect(key, want, 0);
      let created = 0;
      // Slow start: 1, 2, 4, ... so a failing template does not flood the apiserver.
      for (let batch = 1; created < want; batch *= 2) {
        const n = Math.min(batch, want - created);
        const results = await Promise.allSettled(Array.from({ length: n }, () =>
          pods.create(podFromTemplate(rs.spec!.template!, namespace, `${rs.metadata.name}-`, ownerRefTo(rs, this.k.apiVersion, this.k.kind)), { namespace })));
        for (const r of results) {
          if (r.status === 'fulfilled') this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
          else { this.expectations.creationObserved(key); this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(r.reason as Error).message}`); }
        }
        created += n;
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) { for (let i = created; i < want; i++) this.expectations.creationObserved(key); throw (failed as PromiseRejectedResult).reason; }
      }
    } else if (diff > 0) {
      const victims = rankForDeletion(active).slice(0, Math.min(diff, BURST));
      this.expectations.expect(key, 0, victims.length);
      await Promise.all(victims.map(async (p) => {
        try {
          await pods.delete(p.metadata.name!, { namespace, preconditions: { uid: p.metadata.uid } });
          this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (e) { this.expectations.deletionObserved(key); if (!isNotFound(e)) throw e; }
      }));
    }
  }

  /**
   * Writes the status (upstream calculateStatus): counts, observedGeneration, and the
   * ReplicaFailure condition — set (reason FailedCreate/FailedDelete, the API's error as
   * message) when managing pods failed and it is not there yet, removed once it succeeds.
   */
  private async updateStatus(rs: ReplicaSet, active: Pod[], selector: ReturnType<typeof selectorFromLabelSelector>, manageErr?: { reason: string; error: unknown }): Promise<void> {
    const now = Date.now();
    const conditions = [...((rs.status?.conditions ?? []) as Array<{ type: string }>)];
    const failureAt = conditions.findIndex((c) => c.type === 'ReplicaFailure');
    if (manageErr && failureAt < 0) {
      conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(), reason: manageErr.reason, message: (manageErr.error as Error)?.message ?? String(manageErr.error) } as { type: string });
    } else if (!manageErr && failureAt >= 0) conditions.splice(failureAt, 1);
    const templateLabels = selectorFromLabelSelector({ matchLabels: rs.spec?.template?.metadata?.labels ?? {} });
    const status = {
      ...rs.status,
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => templateLabels.matches(p.metadata.labels)).length,
      readyReplicas: active.filter(isPodReady).length,
      availableReplicas: active.filter((p) => isPodAvailable(p, rs.spec?.minReadySeconds ?? 0, now)).length,
      observedGeneration: rs.metadata.generation,
      ...(conditions.length ? { conditions } : {}),
    };
    if (!conditions.length) delete (status as { conditions?: unknown }).conditions;
    void selector;
    const same = JSON.stringify(status) === JSON.stringify(rs.status);
    if (same) return;
    try {
      await this.client.resource<ReplicaSet>(this.k.ref).update({ ...rs, status }, { subresource: 'status' });
    } catch (e) { if (!isNotFound(e)) throw e; }
    // A pod becoming available after minReadySeconds needs another look.
    if ((rs.spec?.minReadySeconds ?? 0) > 0 && status.availableReplicas !== status.readyReplicas) this.queue.addAfter(metaNamespaceKey(rs), (rs.spec!.minReadySeconds! * 1000));
  }
}

/** ReplicationControllers, kept by the ReplicaSet controller's logic (upstream ReplicationManager). */
export class ReplicationManager extends ReplicaSetController {
  constructor(client: Client, informers: SharedInformerFactory) { super(client, informers, REPLICATION_CONTROLLER); }
}
