/**
 * Pod garbage collector (upstream pkg/controller/podgc/gc_controller.go): every scan
 * period it force-deletes (grace period 0)
 *  1. terminated pods (phase Succeeded/Failed) beyond `terminatedPodThreshold`, evicted
 *     ones first, then oldest by creationTimestamp;
 *  2. terminating pods on a NotReady node with a `node.kubernetes.io/out-of-service` taint (any effect);
 *  3. orphaned pods bound to a node that no longer exists — still missing, by a live
 *     GET, after a quarantine period — after marking them Failed with the
 *     `DisruptionTarget` condition (reason DeletionByPodGC);
 *  4. unscheduled terminating pods (deletionTimestamp set, no nodeName).
 * Any pod deleted that is not yet terminal is first moved to phase Failed through
 * pods/status, as no kubelet will ever do it.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { isNotFound } from '../../machinery/errors.js';
import { rfc3339, sleepUntilAborted } from '../../machinery/time.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedInformerFactory, SharedIndexInformer } from '../../client/informers/types.js';
import type { Controller } from '../controller.js';

/** Options for {@link PodGCController}; defaults are kube-controller-manager's. */
export interface PodGCControllerOptions {
  /** Terminated pods kept before the oldest are deleted (default 12500; <= 0 disables this rule). */
  terminatedPodThreshold?: number;
  /** How long (ms) a missing node must stay missing before its pods are deleted (default 40 s). */
  quarantineMs?: number;
  /** Time (ms) between scans (default 20 s). */
  periodMs?: number;
  /** The clock, ms since the epoch (default Date.now). */
  now?: () => number;
}

/** The DisruptionTarget condition PodGC puts on orphaned pods before deleting them. */
export const DELETION_BY_POD_GC_CONDITION = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' } as const;

/** Taint marking a node out of service (its terminating pods are force-deleted). */
export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

const PARALLELISM = 50;

/** Whether the pod has reached a terminal phase. */
export const isPodTerminated = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * The terminated pods to delete so at most `threshold` remain: evicted pods first
 * (phase Failed, reason Evicted), then by creationTimestamp oldest first, ties by name
 * (upstream gcTerminated with byEvictionAndCreationTimestamp). Empty when threshold <= 0.
 */
export function terminatedPodsToDelete(pods: Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  const evicted = (p: Pod) => p.status?.phase === 'Failed' && p.status?.reason === 'Evicted';
  const created = (p: Pod) => (p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : 0);
  terminated.sort((a, b) => {
    if (evicted(a) !== evicted(b)) return evicted(a) ? -1 : 1;
    if (created(a) !== created(b)) return created(a) - created(b);
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
  });
  return terminated.slice(0, excess);
}

/** The PodGC controller; register as `new PodGCController(client, informers)`. Scans on a timer rather than a work queue. */
export class PodGCController implements Controller {
  readonly name = 'podgc';
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly nodeInformer: SharedIndexInformer<Node>;
  /** Node name → when (ms) a pod was first seen bound to it while it was missing from the cache. */
  private readonly quarantine = new Map<string, number>();
  private readonly threshold: number;
  private readonly quarantineMs: number;
  private readonly periodMs: number;
  private readonly now: () => number;

  constructor(private readonly client: Client, private readonly informers: SharedInformerFactory, opts: PodGCControllerOptions = {}) {
    this.podInformer = informers.forResource<Pod>(resources.pods);
    this.nodeInformer = informers.forResource<Node>(resources.nodes);
    this.threshold = opts.terminatedPodThreshold ?? 12_500;
    this.quarantineMs = opts.quarantineMs ?? 40_000;
    this.periodMs = opts.periodMs ?? 20_000;
    this.now = opts.now ?? Date.now;
  }

  /** Waits for the caches, then scans every period until `signal` aborts; `workers` is unused (one scanner, as upstream). */
  async run(signal: AbortSignal, _workers: number): Promise<void> {
    try { await this.informers.waitForCacheSync(signal); } catch { return; }
    while (!signal.aborted) {
      try { await this.gc(); } catch (e) { console.error(`podgc: ${(e as Error)?.message ?? e}`); }
      await sleepUntilAborted(this.periodMs, signal);
    }
  }

