/**
 * Taint eviction controller (upstream pkg/controller/tainteviction/taint_eviction.go;
 * "Taints and Tolerations" concept page, "Taint based Evictions"): deletes pods bound
 * to a node with NoExecute taints they do not tolerate —
 *  - a pod not tolerating one of the node's NoExecute taints is deleted at once;
 *  - a pod tolerating all of them is deleted when the first tolerated taint expires:
 *    for each taint, its `timeAdded` (or when the controller first saw it) plus the
 *    `tolerationSeconds` of the first matching toleration (none = forever; <= 0 = now);
 *  - a scheduled deletion is cancelled (event `TaintManagerEviction` "Cancelling deletion
 *    of Pod <ns>/<name>") when the taints go or the pod comes to tolerate them forever.
 * Before deleting it adds the `DisruptionTarget` condition (reason DeletionByTaintManager)
 * through pods/status and records `TaintManagerEviction` "Marking for deletion Pod <ns>/<name>".
 * Queue keys are pod keys; a sync recomputes the decision from the caches, so a stale
 * timer only costs a no-op sync.
 */
import type { Pod, Toleration } from '../../api/core/v1/pod-types.js';
import type { Node, Taint } from '../../api/core/v1/types.js';
import { isNotFound } from '../../machinery/errors.js';
import { rfc3339 } from '../../machinery/time.js';
import { resources, type Client } from '../../client/interface.js';
import { metaNamespaceKey, type SharedIndexInformer, type SharedInformerFactory } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { tolerates } from '../../scheduler/plugins/taint-toleration/taint-toleration.js';
import { QueueController } from '../controller.js';

/** Options for {@link TaintEvictionController}. */
export interface TaintEvictionControllerOptions {
  /** The clock, ms since the epoch (default Date.now). */
  now?: () => number;
}

/** The condition put on a pod before the controller deletes it. */
export const DELETION_BY_TAINT_MANAGER_CONDITION = {
  type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
} as const;

/** Name of the pods index by `spec.nodeName` this controller adds to the shared pod informer. */
export const PODS_BY_NODE_INDEX = 'tainteviction.spec.nodeName';

/**
 * When (ms since the epoch) a pod must be deleted for the node's `taints` (only NoExecute
 * ones count): undefined when there are none or all are tolerated forever; `now` when one
 * is not tolerated; else the earliest expiry over the taints, each counted from its
 * `timeAdded` (or `firstSeen(taint)` when it has none) plus the tolerationSeconds of the
 * first toleration matching it (upstream getMatchingTolerations / getMinTolerationTime,
 * per taint rather than from the first sighting).
 */
export function evictionTime(tolerations: Toleration[], taints: Taint[], now: number, firstSeen: (t: Taint) => number = () => now): number | undefined {
  let at: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const tol = tolerations.find((t) => tolerates(t, taint));
    if (!tol) return now;
    if (tol.tolerationSeconds === undefined || tol.tolerationSeconds === null) continue;
    const start = (taint.timeAdded ? Date.parse(taint.timeAdded) : NaN);
    const from = Number.isNaN(start) ? firstSeen(taint) : start;
    const expiry = from + Math.max(0, tol.tolerationSeconds) * 1000;
    at = at === undefined ? expiry : Math.min(at, expiry);
  }
  return at;
}

