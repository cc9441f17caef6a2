/**
 * NodeName (upstream pkg/scheduler/framework/plugins/nodename/node_name.go): a pod
 * that names a node in spec.nodeName fits only that node.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import { success, unschedulable, type FilterPlugin } from '../../framework/interface.js';

export const NODE_NAME = 'NodeName';
/** Upstream ErrReason. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** True when the pod names no node or names this one. */
export const fitsNodeName = (pod: Pod, node: Node): boolean => !pod.spec?.nodeName || pod.spec.nodeName === node.metadata.name;

/** Factory of the NodeName plugin (Filter; UnschedulableAndUnresolvable). */
export const nodeName = (): FilterPlugin => ({
  name: NODE_NAME,
  filter: (_state, pod, n) => (fitsNodeName(pod, n.node) ? success() : unschedulable(ERR_REASON_NODE_NAME, true)),
});
