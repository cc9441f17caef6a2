/**
 * Deployment controller (upstream pkg/controller/deployment): owns ReplicaSets named
 * `<deployment>-<pod-template-hash>`, rolls the pod template out with RollingUpdate
 * (maxSurge/maxUnavailable) or Recreate, keeps `revisionHistoryLimit` old ReplicaSets,
 * and reports status and the Available/Progressing conditions `kubectl rollout status`
 * reads.
 */
import type { Deployment, ReplicaSet } from '../../api/apps/v1/types.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Condition } from '../../api/meta/v1/types.js';
import { isAlreadyExists, isNotFound } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { resources, type Client } from '../../client/interface.js';
import { type SharedInformerFactory, type SharedIndexInformer, splitMetaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { controllerRef, QueueController } from '../controller.js';
import { rfc3339 } from '../../machinery/time.js';
import { isPodActive } from '../pod-util.js';
import { podTemplateHash, resolveFenceposts, templateKey } from './rollout-math.js';

const REVISION = 'deployment.kubernetes.io/revision';

const revisionOf = (rs: ReplicaSet): number => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
const replicasOf = (rs: ReplicaSet): number => rs.spec?.replicas ?? 0;

export class DeploymentController extends QueueController {
  private readonly dInformer: SharedIndexInformer<Deployment>;
  private readonly rsInformer: SharedIndexInformer<ReplicaSet>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly recorder: EventRecorder;

  constructor(private readonly client: Client, informers: SharedInformerFactory) {
    super('deployment', informers);
    this.recorder = createEventRecorder(client, { component: 'deployment-controller' });
    this.dInformer = informers.forResource<Deployment>(resources.deployments);
    this.rsInformer = informers.forResource<ReplicaSet>(resources.replicasets);
    this.podInformer = informers.forResource<Pod>(resources.pods);
    this.dInformer.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n), onDelete: this.enqueue });
    const byOwner = (rs: ReplicaSet): void => {
      const ref = controllerRef(rs);
      if (ref?.kind === 'Deployment') this.queue.add(`${rs.metadata.namespace}/${ref.name}`);
      else for (const d of this.dInformer.lister.list({ namespace: rs.metadata.namespace })) if (selectorFromLabelSelector(d.spec?.selector).matches(rs.metadata.labels)) this.enqueue(d);
    };
    this.rsInformer.addEventHandler({ onAdd: byOwner, onUpdate: (_o, n) => byOwner(n), onDelete: (o) => byOwner(unwrapTombstone(o)) });
    // Recreate waits for old pods to be gone.
    this.podInformer.addEventHandler({ onDelete: (o) => {
      const p = unwrapTombstone(o);
      const ref = controllerRef(p);
      const rs = ref ? this.rsInformer.lister.get(`${p.metadata.namespace}/${ref.name}`) : undefined;
      if (rs) byOwner(rs);
    } });
  }

  protected async sync(key: string): Promise<void> {
    const d = this.dInformer.lister.get(key);
    if (!d) return;
    const { namespace } = splitMetaNamespaceKey(key);
    const rsClient = this.client.resource<ReplicaSet>(resources.replicasets);
    const selector = selectorFromLabelSelector(d.spec?.selector);
    const all: ReplicaSet[] = [];
    for (const rs of this.rsInformer.lister.list({ namespace })) {
      const ref = controllerRef(rs);
      if (ref?.uid === d.metadata.uid) all.push(rs);
      else if (!ref && selector.matches(rs.metadata.labels) && !d.metadata.deletionTimestamp) {
        all.push(await rsClient.patch(rs.metadata.name!, { metadata: { ownerReferences: [this.ownerRef(d)], uid: rs.metadata.uid } }, 'application/strategic-merge-patch+json', { namespace }));
      }
    }
    if (d.metadata.deletionTimestamp) { await this.syncStatus(d, all, undefined); return; }

    const wantKey = templateKey(d.spec?.template);
    let newRS = all.find((rs) => templateKey(rs.spec?.template) === wantKey);
    const olds = all.filter((rs) => rs !== newRS);
    const maxOldRevision = Math.max(0, ...olds.map(revisionOf));
    const replicas = d.spec?.replicas ?? 1;
    let created = false;

    if (!d.spec?.paused) {
      if (!newRS) {
        newRS = await this.createNewRS(d, all, maxOldRevision + 1);
        created = true;
        all.push(newRS);
      } else if (revisionOf(newRS) <= maxOldRevision || newRS.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'] !== String(replicas)) {
        newRS = await this.updateRS(newRS, { annotations: this.annotations(d, revisionOf(newRS) <= maxOldRevision ? maxOldRevision + 1 : revisionOf(newRS)) });
      }
      // The Deployment carries its current revision too (kubectl rollout history/undo read it).
      const rev = String(revisionOf(newRS));
      if (d.metadata.annotations?.[REVISION] !== rev) {
        // An update, as upstream's (the deployment-controller role may update Deployments, not patch them); a conflict requeues.
        await this.client.resource<Deployment>(resources.deployments).update({ ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION]: rev } } });
      }
      if (d.spec?.strategy?.type === 'Recreate') await this.rolloutRecreate(d, newRS, olds);
      else await this.rolloutRolling(d, newRS, olds);
      await this.cleanup(d, olds);
    }
    await this.syncStatus(d, all.map((rs) => this.rsInformer.lister.get(`${namespace}/${rs.metadata.name}`) ?? rs), newRS, created);
  }

  private ownerRef(d: Deployment) {
    return { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true };
  }
  private annotations(d: Deployment, revision: number): Record<string, string> {
    const { maxSurge } = resolveFenceposts(d);
    const replicas = d.spec?.replicas ?? 1;
    return { [REVISION]: String(revision), 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge) };
  }

  private async createNewRS(d: Deployment, all: ReplicaSet[], revision: number): Promise<ReplicaSet> {
    const namespace = d.metadata.namespace!;
    let collision = d.status?.collisionCount ?? 0;
    for (;;) {
      const hash = podTemplateHash(d.spec?.template, collision);
      const template = structuredClone(d.spec!.template!);
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
      const selector = structuredClone(d.spec!.selector!);
      selector.matchLabels = { ...selector.matchLabels, 'pod-template-hash': hash };
      const replicas = d.spec?.strategy?.type === 'Recreate' || all.every((rs) => replicasOf(rs) === 0)
        ? (all.some((rs) => replicasOf(rs) > 0) ? 0 : d.spec?.replicas ?? 1)
        : 0;
      const rs: ReplicaSet = {
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: { name: `${d.metadata.name}-${hash}`, namespace, labels: template.metadata.labels, annotations: this.annotations(d, revision), ownerReferences: [this.ownerRef(d)] },
        spec: { replicas, minReadySeconds: d.spec?.minReadySeconds, selector, template },
      };
      try {
        const createdRS = await this.client.resource<ReplicaSet>(resources.replicasets).create<ReplicaSet>(rs, { namespace });
        this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${createdRS.metadata.name} from 0 to ${replicas}`);
        return createdRS;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await this.client.resource<ReplicaSet>(resources.replicasets).get(rs.metadata.name!, { namespace });
        if (controllerRef(existing)?.uid === d.metadata.uid && templateKey(existing.spec?.template) === templateKey(d.spec?.template)) return existing;
        collision++;
        const fresh = await this.client.resource<Deployment>(resources.deployments).get(d.metadata.name!, { namespace });
        await this.client.resource<Deployment>(resources.deployments).update({ ...fresh, status: { ...fresh.status, collisionCount: collision } }, { subresource: 'status' });
      }
    }
  }

  private async updateRS(rs: ReplicaSet, change: { replicas?: number; annotations?: Record<string, string> }): Promise<ReplicaSet> {
    const patch: Record<string, unknown> = {};
    if (change.annotations) patch.metadata = { annotations: change.annotations };
    if (change.replicas !== undefined) patch.spec = { replicas: change.replicas };
    return this.client.resource<ReplicaSet>(resources.replicasets).patch(rs.metadata.name!, patch, 'application/merge-patch+json', { namespace: rs.metadata.namespace });
  }

  private async scale(d: Deployment, rs: ReplicaSet, to: number): Promise<ReplicaSet> {
    const from = replicasOf(rs);
    if (from === to) return rs;
    const updated = await this.updateRS(rs, { replicas: to, annotations: { 'deployment.kubernetes.io/desired-replicas': String(d.spec?.replicas ?? 1), 'deployment.kubernetes.io/max-replicas': String((d.spec?.replicas ?? 1) + resolveFenceposts(d).maxSurge) } });
    this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`);
    return updated;
  }

  private async rolloutRolling(d: Deployment, newRS: ReplicaSet, olds: ReplicaSet[]): Promise<void> {
    const replicas = d.spec?.replicas ?? 1;
    const { maxSurge, maxUnavailable } = resolveFenceposts(d);
    const total = (): number => replicasOf(newRS) + olds.reduce((a, rs) => a + replicasOf(rs), 0);
    // Scale up the new ReplicaSet within the surge budget.
    if (replicasOf(newRS) > replicas) newRS = await this.scale(d, newRS, replicas);
    else if (replicasOf(newRS) < replicas) {
      const room = replicas + maxSurge - total();
      if (room > 0) newRS = await this.scale(d, newRS, Math.min(replicas, replicasOf(newRS) + room));
    }
    // Scale down old ReplicaSets while keeping minAvailable.
    const oldTotal = olds.reduce((a, rs) => a + replicasOf(rs), 0);
    if (oldTotal === 0) return;
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    let budget = total() - minAvailable - Math.max(0, newUnavailable);
    if (budget <= 0) return;
    // First the unhealthy replicas of old sets, then available ones down to minAvailable.
    const sorted = [...olds].sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? ''));
    for (let i = 0; i < sorted.length && budget > 0; i++) {
      const rs = sorted[i];
      const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
      const cut = Math.min(budget, Math.max(0, unhealthy));
      if (cut > 0) { sorted[i] = await this.scale(d, rs, replicasOf(rs) - cut); budget -= cut; }
    }
    const allAvailable = (newRS.status?.availableReplicas ?? 0) + sorted.reduce((a, rs) => a + Math.min(replicasOf(rs), rs.status?.availableReplicas ?? 0), 0);
    let more = Math.min(budget, allAvailable - minAvailable);
    for (let i = 0; i < sorted.length && more > 0; i++) {
      const cut = Math.min(more, replicasOf(sorted[i]));
      if (cut > 0) { sorted[i] = await this.scale(d, sorted[i], replicasOf(sorted[i]) - cut); more -= cut; }
    }
    olds.splice(0, olds.length, ...sorted);
  }

  private async rolloutRecreate(d: Deployment, newRS: ReplicaSet, olds: ReplicaSet[]): Promise<void> {
    for (const rs of olds) if (replicasOf(rs) > 0) await this.scale(d, rs, 0);
    const oldPodsRunning = this.podInformer.lister.list({ namespace: d.metadata.namespace }).some((p) => olds.some((rs) => controllerRef(p)?.uid === rs.metadata.uid) && (isPodActive(p) || !!p.metadata.deletionTimestamp));
    if (!oldPodsRunning) await this.scale(d, newRS, d.spec?.replicas ?? 1);
  }

  private async cleanup(d: Deployment, olds: ReplicaSet[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const idle = olds.filter((rs) => replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      await this.client.resource(resources.replicasets).delete(rs.metadata.name!, { namespace: rs.metadata.namespace, preconditions: { uid: rs.metadata.uid } }).catch((e) => { if (!isNotFound(e)) throw e; });
    }
  }

  /**
   * Status and conditions (upstream sync.go calculateStatus/checkPausedConditions and
   * progress.go syncRolloutStatus): Available from maxUnavailable; Progressing — when
   * the Deployment has a progress deadline — DeploymentPaused/DeploymentResumed (Unknown),
   * NewReplicaSetCreated / FoundNewReplicaSet, ReplicaSetUpdated refreshed on every sign
   * of progress (more updated, ready or available replicas, fewer old ones),
   * NewReplicaSetAvailable once complete, ProgressDeadlineExceeded (False) when
   * `progressDeadlineSeconds` pass without progress; ReplicaFailure copied from a
   * ReplicaSet's. A rollout still in progress is looked at again when its deadline falls.
   */
  private async syncStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, created = false): Promise<void> {
    const replicas = d.spec?.replicas ?? 1;
    const sum = (f: (rs: ReplicaSet) => number): number => all.reduce((a, rs) => a + f(rs), 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const updated = newRS ? (this.rsInformer.lister.get(`${newRS.metadata.namespace}/${newRS.metadata.name}`) ?? newRS).status?.replicas ?? 0 : 0;
    const total = sum((rs) => rs.status?.replicas ?? 0);
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const { maxUnavailable } = resolveFenceposts(d);
    const now = rfc3339();
    const conds: Condition[] = (d.status?.conditions ?? []).map((c) => ({ ...c }));
    const find = (type: string | undefined): Condition | undefined => conds.find((c) => c.type === type);
    const remove = (type: string | undefined): void => { const i = conds.findIndex((c) => c.type === type); if (i >= 0) conds.splice(i, 1); };
    /** Upstream SetDeploymentCondition: same status and reason → unchanged; same status → transition time kept. */
    const setCond = (c: Condition, force = false): void => {
      const prev = find(c.type);
      if (!force && prev && prev.status === c.status && prev.reason === c.reason) return;
      const next = { ...c, lastUpdateTime: now, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
      remove(c.type);
      conds.push(next);
    };
    setCond(available >= replicas - maxUnavailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });

    const deadline = d.spec?.progressDeadlineSeconds ?? 600;
    const hasDeadline = deadline !== 2147483647;
    const rsName = newRS?.metadata.name;
    const about = (what: string): string => (rsName ? `ReplicaSet "${rsName}" ${what}` : `Deployment "${d.metadata.name}" ${what}`);
    const newStatus = { replicas: total, updatedReplicas: updated, readyReplicas: ready, availableReplicas: available };
    if (!hasDeadline) remove('Progressing');
    else if (d.spec?.paused) {
      const cur = find('Progressing');
      if (cur?.reason !== 'ProgressDeadlineExceeded' && cur?.reason !== 'DeploymentPaused') setCond({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    } else {
      if (find('Progressing')?.reason === 'DeploymentPaused') setCond({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' });
      if (created && rsName) setCond({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` });
      else if (rsName && !find('Progressing')) setCond({ type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${rsName}"` });
      const cur = find('Progressing');
      const isComplete = total === updated && cur?.reason === 'NewReplicaSetAvailable';
      if (!isComplete) {
        const old = d.status ?? {};
        const complete = updated === replicas && total === replicas && available === replicas;
        const progressed = updated > (old.updatedReplicas ?? 0) || (total - updated) < ((old.replicas ?? 0) - (old.updatedReplicas ?? 0))
          || ready > (old.readyReplicas ?? 0) || available > (old.availableReplicas ?? 0);
        if (complete) setCond({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: about('has successfully progressed.') });
        else if (progressed) setCond({ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: about('is progressing.') }, true);
        else if (cur && (cur.reason === 'ProgressDeadlineExceeded' || Date.parse(cur.lastUpdateTime ?? now) + deadline * 1000 < Date.now())) {
          setCond({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: about('has timed out progressing.') });
        }
      }
    }
    // A ReplicaSet's failure (e.g. pods refused by a quota) is the Deployment's (upstream getReplicaFailures).
    const failure = [...(newRS ? [this.rsInformer.lister.get(`${newRS.metadata.namespace}/${newRS.metadata.name}`) ?? newRS] : []), ...all]
      .map((rs) => (rs.status?.conditions as Condition[] | undefined)?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True')).find(Boolean);
    if (failure) setCond({ type: 'ReplicaFailure', status: 'True', reason: failure.reason ?? '', message: failure.message ?? '' });
    else remove('ReplicaFailure');
    // Upstream's order: Available, Progressing, then ReplicaFailure.
    const order = (t: string | undefined): number => ({ Available: 0, Progressing: 1, ReplicaFailure: 2 } as Record<string, number>)[t ?? ""] ?? 3;
    conds.sort((a, b) => order(a.type) - order(b.type));
    const status = {
      ...d.status,
      observedGeneration: d.metadata.generation, ...newStatus,
      unavailableReplicas: Math.max(0, replicas - available), conditions: conds,
    };
    for (const k of ['readyReplicas', 'availableReplicas', 'updatedReplicas', 'unavailableReplicas', 'replicas'] as const) if (!status[k]) delete status[k];
    // A rollout in progress is checked again when its deadline would fall (upstream requeueStuckDeployment).
    const progressing = find('Progressing');
    if (hasDeadline && !d.spec?.paused && progressing?.status === 'True' && progressing.reason !== 'NewReplicaSetAvailable') {
      const after = Date.parse(progressing.lastUpdateTime ?? now) + deadline * 1000 - Date.now();
      this.queue.addAfter(`${d.metadata.namespace}/${d.metadata.name}`, Math.max(0, after) + 1000);
    }
    if (JSON.stringify(status) === JSON.stringify(d.status)) return;
    try {
      await this.client.resource<Deployment>(resources.deployments).update({ ...d, status }, { subresource: 'status' });
    } catch (e) { if (!isNotFound(e)) throw e; }
  }
}
