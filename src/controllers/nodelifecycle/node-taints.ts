/**
 * The taints the node lifecycle controller derives from a Node's conditions and spec
 * (upstream pkg/controller/nodelifecycle: taint-based eviction's NotReady/Unreachable
 * NoExecute templates and TaintNodesByCondition's NoSchedule map; "Taints and
 * Tolerations" concept page, "Taint based Evictions" and "Taint Nodes by Condition").
 * Only the controller's own (key, effect) pairs are ever added or removed.
 */
import type { Node, Taint } from '../../api/core/v1/types.js';
import { rfc3339 } from '../../machinery/time.js';
import { nodeCondition } from './node-health.js';

/* Well-known taint keys (upstream k8s.io/api/core/v1 well_known_taints.go). */
/** Ready condition False (NoExecute and NoSchedule). */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** Ready condition Unknown: the node stopped heartbeating (NoExecute and NoSchedule). */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** `spec.unschedulable` (cordoned) (NoSchedule). */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
/** MemoryPressure condition True (NoSchedule). */
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
/** DiskPressure condition True (NoSchedule). */
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
/** PIDPressure condition True (NoSchedule). */
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
/** NetworkUnavailable condition True (NoSchedule). */
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/** (condition type, status) → NoSchedule taint key (upstream nodeConditionToTaintKeyStatusMap). */
export const CONDITION_NO_SCHEDULE_TAINTS: ReadonlyArray<{ type: string; status: string; key: string }> = [
  { type: 'Ready', status: 'False', key: TAINT_NODE_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_NODE_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: TAINT_NODE_MEMORY_PRESSURE },
  { type: 'DiskPressure', status: 'True', key: TAINT_NODE_DISK_PRESSURE },
  { type: 'PIDPressure', status: 'True', key: TAINT_NODE_PID_PRESSURE },
  { type: 'NetworkUnavailable', status: 'True', key: TAINT_NODE_NETWORK_UNAVAILABLE },
];

const sameTaint = (a: Pick<Taint, 'key' | 'effect'>, b: Pick<Taint, 'key' | 'effect'>): boolean => a.key === b.key && a.effect === b.effect;

/** Whether (key, effect) of `t` is one this controller manages (and so may remove). */
export function isControllerTaint(t: Pick<Taint, 'key' | 'effect'>): boolean {
  if (t.effect === 'NoExecute') return t.key === TAINT_NODE_NOT_READY || t.key === TAINT_NODE_UNREACHABLE;
  if (t.effect === 'NoSchedule') return t.key === TAINT_NODE_UNSCHEDULABLE || CONDITION_NO_SCHEDULE_TAINTS.some((m) => m.key === t.key);
  return false;
}

/**
 * The controller's taints the node should carry, without timeAdded: Ready Unknown →
 * unreachable NoExecute + NoSchedule; Ready False → not-ready NoExecute + NoSchedule;
 * MemoryPressure/DiskPressure/PIDPressure/NetworkUnavailable True → their NoSchedule
 * taint; `spec.unschedulable` → unschedulable NoSchedule. A node without a Ready
 * condition gets no Ready taint.
 */
export function desiredControllerTaints(node: Node): Taint[] {
  const out: Taint[] = [];
  const ready = nodeCondition(node, 'Ready')?.status;
  if (ready === 'Unknown') out.push({ key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' });
  if (ready === 'False') out.push({ key: TAINT_NODE_NOT_READY, effect: 'NoExecute' });
  for (const m of CONDITION_NO_SCHEDULE_TAINTS) {
    if (nodeCondition(node, m.type)?.status === m.status) out.push({ key: m.key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

/**
 * The node's new `spec.taints`: every taint the controller does not manage, in its
 * order, then the desired controller taints — an existing one is kept as is (with its
 * timeAdded), a new NoExecute one gets `timeAdded` = `now` (ms). Returns undefined when
 * the taints would not change.
 */
export function reconcileNodeTaints(node: Node, now: number): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const desired = desiredControllerTaints(node);
  const kept = current.filter((t) => !isControllerTaint(t) || desired.some((d) => sameTaint(d, t)));
  const added = desired.filter((d) => !kept.some((t) => sameTaint(d, t)))
    .map((d) => (d.effect === 'NoExecute' ? { ...d, timeAdded: rfc3339(new Date(now)) } : d));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}
