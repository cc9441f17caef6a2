/**
 * Disruption controller (upstream pkg/controller/disruption/disruption.go): keeps each
 * PodDisruptionBudget's status — expectedPods, currentHealthy, desiredHealthy,
 * disruptionsAllowed, observedGeneration, the pending `disruptedPods` the eviction
 * subresource records, and the DisruptionAllowed condition (SufficientPods /
 * InsufficientPods, or SyncFailed with disruptionsAllowed 0 when the budget cannot be
 * computed, e.g. a pod whose controller is unknown). Budgets are synced when they or the
 * pods they select change, and again when a pending disruption expires (2 minutes).
 * In policy/v1 an empty selector selects every pod of the namespace; a missing one, none.
 * A second queue sets stale DisruptionTarget pod conditions to False (stale-condition.ts).
 * Events as upstream's: NoPods, CalculateExpectedPodCountFailed, UnmanagedPods on the
 * budget, NotDeleted on a pod (events.ts).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { PodDisruptionBudget } from '../../api/policy/v1/pod-disruption-budget.js';
import type { KubeObject } from '../../api/object.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { isConflict, isNotFound } from '../../machinery/errors.js';
import { rfc3339 } from '../../machinery/time.js';
import { resources, type Client } from '../../client/interface.js';
import type { DeletedFinalStateUnknown, SharedIndexInformer, SharedInformerFactory, WorkQueue } from '../../client/informers/types.js';
import { createRateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { metaNamespaceKey, splitMetaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { QueueController } from '../controller.js';
import { countHealthy, expectedAndDesired, nextStatus, pendingDisruptions, setCondition, DISRUPTION_ALLOWED, SYNC_FAILED, type Condition } from './budget.js';
import { expectedScale, type ScaleListers } from './scale.js';
import { staleDisruption } from './stale-condition.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { EVENT_COMPONENT, expectedCountFailed, noMatchingPods, podNotDeleted, podsListFailed, unmanagedPods } from './events.js';

/** Options for {@link DisruptionController}. */
export interface DisruptionControllerOptions {
  /** The clock, ms since the epoch (default Date.now). */
  now?: () => number;
  /** Where events go (default: a recorder writing core/v1 Events as `controllermanager`). */
  recorder?: EventRecorder;
}

/** Whether the budget's selector selects `pod` (same namespace; nil selector selects nothing, `{}` everything). */
export function budgetSelects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
  try { return selectorFromLabelSelector(pdb.spec?.selector).matches(pod.metadata.labels ?? {}); } catch { return false; }
}

/** The disruption controller; register as `new DisruptionController(client, informers)`. */
export class DisruptionController extends QueueController {
  private readonly pdbInformer: SharedIndexInformer<PodDisruptionBudget>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly scaleListers: ScaleListers;
  private readonly now: () => number;
  private readonly recorder: EventRecorder;
  /** Keys of pods whose DisruptionTarget condition may need clearing. */
  readonly staleQueue: WorkQueue<string> = createRateLimitingQueue<string>();

