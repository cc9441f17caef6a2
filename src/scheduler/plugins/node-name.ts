/** NodeName (upstream plugins/nodename): a pod with spec.nodeName fits only that node. */
import { success, unschedulable, type FilterPlugin } from '../framework/interface.js';

export const nodeName = (): FilterPlugin => ({
  name: 'NodeName',
  filter: (pod, n) => (!pod.spec?.nodeName || pod.spec.nodeName === n.node.metadata.name ? success() : unschedulable("node(s) didn't match the requested node name", true)),
});
