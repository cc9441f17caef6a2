/**
 * What plugins see of a node (upstream framework/types.go NodeInfo): the Node, the
 * non-terminal pods bound or assumed to it, and sums kept as pods come and go — their
 * effective requests, their scoring requests (defaults for containers without one), and
 * the node's allocatable, parsed once per Node version.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { allocatable, nonZeroRequests, podRequests, type Resources } from './resources.js';

export interface NodeInfo {
  node: Node;
  /** Pods on the node that hold resources (not Succeeded/Failed). */
  pods: Pod[];
  /** Sum of the pods' effective requests (cpu in cores, memory/ephemeral-storage in bytes, ...). */
  requested: Resources;
  /** Sum of the pods' scoring requests (upstream NonZeroRequested): cpu cores, memory bytes. */
  nonZeroRequested: { cpu: number; memory: number };
  /** node.status.allocatable parsed (capacity where allocatable lacks a resource). */
  allocatable: Resources;
}

/** True for Succeeded/Failed pods, which no longer hold node resources. */
export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** Builds a NodeInfo from a node and the pods bound (or assumed) to it; terminal pods are left out. */
export function newNodeInfo(node: Node, pods: Pod[]): NodeInfo {
  const info: NodeInfo = { node, pods: [], requested: {}, nonZeroRequested: { cpu: 0, memory: 0 }, allocatable: allocatable(node) };
  for (const p of pods) if (!isTerminal(p)) addPodToNodeInfo(info, p, podRequests(p), nonZeroRequests(p));
  return info;
}

/** Adds `pod` with its precomputed requests to `info` (no check for duplicates). */
export function addPodToNodeInfo(info: NodeInfo, pod: Pod, req: Resources, nonZero: { cpu: number; memory: number }): void {
  info.pods.push(pod);
  for (const [k, v] of Object.entries(req)) info.requested[k] = (info.requested[k] ?? 0) + v;
  info.nonZeroRequested.cpu += nonZero.cpu;
  info.nonZeroRequested.memory += nonZero.memory;
}

/** Removes the pod with `uid` and subtracts its requests; false when it was not there. */
export function removePodFromNodeInfo(info: NodeInfo, uid: string, req: Resources, nonZero: { cpu: number; memory: number }): boolean {
  const i = info.pods.findIndex((p) => p.metadata.uid === uid);
  if (i < 0) return false;
  info.pods.splice(i, 1);
  for (const [k, v] of Object.entries(req)) info.requested[k] = (info.requested[k] ?? 0) - v;
  info.nonZeroRequested.cpu -= nonZero.cpu;
  info.nonZeroRequested.memory -= nonZero.memory;
  return true;
}