  constructor(private readonly client: Client, informers: SharedInformerFactory, opts: DisruptionControllerOptions = {}) {
    super('disruption', informers);
    this.now = opts.now ?? Date.now;
    this.recorder = opts.recorder ?? createEventRecorder(client, { component: EVENT_COMPONENT });
    this.pdbInformer = informers.forResource<PodDisruptionBudget>(resources.poddisruptionbudgets);
    this.podInformer = informers.forResource<Pod>(resources.pods);
    this.scaleListers = {
      replicasets: informers.forResource(resources.replicasets).lister,
      deployments: informers.forResource(resources.deployments).lister,
      replicationcontrollers: informers.forResource(resources.replicationcontrollers).lister,
      statefulsets: informers.forResource(resources.statefulsets).lister,
    } as ScaleListers;
    this.pdbInformer.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n), onDelete: this.enqueue });
    this.podInformer.addEventHandler({
      onAdd: (p) => { this.enqueueBudgetsOf(p); this.enqueueStale(p); },
      onUpdate: (o, n) => { this.enqueueBudgetsOf(n); this.enqueueStale(n); if (JSON.stringify(o.metadata.labels ?? {}) !== JSON.stringify(n.metadata.labels ?? {})) this.enqueueBudgetsOf(o); },
      onDelete: (p) => this.enqueueBudgetsOf(unwrapTombstone(p as Pod | DeletedFinalStateUnknown<Pod>) as Pod),
    });
  }

  /** Queues the pod for DisruptionTarget clean-up when its condition is or will be stale. */
  private enqueueStale(pod: Pod): void {
    const s = staleDisruption(pod, this.now());
    if (s.stale) this.staleQueue.addAfter(metaNamespaceKey(pod as KubeObject), s.inMs);
  }

  /** Runs the budget workers and one stale-condition worker until `signal` aborts; a pod gone meanwhile is dropped from the stale queue. */
  override async run(signal: AbortSignal, workers: number): Promise<void> {
    await Promise.all([super.run(signal, workers), this.runQueue(signal, this.staleQueue, (key) => this.syncStale(key), 1, { label: 'stale condition', drop: isNotFound })]);
  }

  /** Sets a stale DisruptionTarget condition to False, or requeues the pod for when it goes stale (upstream syncStalePodDisruption). */
  private async syncStale(key: string): Promise<void> {
    const pod = this.podInformer.lister.get(key);
    if (!pod) return;
    const s = staleDisruption(pod, this.now());
    if (!s.stale) return;
    if (s.inMs > 0) { this.staleQueue.addAfter(key, s.inMs); return; }
    const condition = { type: 'DisruptionTarget', status: 'False', lastTransitionTime: rfc3339(new Date(this.now())) };
    await this.client.resource<Pod>(resources.pods).patch(pod.metadata.name!, { status: { conditions: [condition] } }, 'application/strategic-merge-patch+json', { namespace: pod.metadata.namespace, subresource: 'status' });
  }

  /** Queues every budget selecting `pod` (upstream picks one arbitrarily when several do). */
  private enqueueBudgetsOf(pod: Pod): void {
    for (const pdb of this.pdbInformer.lister.list({ namespace: pod.metadata.namespace })) if (budgetSelects(pdb, pod)) this.queue.add(metaNamespaceKey(pdb as KubeObject));
  }

  /** Reconciles one budget; a conflict is retried, any other failure is written as SyncFailed (upstream sync/failSafe). */
  protected async sync(key: string): Promise<void> {
    const pdb = this.pdbInformer.lister.get(key);
    if (!pdb) return;
    try {
      await this.trySync(key, pdb);
    } catch (e) {
      if (isConflict(e)) throw e;
      await this.failSafe(pdb, (e as Error)?.message ?? String(e));
    }
  }

  /** One budget's status from its pods (upstream trySync); throws, after recording the matching event, when it cannot be computed. */
  private async trySync(key: string, pdb: PodDisruptionBudget): Promise<void> {
    const { namespace } = splitMetaNamespaceKey(key);
    let pods: Pod[];
    try {
      const selector = selectorFromLabelSelector(pdb.spec?.selector);
      pods = this.podInformer.lister.list({ namespace }).filter((p) => selector.matches(p.metadata.labels ?? {}));
    } catch (e) { podsListFailed(this.recorder, pdb, e); throw e; }
    if (pods.length === 0) noMatchingPods(this.recorder, pdb);
    let unmanaged: string[] = [];
    let counts: { expected: number; desiredHealthy: number };
    try {
      counts = expectedAndDesired(pdb, pods, () => { const s = expectedScale(this.scaleListers, pods); unmanaged = s.unmanaged; return s.expected; });
    } catch (e) { expectedCountFailed(this.recorder, pdb, e); throw e; }
    if (unmanaged.length > 0) unmanagedPods(this.recorder, pdb);
    const { expected, desiredHealthy } = counts;
    const now = this.now();
    const { disrupted, recheckAt, expired } = pendingDisruptions(pdb, pods, now);
    for (const pod of expired) podNotDeleted(this.recorder, pdb, pod);
    const currentHealthy = countHealthy(pods, disrupted, now);
    const status = nextStatus(pdb, { currentHealthy, desiredHealthy, expected, disrupted }, rfc3339(new Date(now)));
    if (status) await this.writeStatus(pdb, status);
    if (recheckAt !== undefined) this.queue.addAfter(key, Math.max(0, recheckAt - now) + 1);
  }

  /** disruptionsAllowed 0 and DisruptionAllowed=False/SyncFailed carrying `message` (upstream failSafe). */
  private async failSafe(pdb: PodDisruptionBudget, message: string): Promise<void> {
    const s = pdb.status ?? {};
    const condition: Omit<Condition, 'lastTransitionTime'> = { type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message, observedGeneration: s.observedGeneration };
    const current = ((s.conditions ?? []) as Condition[]).find((c) => c.type === DISRUPTION_ALLOWED);
    if (s.disruptionsAllowed === 0 && current?.status === 'False' && current.reason === SYNC_FAILED && current.message === message) return;
    await this.writeStatus(pdb, { ...s, disruptionsAllowed: 0, conditions: setCondition(s.conditions, condition, rfc3339(new Date(this.now()))) });
  }

  /** PUT status with the cached resourceVersion (a conflict means the cache was behind: retried). */
  private async writeStatus(pdb: PodDisruptionBudget, status: object): Promise<void> {
    await this.client.resource<PodDisruptionBudget>(resources.poddisruptionbudgets).update({ ...pdb, status }, { subresource: 'status' });
  }
}