const noExecuteTaints = (node: Node | undefined): Taint[] => (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
const taintId = (t: Taint): string => `${t.key}=${t.value ?? ''}:${t.effect}`;

/** The taint eviction controller; register as `new TaintEvictionController(client, informers)`. */
export class TaintEvictionController extends QueueController {
  private readonly nodeInformer: SharedIndexInformer<Node>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly recorder: EventRecorder;
  private readonly now: () => number;
  /** Pod key → the time (ms) its deletion is scheduled for. */
  private readonly scheduled = new Map<string, number>();
  /** `node/taint` → when (ms) a NoExecute taint without timeAdded was first seen. */
  private readonly taintSeen = new Map<string, number>();

  constructor(private readonly client: Client, informers: SharedInformerFactory, opts: TaintEvictionControllerOptions = {}) {
    super('taint-eviction-controller', informers);
    this.now = opts.now ?? Date.now;
    this.recorder = createEventRecorder(client, { component: 'taint-eviction-controller' });
    this.nodeInformer = informers.forResource<Node>(resources.nodes);
    this.podInformer = informers.forResource<Pod>(resources.pods);
    this.podInformer.addIndexers({ [PODS_BY_NODE_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
    this.podInformer.addEventHandler({
      onAdd: (p) => { if (p.spec?.nodeName) this.enqueue(p); },
      onUpdate: (o, p) => {
        if (p.spec?.nodeName && (o.spec?.nodeName !== p.spec.nodeName || JSON.stringify(o.spec?.tolerations) !== JSON.stringify(p.spec?.tolerations) || !!o.metadata.deletionTimestamp !== !!p.metadata.deletionTimestamp)) this.enqueue(p);
      },
      onDelete: (o) => { this.scheduled.delete(metaNamespaceKey(unwrapTombstone(o))); },
    });
    this.nodeInformer.addEventHandler({
      onAdd: (n) => this.enqueueNode(n),
      onUpdate: (o, n) => { if (JSON.stringify(noExecuteTaints(o)) !== JSON.stringify(noExecuteTaints(n))) this.enqueueNode(n); },
      onDelete: (o) => this.enqueueNode(unwrapTombstone(o)),
    });
  }

  private enqueueNode(node: Node): void {
    const name = node.metadata.name!;
    const live = new Set(noExecuteTaints(this.nodeInformer.lister.get(name)).map(taintId));
    for (const k of [...this.taintSeen.keys()]) if (k.startsWith(`${name}/`) && !live.has(k.slice(name.length + 1))) this.taintSeen.delete(k);
    for (const p of this.podInformer.lister.byIndex(PODS_BY_NODE_INDEX, name)) this.enqueue(p);
  }

  private cancel(key: string, pod: Pod | undefined): void {
    if (!this.scheduled.delete(key)) return;
    if (pod) this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  /** One pod (key = namespace/name): evict now, schedule a later look, or cancel a scheduled eviction. Throws to retry. */
  protected async sync(key: string): Promise<void> {
    const pod = this.podInformer.lister.get(key);
    if (!pod || !pod.spec?.nodeName || pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      this.scheduled.delete(key);
      return;
    }
    const nodeName = pod.spec.nodeName;
    const taints = noExecuteTaints(this.nodeInformer.lister.get(nodeName));
    const now = this.now();
    const firstSeen = (t: Taint): number => {
      const k = `${nodeName}/${taintId(t)}`;
      if (!this.taintSeen.has(k)) this.taintSeen.set(k, now);
      return this.taintSeen.get(k)!;
    };
    const at = evictionTime(pod.spec.tolerations ?? [], taints, now, firstSeen);
    if (at === undefined) { this.cancel(key, pod); return; }
    if (at > now) {
      this.scheduled.set(key, at);
      this.queue.addAfter(key, at - now);
      return;
    }
    await this.evict(pod);
    this.scheduled.delete(key);
  }

  /** Adds the DisruptionTarget condition through pods/status, records the event, deletes the pod; NotFound is success. */
  private async evict(pod: Pod): Promise<void> {
    const pods = this.client.resource<Pod>(resources.pods);
    const namespace = pod.metadata.namespace;
    const key = metaNamespaceKey(pod);
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    try {
      await pods.patch(pod.metadata.name!, { status: { conditions: [{ ...DELETION_BY_TAINT_MANAGER_CONDITION, lastTransitionTime: rfc3339(new Date(this.now())) }] } },
        'application/strategic-merge-patch+json', { namespace, subresource: 'status' });
      await pods.delete(pod.metadata.name!, { namespace, preconditions: { uid: pod.metadata.uid } });
    } catch (e) { if (!isNotFound(e)) throw e; }
  }
}
