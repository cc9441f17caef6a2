/**
 * DaemonSet controller (upstream pkg/controller/daemon: daemon_controller.go,
 * update.go): one pod per eligible node, pinned to it by a `metadata.name` node
 * affinity (the scheduler binds it), carrying the daemon tolerations and the hash of the
 * template's ControllerRevision; failed pods replaced with back-off; RollingUpdate
 * (maxUnavailable / maxSurge) or OnDelete; history truncated to revisionHistoryLimit;
 * status written back.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import type { OwnerReference } from '../../api/object.js';
import type { DaemonSet } from '../../api/apps/v1/daemon-set.js';
import type { ControllerRevision } from '../../api/apps/v1/controller-revision.js';
import { isNotFound } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { stableJson } from '../../machinery/stable-json.js';
import { resources, type Client } from '../../client/interface.js';
import { type SharedInformerFactory, type SharedIndexInformer, splitMetaNamespaceKey, metaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { controllerRef, QueueController } from '../controller.js';
import { Expectations } from '../expectations.js';
import { ownerRefTo } from '../pod-util.js';
import { CONTROLLER_REVISION_HASH_LABEL, claimRevisions, createControllerRevision, findEqualRevisions, newControllerRevision, nextRevision, sortControllerRevisions, truncateHistory, updateControllerRevisionNumber, type RevisionParent } from '../history/controller-history.js';
import { DAEMONSET_REVISION_HASH_LABEL, FailedPodBackoff, newDaemonPod, nodeShouldRunDaemonPod, templateGeneration } from './daemon-pods.js';
import { nodesToDaemonPods, podsShouldBeOnNode, unscheduledPodsWithoutNode } from './placement.js';
import { allowsSurge, planRollingUpdate } from './rolling-update.js';
import { computeDaemonSetStatus, type DaemonSetStatus } from './status.js';

/** Client address of apps/v1 daemonsets (the shared client's `resources` does not name it yet). */

/** Upstream BurstReplicas: at most this many creations (and deletions) per sync. */
export const BURST_REPLICAS = 250;

/**
 * Options: the event source component (default `daemonset-controller`), a clock in
 * milliseconds since the epoch (default `Date.now`; used for availability and the
 * failed-pod back-off) and the failed-pod back-off (default 1 s doubling to 15 min).
 */
export interface DaemonSetControllerOptions { component?: string; now?: () => number; failedPodsBackoff?: FailedPodBackoff }

/** The revision data of a DaemonSet (upstream getPatch): its template, replacing the whole template when applied. */
export const daemonSetRevisionData = (ds: DaemonSet): { spec: { template: Record<string, unknown> } } =>
  ({ spec: { template: { ...structuredClone(ds.spec?.template ?? {}), $patch: 'replace' } } });

/** The pod hash of a revision: its `controller-revision-hash` label, else the history hash label. */
const revisionHash = (r: ControllerRevision): string =>
  r.metadata.labels?.[DAEMONSET_REVISION_HASH_LABEL] ?? r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';

/** Reconciles DaemonSets; register as `daemonset`. */
export class DaemonSetController extends QueueController {
  private readonly dsInformer: SharedIndexInformer<DaemonSet>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly nodeInformer: SharedIndexInformer<Node>;
  private readonly revisionInformer: SharedIndexInformer<ControllerRevision>;
  private readonly recorder: EventRecorder;
  private readonly expectations = new Expectations();
  private readonly backoff: FailedPodBackoff;
  private readonly now: () => number;