  /** One scan over the cached pods and nodes (upstream gc). */
  async gc(): Promise<void> {
    const pods = this.podInformer.lister.list();
    const nodes = this.nodeInformer.lister.list();
    await this.forEach(terminatedPodsToDelete(pods, this.threshold), (p) => this.markFailedAndDelete(p));
    await this.gcTerminating(pods, nodes);
    await this.gcOrphaned(pods, nodes);
    await this.forEach(pods.filter((p) => p.metadata.deletionTimestamp && !p.spec?.nodeName), (p) => this.markFailedAndDelete(p));
  }

  /** Terminating pods on NotReady nodes with the out-of-service taint (upstream gcTerminating). */
  private async gcTerminating(pods: Pod[], nodes: Node[]): Promise<void> {
    const outOfService = new Set(nodes.filter((n) => {
      const ready = (n.status?.conditions ?? []).find((c) => c.type === 'Ready');
      return ready?.status !== 'True' && (n.spec?.taints ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT);
    }).map((n) => n.metadata.name!));
    await this.forEach(pods.filter((p) => p.metadata.deletionTimestamp && p.spec?.nodeName && outOfService.has(p.spec.nodeName)), (p) => this.markFailedAndDelete(p));
  }

  /** Pods bound to nodes missing for longer than the quarantine and confirmed gone by a live GET (upstream gcOrphaned/discoverDeletedNodes). */
  private async gcOrphaned(pods: Pod[], nodes: Node[]): Promise<void> {
    const existing = new Set(nodes.map((n) => n.metadata.name!));
    const now = this.now();
    const missing = new Set<string>();
    for (const p of pods) {
      const node = p.spec?.nodeName;
      if (!node || existing.has(node)) continue;
      missing.add(node);
      if (!this.quarantine.has(node)) this.quarantine.set(node, now);
    }
    const deleted = new Set<string>();
    for (const [node, since] of this.quarantine) {
      if (!missing.has(node)) { this.quarantine.delete(node); continue; }
      if (now - since < this.quarantineMs) continue;
      try {
        await this.client.resource<Node>(resources.nodes).get(node);
        this.quarantine.delete(node); // it exists after all: the cache was behind
      } catch (e) {
        if (isNotFound(e)) deleted.add(node);
        else console.error(`podgc: get node ${node}: ${(e as Error).message}`);
      }
    }
    await this.forEach(pods.filter((p) => p.spec?.nodeName && deleted.has(p.spec.nodeName)), (p) => this.markFailedAndDelete(p, DELETION_BY_POD_GC_CONDITION));
  }

  /**
   * Moves a non-terminal pod to phase Failed (with `condition`, if given) through
   * pods/status, then deletes it with grace period 0 (upstream
   * markFailedAndDeletePodWithCondition). A pod already gone is not an error.
   */
  private async markFailedAndDelete(pod: Pod, condition?: typeof DELETION_BY_POD_GC_CONDITION): Promise<void> {
    const pods = this.client.resource<Pod>(resources.pods);
    const namespace = pod.metadata.namespace;
    try {
      if (!isPodTerminated(pod)) {
        const status = { phase: 'Failed', ...(condition ? { conditions: [{ ...condition, lastTransitionTime: rfc3339(new Date(this.now())) }] } : {}) };
        await pods.patch(pod.metadata.name!, { status }, 'application/strategic-merge-patch+json', { namespace, subresource: 'status' });
      }
      await pods.delete(pod.metadata.name!, { namespace, gracePeriodSeconds: 0 });
    } catch (e) {
      if (!isNotFound(e)) console.error(`podgc: delete pod ${namespace}/${pod.metadata.name}: ${(e as Error).message}`);
    }
  }

  private async forEach(pods: Pod[], fn: (p: Pod) => Promise<void>): Promise<void> {
    for (let i = 0; i < pods.length; i += PARALLELISM) await Promise.all(pods.slice(i, i + PARALLELISM).map(fn));
  }
}
