/**
 * The RollingUpdate strategy of DaemonSets (upstream pkg/controller/daemon/update.go
 * rollingUpdate, updatedDesiredNodeCounts): which old pods to delete and on which
 * nodes to surge a new pod, bounded by maxUnavailable / maxSurge.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import type { DaemonSet } from '../../api/apps/v1/daemon-set.js';
import { isPodAvailable } from '../pod-util.js';
import { resolveIntOrPercent } from '../deployment/rollout-math.js';
import { findUpdatedPodsOnNode, nodeShouldRunDaemonPod } from './daemon-pods.js';

/** maxSurge / maxUnavailable as counts of `desired` nodes (percentages round up); both 0 → unavailable 1 (upstream). */
export function resolveRollingUpdateCounts(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  const maxSurge = resolveIntOrPercent(ru.maxSurge ?? 0, desired, true);
  let maxUnavailable = resolveIntOrPercent(ru.maxUnavailable ?? 1, desired, true);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** Upstream AllowsSurge: RollingUpdate with a maxSurge that is not zero (a percentage of 1 node, rounded up). */
export function allowsSurge(ds: DaemonSet): boolean {
  const s = ds.spec?.updateStrategy;
  if ((s?.type ?? 'RollingUpdate') !== 'RollingUpdate' || !s?.rollingUpdate) return false;
  return resolveIntOrPercent(s.rollingUpdate.maxSurge ?? 0, 1, true) !== 0;
}

/** What a rolling-update pass does: pods to delete, nodes to create a (surge) pod on. */
export interface RollingUpdatePlan { deletes: Pod[]; createOn: string[] }

/**
 * Upstream rollingUpdate. Every node that wants the pod counts toward `desired` (and
 * maxSurge/maxUnavailable are resolved against it). Without surge: nodes with no pod,
 * two pods or an unavailable new pod count as unavailable; unavailable old pods are
 * always replaced (and count as unavailable), available old ones only while fewer than
 * maxUnavailable are unavailable. With surge: a new pod is created next to an old one (always when the old
 * one is unavailable, else on up to maxSurge minus the in-flight surges — nodes with an
 * unavailable new pod or excess pods), and the old one is deleted once the new one is
 * available; an unavailable old pod on a node that no longer wants it is deleted, an
 * available one only while more pods are available than desired.
 */
export function planRollingUpdate(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string, generation: string | undefined, now: number): RollingUpdatePlan {
  const perNode = new Map(byNode);
  const wants = new Map<string, boolean>();
  let desired = 0;
  for (const n of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(n, ds);
    wants.set(n.metadata.name!, shouldRun);
    if (!shouldRun) continue;
    desired++;
    if (!perNode.has(n.metadata.name!)) perNode.set(n.metadata.name!, []);
  }
  const { maxSurge, maxUnavailable } = resolveRollingUpdateCounts(ds, desired);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, now);
  const plan: RollingUpdatePlan = { deletes: [], createOn: [] };
  if (maxSurge === 0) {
    let unavailable = 0;
    const allowed: Pod[] = []; const candidates: Pod[] = [];
    for (const pods of perNode.values()) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(pods, hash, generation);
      if (!ok) { unavailable++; continue; }
      if ((!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
      else if (newPod) { if (!available(newPod)) unavailable++; }
      else if (!available(oldPod!)) { allowed.push(oldPod!); unavailable++; }
      else if (unavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    plan.deletes = [...allowed, ...candidates.slice(0, remaining)];
    return plan;
  }
  // Surge: count in-flight surges first, then take candidates up to maxSurge.
  let surged = 0; let availableCount = 0;
  const allowedNew: string[] = []; const candidateNew: string[] = []; const shouldNotRun: Pod[] = [];
  for (const [node, pods] of perNode) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(pods, hash, generation);
    if (!ok) { surged++; continue; }
    if ((oldPod ?? newPod) && available((oldPod ?? newPod)!)) availableCount++;
    if (!oldPod) continue;
    if (!newPod) {
      const run = wants.get(node) === true;
      if (!available(oldPod)) { if (!run) plan.deletes.push(oldPod); else allowedNew.push(node); }
      else if (!run) shouldNotRun.push(oldPod);
      else if (surged < maxSurge) candidateNew.push(node);
    } else if (!available(newPod)) surged++;
    else plan.deletes.push(oldPod);
  }
  // Pods on nodes that no longer want one go only while the others keep 100% available.
  plan.deletes.push(...shouldNotRun.slice(0, Math.max(0, availableCount - desired)));
  plan.createOn = [...allowedNew, ...candidateNew.slice(0, Math.min(Math.max(0, maxSurge - surged), candidateNew.length))];
  return plan;
}
