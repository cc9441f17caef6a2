/**
 * What plugins see of a node (upstream framework/types.go NodeInfo): the Node, the
 * non-terminal pods bound or assumed to it, and the sum of their requests.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { podRequests, type Resources } from './resources.js';

export interface NodeInfo {
  node: Node;
  /** Pods on the node that hold resources (not Succeeded/Failed). */
  pods: Pod[];
  /** Sum of the pods' effective requests (cpu in cores, memory/ephemeral-storage in bytes, ...). */
  requested: Resources;
}

/** True for Succeeded/Failed pods, which no longer hold node resources. */
export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** Builds a NodeInfo from a node and the pods bound (or assumed) to it; terminal pods are left out. */
export function newNodeInfo(node: Node, pods: Pod[]): NodeInfo {
  const live = pods.filter((p) => !isTerminal(p));
  const requested: Resources = {};
  for (const p of live) for (const [k, v] of Object.entries(podRequests(p))) requested[k] = (requested[k] ?? 0) + v;
  return { node, pods: live, requested };
}
