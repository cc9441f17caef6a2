/**
 * Where daemon pods should be (upstream daemon_controller.go getNodesToDaemonPods,
 * podsShouldBeOnNode and getUnscheduledPodsWithoutNode): pods grouped by target node,
 * and per node whether a pod must be created and which pods must go.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { isPodAvailable, isPodReady } from '../pod-util.js';
import { DAEMONSET_REVISION_HASH_LABEL, sortByCreationAndPhase, targetNodeName, type NodeDecision } from './daemon-pods.js';

/**
 * Upstream getNodesToDaemonPods: the pods grouped by target node name (bound node or
 * pinning affinity); pods both terminal and being deleted are left out, pods with no
 * target node are dropped.
 */
export function nodesToDaemonPods(pods: Pod[]): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const p of pods) {
    const terminal = p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';
    if (terminal && p.metadata.deletionTimestamp) continue;
    const node = targetNodeName(p);
    if (!node) continue;
    const list = out.get(node);
    if (list) list.push(p); else out.set(node, [p]);
  }
  return out;
}

/** The outcome of one node (upstream podsShouldBeOnNode): create a pod?, pods to delete, failed pods (deleted subject to back-off). */
export interface NodePlan { create: boolean; deletes: Pod[]; failed: Pod[] }

/** Inputs of `podsShouldBeOnNode` besides the node's pods. */
export interface NodePlanOptions { hash: string; useSurge: boolean; minReadySeconds: number; now: number }

/**
 * Upstream podsShouldBeOnNode. `shouldRun` with no pod (of any state) → create. When the
 * pod may continue: failed pods are reported in `failed`; of the other pods not being
 * deleted, without surge all but the oldest are deleted; with surge the oldest of the
 * current hash and the oldest older one are kept, the older one deleted once it is not
 * ready or the new one is available. When the pod may not continue: every pod not
 * already being deleted is deleted.
 */
export function podsShouldBeOnNode(decision: NodeDecision, pods: Pod[] | undefined, o: NodePlanOptions): NodePlan {
  const plan: NodePlan = { create: false, deletes: [], failed: [] };
  const exists = !!pods && pods.length > 0;
  if (decision.shouldRun && !exists) { plan.create = true; return plan; }
  if (!exists) return plan;
  if (!decision.shouldContinueRunning) {
    plan.deletes = pods.filter((p) => !p.metadata.deletionTimestamp);
    return plan;
  }
  const running: Pod[] = [];
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (p.status?.phase === 'Failed') plan.failed.push(p); else running.push(p);
  }
  if (running.length <= 1) return plan;
  const sorted = sortByCreationAndPhase(running);
  if (!o.useSurge) { plan.deletes.push(...sorted.slice(1)); return plan; }
  let oldestNew: Pod | undefined; let oldestOld: Pod | undefined;
  for (const p of sorted) {
    if (p.metadata.labels?.[DAEMONSET_REVISION_HASH_LABEL] === o.hash) { if (!oldestNew) { oldestNew = p; continue; } }
    else if (!oldestOld) { oldestOld = p; continue; }
    plan.deletes.push(p);
  }
  if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, o.minReadySeconds, o.now))) plan.deletes.push(oldestOld);
  return plan;
}

/**
 * Upstream getUnscheduledPodsWithoutNode: pods not bound to any node whose target node
 * is not among `nodeNames` (the scheduler can never bind them and pod GC does not see
 * them), not already being deleted.
 */
export function unscheduledPodsWithoutNode(byNode: Map<string, Pod[]>, nodeNames: Set<string>): Pod[] {
  const out: Pod[] = [];
  for (const [node, pods] of byNode) {
    if (nodeNames.has(node)) continue;
    for (const p of pods) if (!p.spec?.nodeName && !p.metadata.deletionTimestamp) out.push(p);
  }
  return out;
}
