/**
 * Node lifecycle controller (upstream pkg/controller/nodelifecycle/node_lifecycle_controller.go,
 * monitorNodeHealth + doNoExecuteTaintingPass + doNoScheduleTaintingPass; "Node status"
 * concept page). Every monitor period it looks at each node:
 *  1. when the node's last heartbeat (Lease renewTime or Ready lastHeartbeatTime, see
 *     node-health.ts) is older than the grace period, it sets Ready, MemoryPressure,
 *     DiskPressure and PIDPressure to Unknown through nodes/status; on the Ready
 *     True → not-True flip it records `NodeNotReady` on the node and sets the Ready
 *     condition of the node's pods to False (upstream MarkPodsNotReady), with a
 *     `NodeNotReady` event on each pod;
 *  2. it keeps the controller's taints (node-taints.ts) in line with the conditions and
 *     `spec.unschedulable`, leaving every other taint alone.
 * Evicting pods for the NoExecute taints is the taint eviction controller's job.
 * Not done: zone disruption states and eviction rate limits (taints are applied at once),
 * and upstream's probe timestamps that guard against clock skew between kubelet and controller.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import type { Lease } from '../../api/coordination/v1/types.js';
import { isNotFound } from '../../machinery/errors.js';
import { rfc3339, onAbort } from '../../machinery/time.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { QueueController } from '../controller.js';
import { isHeartbeatStale, nodeCondition, NODE_LEASE_NAMESPACE, unknownConditions } from './node-health.js';
import { reconcileNodeTaints } from './node-taints.js';

/** Options for {@link NodeLifecycleController}; defaults are kube-controller-manager's. */
export interface NodeLifecycleControllerOptions {
  /** How long (ms) a node may go without a heartbeat before it is considered unhealthy (default 40 s, `--node-monitor-grace-period`). */
  nodeMonitorGracePeriodMs?: number;
  /** Time (ms) between health checks of all nodes (default 5 s, `--node-monitor-period`). */
  nodeMonitorPeriodMs?: number;
  /** The clock, ms since the epoch (default Date.now). */
  now?: () => number;
}

/** Name of the pods index by `spec.nodeName` this controller adds to the shared pod informer. */
export const PODS_BY_NODE_INDEX = 'nodelifecycle.spec.nodeName';

/**
 * The node lifecycle controller; register as `new NodeLifecycleController(client, informers)`.
 * Keys of its queue are node names; the monitor timer enqueues every node each period.
 */
export class NodeLifecycleController extends QueueController {
  private readonly nodeInformer: SharedIndexInformer<Node>;
  private readonly leaseInformer: SharedIndexInformer<Lease>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly recorder: EventRecorder;
  private readonly gracePeriodMs: number;
  private readonly periodMs: number;
  private readonly now: () => number;
  /** Nodes whose pods still have to be marked not ready (kept across retries). */
  private readonly podsToMark = new Set<string>();

  constructor(private readonly client: Client, informers: SharedInformerFactory, opts: NodeLifecycleControllerOptions = {}) {
    super('nodelifecycle', informers);
    this.gracePeriodMs = opts.nodeMonitorGracePeriodMs ?? 40_000;
    this.periodMs = opts.nodeMonitorPeriodMs ?? 5_000;
    this.now = opts.now ?? Date.now;
    this.recorder = createEventRecorder(client, { component: 'node-controller' });
    this.nodeInformer = informers.forResource<Node>(resources.nodes);
    this.leaseInformer = informers.forResource<Lease>(resources.leases, { namespace: NODE_LEASE_NAMESPACE });
    this.podInformer = informers.forResource<Pod>(resources.pods);
    this.podInformer.addIndexers({ [PODS_BY_NODE_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
    this.nodeInformer.addEventHandler({
      onAdd: this.enqueue,
      onUpdate: (_o, n) => this.enqueue(n),
      onDelete: (o) => { this.podsToMark.delete(unwrapTombstone(o).metadata.name!); },
    });
  }

  /** Runs the workers and the monitor timer until `signal` aborts. */
  override async run(signal: AbortSignal, workers: number): Promise<void> {
    const timer = setInterval(() => { for (const n of this.nodeInformer.lister.list()) this.queue.add(n.metadata.name!); }, this.periodMs);
    onAbort(signal, () => clearInterval(timer));
    try { await super.run(signal, workers); } finally { clearInterval(timer); }
  }

  /** One node (key = node name): heartbeat check and status write, NodeNotReady + pods not ready, then taints. Throws to retry. */
  protected async sync(name: string): Promise<void> {
    let node = this.nodeInformer.lister.get(name);
    if (!node) { this.podsToMark.delete(name); return; }
    const now = this.now();
    const nodes = this.client.resource<Node>(resources.nodes);
    const readyBefore = nodeCondition(node, 'Ready')?.status;

    // 1. Health from heartbeats.
    const lease = this.leaseInformer.lister.get(`${NODE_LEASE_NAMESPACE}/${name}`);
    if (isHeartbeatStale(node, lease, now, this.gracePeriodMs)) {
      const conditions = unknownConditions(node, rfc3339(new Date(now)));
      if (conditions) {
        try {
          node = await nodes.update({ ...node, status: { ...node.status, conditions } }, { subresource: 'status' });
        } catch (e) { if (isNotFound(e)) return; throw e; }
      }
    }
    const readyNow = nodeCondition(node, 'Ready')?.status;
    if (readyBefore === 'True' && readyNow !== 'True') {
      this.recorder.event({ ...node, metadata: { ...node.metadata, namespace: '' } }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      this.podsToMark.add(name);
    }
    if (readyNow === 'True') this.podsToMark.delete(name);
    else if (this.podsToMark.has(name)) {
      await this.markPodsNotReady(name, now);
      this.podsToMark.delete(name);
    }

    // 2. Taints from conditions and spec.unschedulable.
    const taints = reconcileNodeTaints(node, now);
    if (taints) {
      try {
        await nodes.update({ ...node, spec: { ...node.spec, taints } });
      } catch (e) { if (!isNotFound(e)) throw e; }
    }
  }

  /**
   * Sets the Ready condition of every pod bound to the node to False through pods/status
   * (upstream controller_utils MarkPodsNotReady), with a Warning `NodeNotReady` event on
   * each. Pods without a Ready condition, already not ready, or terminal are skipped.
   * Throws the first failure other than NotFound (the sync is retried).
   */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    const pods = this.client.resource<Pod>(resources.pods);
    const t = rfc3339(new Date(now));
    const errors: unknown[] = [];
    await Promise.all(this.podInformer.lister.byIndex(PODS_BY_NODE_INDEX, nodeName).map(async (pod) => {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') return;
      try {
        await pods.patch(pod.metadata.name!, { status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: t }] } },
          'application/strategic-merge-patch+json', { namespace: pod.metadata.namespace, subresource: 'status' });
        this.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (e) { if (!isNotFound(e)) errors.push(e); }
    }));
    if (errors.length) throw errors[0];
  }
}