  constructor(private readonly client: Client, informers: SharedInformerFactory, opts: DaemonSetControllerOptions = {}) {
    super('daemonset', informers);
    this.now = opts.now ?? Date.now;
    this.backoff = opts.failedPodsBackoff ?? new FailedPodBackoff();
    this.recorder = createEventRecorder(client, { component: opts.component ?? 'daemonset-controller' });
    this.dsInformer = informers.forResource<DaemonSet>(resources.daemonsets);
    this.podInformer = informers.forResource<Pod>(resources.pods);
    this.nodeInformer = informers.forResource<Node>(resources.nodes);
    this.revisionInformer = informers.forResource<ControllerRevision>(resources.controllerrevisions);
    this.dsInformer.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n), onDelete: this.enqueue });
    this.podInformer.addEventHandler({
      onAdd: (p) => {
        const ds = this.ownerOf(p);
        if (ds) { this.expectations.creationObserved(metaNamespaceKey(ds)); this.enqueue(ds); } else if (!controllerRef(p)) this.enqueueMatching(p);
      },
      onUpdate: (old, p) => {
        const a = this.ownerOf(old); const b = this.ownerOf(p);
        if (a && a !== b) this.enqueue(a);
        if (b) {
          if (p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.expectations.deletionObserved(metaNamespaceKey(b));
          this.enqueue(b);
        } else if (!controllerRef(p)) this.enqueueMatching(p);
      },
      onDelete: (o) => {
        const p = unwrapTombstone(o); const ds = this.ownerOf(p);
        if (!ds) return;
        if (!p.metadata.deletionTimestamp) this.expectations.deletionObserved(metaNamespaceKey(ds));
        this.enqueue(ds);
      },
    });
    // Upstream addNode/updateNode: only sets whose decision for the node changes.
    this.nodeInformer.addEventHandler({
      onAdd: (n) => { for (const ds of this.dsInformer.lister.list()) if (nodeShouldRunDaemonPod(n, ds).shouldRun) this.enqueue(ds); },
      onUpdate: (old, n) => {
        if (stableJson([old.metadata.labels, old.spec]) === stableJson([n.metadata.labels, n.spec])) return;
        for (const ds of this.dsInformer.lister.list()) {
          const a = nodeShouldRunDaemonPod(old, ds); const b = nodeShouldRunDaemonPod(n, ds);
          if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) this.enqueue(ds);
        }
      },
    });
    const onRevision = (r: ControllerRevision): void => { const ref = controllerRef(r); if (ref?.kind === 'DaemonSet') this.queue.add(`${r.metadata.namespace}/${ref.name}`); };
    this.revisionInformer.addEventHandler({ onAdd: onRevision, onUpdate: (_o, n) => onRevision(n), onDelete: (o) => onRevision(unwrapTombstone(o)) });
  }

  private ownerOf(p: Pod): DaemonSet | undefined {
    const ref = controllerRef(p);
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.dsInformer.lister.get(`${p.metadata.namespace}/${ref.name}`);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  private enqueueMatching(p: Pod): void {
    for (const ds of this.dsInformer.lister.list({ namespace: p.metadata.namespace })) {
      if (selectorFromLabelSelector(ds.spec?.selector).matches(p.metadata.labels)) this.enqueue(ds);
    }
  }

  private dsRef(ds: DaemonSet): OwnerReference { return ownerRefTo(ds, 'apps/v1', 'DaemonSet'); }

  /** Upstream syncDaemonSet. */
  protected async sync(key: string): Promise<void> {
    const ds = this.dsInformer.lister.get(key);
    if (!ds) { this.expectations.delete(key); return; }
    const sel = ds.spec?.selector;
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) {
      this.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const { namespace } = splitMetaNamespaceKey(key);
    const nodes = this.nodeInformer.lister.list();
    const collisionCount = { value: ds.status?.collisionCount ?? 0 };
    const { cur, old } = await this.constructHistory(ds, namespace, collisionCount);
    const hash = revisionHash(cur);
    let pods = await this.claimPods(ds, namespace);
    let err: unknown;
    if (this.expectations.satisfied(key)) {
      try {
        await this.manage(ds, key, nodes, pods, hash);
        if (this.expectations.satisfied(key) && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
          pods = await this.claimPods(ds, namespace);
          const plan = planRollingUpdate(ds, nodes, nodesToDaemonPods(pods), hash, templateGeneration(ds), this.now());
          await this.syncNodes(ds, key, plan.deletes, plan.createOn, hash);
        }
        await this.cleanupHistory(ds, pods, cur, old);
      } catch (e) { err = e; }
    }
    await this.writeStatus(ds, key, nodes, await this.claimPods(ds, namespace), hash, collisionCount.value);
    if (err) throw err;
  }

  /** Owned pods (from the cache); orphans matching the selector adopted, owned ones no longer matching released (upstream ClaimPods). */
  private async claimPods(ds: DaemonSet, namespace: string): Promise<Pod[]> {
    const selector = selectorFromLabelSelector(ds.spec?.selector);
    const api = this.client.resource<Pod>(resources.pods);
    const owned: Pod[] = [];
    for (const p of this.podInformer.lister.list({ namespace })) {
      const ref = controllerRef(p);
      if (ref?.uid === ds.metadata.uid) {
        if (selector.matches(p.metadata.labels)) owned.push(p);
        else await api.patch(p.metadata.name!, { metadata: { ownerReferences: [{ $patch: 'delete', uid: ds.metadata.uid }], uid: p.metadata.uid } }, 'application/strategic-merge-patch+json', { namespace }).catch((e) => { if (!isNotFound(e)) throw e; });
      } else if (!ref && !p.metadata.deletionTimestamp && selector.matches(p.metadata.labels)) {
        try {
          owned.push(await api.patch(p.metadata.name!, { metadata: { ownerReferences: [this.dsRef(ds)], uid: p.metadata.uid } }, 'application/strategic-merge-patch+json', { namespace }));
        } catch (e) { if (!isNotFound(e)) throw e; }
      }
    }
    return owned;
  }

  /**
   * Upstream constructHistory: owned revisions (orphans matching the selector adopted);
   * the one equal to the template is current (renumbered above the others when it is
   * not the newest), else one is created (a name collision bumps `collisionCount`).
   * Returns the current revision and the older ones.
   */
  private async constructHistory(ds: DaemonSet, namespace: string, collisionCount: { value: number }): Promise<{ cur: ControllerRevision; old: ControllerRevision[] }> {
    const revisions = await claimRevisions(this.client, this.revisionInformer.lister.list({ namespace }), ds, selectorFromLabelSelector(ds.spec?.selector), this.dsRef(ds));
    const sorted = sortControllerRevisions(revisions);
    const owner: RevisionParent = { parent: ds, apiVersion: 'apps/v1', kind: 'DaemonSet' };
    const wanted = newControllerRevision(owner, ds.spec?.template?.metadata?.labels, daemonSetRevisionData(ds), nextRevision(sorted), collisionCount.value);
    if (ds.metadata.annotations) wanted.metadata.annotations = { ...ds.metadata.annotations };
    const equal = findEqualRevisions(sorted, wanted);
    const next = nextRevision(sorted.filter((r) => !equal.includes(r)));
    let cur: ControllerRevision;
    if (equal.length === 0) {
      wanted.revision = next;
      wanted.metadata.labels![DAEMONSET_REVISION_HASH_LABEL] = wanted.metadata.labels![CONTROLLER_REVISION_HASH_LABEL];
      cur = await createControllerRevision(this.client, owner, wanted, collisionCount);
      const h = cur.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
      if (h && cur.metadata.labels?.[DAEMONSET_REVISION_HASH_LABEL] !== h) {
        // A collision renamed it: keep the pod hash label in line with the name.
        cur = await this.client.resource<ControllerRevision>(resources.controllerrevisions).patch(cur.metadata.name!, { metadata: { labels: { [DAEMONSET_REVISION_HASH_LABEL]: h } } }, 'application/merge-patch+json', { namespace });
      }
    } else {
      cur = await this.dedupCurrentRevisions(ds, namespace, equal);
      if ((cur.revision ?? 0) < next) cur = await updateControllerRevisionNumber(this.client, cur, next);
    }
    return { cur, old: sorted.filter((r) => !equal.includes(r) && r.metadata.name !== cur.metadata.name) };
  }

  /**
   * Upstream dedupCurHistories: of several revisions equal to the template the highest
   * numbered is kept; pods labelled with a duplicate's hash are relabelled (upstream
   * relabels every pod not on the kept hash), the duplicates deleted.
   */
  private async dedupCurrentRevisions(ds: DaemonSet, namespace: string, equal: ControllerRevision[]): Promise<ControllerRevision> {
    if (equal.length === 1) return equal[0];
    const keep = equal.reduce((a, r) => ((r.revision ?? 0) >= (a.revision ?? 0) ? r : a));
    const hash = revisionHash(keep);
    const dupHashes = new Set(equal.filter((r) => r !== keep).map(revisionHash));
    const pods = this.client.resource<Pod>(resources.pods);
    for (const p of await this.claimPods(ds, namespace)) {
      if (!dupHashes.has(p.metadata.labels?.[DAEMONSET_REVISION_HASH_LABEL] ?? '')) continue;
      await pods.patch(p.metadata.name!, { metadata: { labels: { [DAEMONSET_REVISION_HASH_LABEL]: hash } } }, 'application/merge-patch+json', { namespace }).catch((e) => { if (!isNotFound(e)) throw e; });
    }
    const api = this.client.resource<ControllerRevision>(resources.controllerrevisions);
    for (const r of equal) if (r !== keep) await api.delete(r.metadata.name!, { namespace }).catch((e) => { if (!isNotFound(e)) throw e; });
    return keep;
  }

  /** Upstream manage: per node, create the missing pod or delete surplus, failed and misscheduled ones; unbound pods of vanished nodes deleted. */
  private async manage(ds: DaemonSet, key: string, nodes: Node[], pods: Pod[], hash: string): Promise<void> {
    const byNode = nodesToDaemonPods(pods);
    const now = this.now();
    const opts = { hash, useSurge: allowsSurge(ds), minReadySeconds: ds.spec?.minReadySeconds ?? 0, now };
    const createOn: string[] = []; const deletes: Pod[] = [];
    for (const node of nodes) {
      const name = node.metadata.name!;
      const plan = podsShouldBeOnNode(nodeShouldRunDaemonPod(node, ds), byNode.get(name), opts);
      if (plan.create) createOn.push(name);
      deletes.push(...plan.deletes);
      for (const p of plan.failed) {
        const backoffKey = `${ds.metadata.uid}/${name}`;
        if (this.backoff.isInBackOffSinceUpdate(backoffKey, now)) {
          this.queue.addAfter(key, this.backoff.remaining(backoffKey, now) + 10);
          continue;
        }
        this.backoff.next(backoffKey, now);
        this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${name}, will try to kill it`);
        deletes.push(p);
      }
    }
    deletes.push(...unscheduledPodsWithoutNode(byNode, new Set(nodes.map((n) => n.metadata.name!))));
    await this.syncNodes(ds, key, deletes, createOn, hash);
  }

  /**
   * Upstream syncNodes: at most BURST_REPLICAS creations (slow-start batches 1, 2, 4, …;
   * a failed batch stops the rest) and deletions, under expectations; events
   * SuccessfulCreate/FailedCreate and SuccessfulDelete/FailedDelete. Throws the first error.
   */
  private async syncNodes(ds: DaemonSet, key: string, deletes: Pod[], createOn: string[], hash: string): Promise<void> {
    const creates = createOn.slice(0, BURST_REPLICAS);
    const dels = [...new Map(deletes.map((p) => [p.metadata.uid, p])).values()].slice(0, BURST_REPLICAS);
    if (creates.length === 0 && dels.length === 0) return;
    this.expectations.expect(key, creates.length, dels.length);
    const api = this.client.resource<Pod>(resources.pods);
    const namespace = ds.metadata.namespace;
    let firstError: unknown;
    let done = 0;
    for (let batch = 1; done < creates.length; batch *= 2) {
      const chunk = creates.slice(done, done + batch);
      const results = await Promise.allSettled(chunk.map((node) => api.create(newDaemonPod(ds, ds.spec!.template!, node, hash, this.dsRef(ds)), { namespace })));
      done += chunk.length;
      for (const r of results) {
        if (r.status === 'fulfilled') this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        else {
          this.expectations.creationObserved(key);
          this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(r.reason as Error)?.message ?? r.reason}`);
          firstError ??= r.reason;
        }
      }
      if (firstError) { for (let i = done; i < creates.length; i++) this.expectations.creationObserved(key); break; }
    }
    await Promise.all(dels.map(async (p) => {
      try {
        await api.delete(p.metadata.name!, { namespace, preconditions: { uid: p.metadata.uid } });
        this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      } catch (e) {
        this.expectations.deletionObserved(key);
        if (isNotFound(e)) return;
        this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error)?.message ?? e}`);
        firstError ??= e;
      }
    }));
    if (firstError) throw firstError;
  }

  /** Upstream cleanupHistory: old revisions no pod runs are deleted, oldest first, beyond revisionHistoryLimit (default 10). */
  private async cleanupHistory(ds: DaemonSet, pods: Pod[], cur: ControllerRevision, old: ControllerRevision[]): Promise<void> {
    const limit = ds.spec?.revisionHistoryLimit ?? 10;
    if (old.length <= limit) return;
    const podHashes = new Set(pods.map((p) => p.metadata.labels?.[DAEMONSET_REVISION_HASH_LABEL]).filter(Boolean));
    const live = new Set([cur.metadata.name!, ...old.filter((r) => podHashes.has(revisionHash(r))).map((r) => r.metadata.name!)]);
    await truncateHistory(this.client, [cur, ...old], live, limit);
  }

  /** Upstream updateDaemonSetStatus/storeDaemonSetStatus: writes the counts when they changed; requeues for minReadySeconds. */
  private async writeStatus(ds: DaemonSet, key: string, nodes: Node[], pods: Pod[], hash: string, collisionCount: number): Promise<void> {
    const counted: DaemonSetStatus = computeDaemonSetStatus(ds, nodes, nodesToDaemonPods(pods), hash, templateGeneration(ds), this.now());
    const next = { ...ds.status, ...counted, observedGeneration: ds.metadata.generation, collisionCount };
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && counted.numberReady !== counted.numberAvailable) this.queue.addAfter(key, minReady * 1000);
    if (stableJson(next) === stableJson(ds.status ?? {})) return;
    try {
      await this.client.resource<DaemonSet>(resources.daemonsets).update({ ...ds, status: next }, { subresource: 'status' });
    } catch (e) { if (!isNotFound(e)) throw e; }
  }
}
