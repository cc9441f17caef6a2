/**
 * Node health from heartbeats (upstream pkg/controller/nodelifecycle
 * node_lifecycle_controller.go tryUpdateNodeHealth; "Node status" concept page, section
 * "Heartbeats"): a node's last heartbeat is the later of its Lease's `renewTime`
 * (kube-node-lease/<node>) and its Ready condition's `lastHeartbeatTime`; once that is
 * older than the grace period the controller rewrites the kubelet's conditions to Unknown.
 */
import type { Node } from '../../api/core/v1/types.js';
import type { Lease } from '../../api/coordination/v1/types.js';
import type { Condition } from '../../api/meta/v1/types.js';

/** The namespace holding one Lease per node, renewed by its kubelet. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** The conditions the kubelet owns and the controller turns Unknown when it goes silent (upstream nodeConditionTypes). */
export const KUBELET_CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** Reason and message of a condition turned Unknown because heartbeats stopped. */
export const NODE_STATUS_UNKNOWN = { reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' } as const;
/** Reason and message of a condition added as Unknown because the kubelet never reported it. */
export const NODE_STATUS_NEVER_UPDATED = { reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' } as const;

/** The node's condition of `type`, if any. */
export const nodeCondition = (node: Node, type: string): Condition | undefined =>
  (node.status?.conditions ?? []).find((c) => c.type === type);

const parse = (t: string | undefined): number | undefined => {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * The node's last heartbeat in ms since the epoch: the later of the Lease's
 * `spec.renewTime` and the Ready condition's `lastHeartbeatTime`; when neither exists,
 * the node's `creationTimestamp` (a node that never reported gets a grace period from
 * its registration, as upstream); 0 if that is missing too.
 */
export function lastHeartbeat(node: Node, lease: Lease | undefined): number {
  const renew = parse(lease?.spec?.renewTime);
  const ready = parse(nodeCondition(node, 'Ready')?.lastHeartbeatTime);
  if (renew === undefined && ready === undefined) return parse(node.metadata.creationTimestamp) ?? 0;
  return Math.max(renew ?? 0, ready ?? 0);
}

/** Whether the node's last heartbeat (see {@link lastHeartbeat}) is older than `gracePeriodMs` at `now` (ms). */
export const isHeartbeatStale = (node: Node, lease: Lease | undefined, now: number, gracePeriodMs: number): boolean =>
  now - lastHeartbeat(node, lease) > gracePeriodMs;

/**
 * The node's conditions with Ready, MemoryPressure, DiskPressure and PIDPressure set to
 * Unknown (`nowTime` an RFC 3339 time for lastTransitionTime): existing ones not yet
 * Unknown get reason NodeStatusUnknown and keep their lastHeartbeatTime; missing ones
 * are added with reason NodeStatusNeverUpdated; others (e.g. NetworkUnavailable) are
 * kept. Returns undefined when nothing would change.
 */
export function unknownConditions(node: Node, nowTime: string): Condition[] | undefined {
  const conditions = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of KUBELET_CONDITION_TYPES) {
    const i = conditions.findIndex((c) => c.type === type);
    if (i < 0) {
      conditions.push({ type, status: 'Unknown', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: nowTime, ...NODE_STATUS_NEVER_UPDATED });
      changed = true;
    } else if (conditions[i].status !== 'Unknown') {
      conditions[i] = { ...conditions[i], status: 'Unknown', lastTransitionTime: nowTime, ...NODE_STATUS_UNKNOWN };
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
