/**
 * The scheduler's explicit plugin registry (upstream plugins/registry.go): name →
 * factory; nothing registers itself on import. `defaultProfile` lists the plugins of
 * the default profile in upstream's order with upstream's score weights
 * (TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, the
 * resource scorers and ImageLocality 1); SchedulingGates is its PreEnqueue, PrioritySort its
 * QueueSort, DefaultPreemption its PostFilter.
 */
import type { PluginFactory } from '../framework/interface.js';
import type { PluginConfig } from '../framework/framework.js';
import { DEFAULT_BINDER, defaultBinder } from './default-binder/default-binder.js';
import { NODE_AFFINITY, nodeAffinity } from './node-affinity/node-affinity.js';
import { NODE_NAME, nodeName } from './node-name/node-name.js';
import { NODE_PORTS, nodePorts } from './node-ports/node-ports.js';
import { NODE_RESOURCES_BALANCED_ALLOCATION, nodeResourcesBalancedAllocation } from './node-resources-balanced-allocation/node-resources-balanced-allocation.js';
import { NODE_RESOURCES_FIT, nodeResourcesFit } from './node-resources-fit/node-resources-fit.js';
import { NODE_UNSCHEDULABLE, nodeUnschedulable } from './node-unschedulable/node-unschedulable.js';
import { TAINT_TOLERATION, taintToleration } from './taint-toleration/taint-toleration.js';
import { POD_TOPOLOGY_SPREAD, podTopologySpread } from './pod-topology-spread/pod-topology-spread.js';
import { INTER_POD_AFFINITY, interPodAffinity } from './inter-pod-affinity/inter-pod-affinity.js';
import { IMAGE_LOCALITY, imageLocality } from './image-locality/image-locality.js';
import { DEFAULT_PREEMPTION, defaultPreemption } from './default-preemption/default-preemption.js';
import { PRIORITY_SORT, prioritySort } from './priority-sort/priority-sort.js';
import { SCHEDULING_GATES, schedulingGates } from './scheduling-gates/scheduling-gates.js';
import { VOLUME_BINDING, volumeBinding } from './volume-binding/volume-binding.js';
import { VOLUME_RESTRICTIONS, volumeRestrictions } from './volume-restrictions/volume-restrictions.js';

export const pluginRegistry: Record<string, PluginFactory> = {
  [PRIORITY_SORT]: prioritySort,
  [SCHEDULING_GATES]: schedulingGates,
  [NODE_UNSCHEDULABLE]: nodeUnschedulable,
  [NODE_NAME]: nodeName,
  [TAINT_TOLERATION]: taintToleration,
  [NODE_AFFINITY]: nodeAffinity,
  [NODE_PORTS]: nodePorts,
  [NODE_RESOURCES_FIT]: nodeResourcesFit,
  [NODE_RESOURCES_BALANCED_ALLOCATION]: nodeResourcesBalancedAllocation,
  [VOLUME_RESTRICTIONS]: volumeRestrictions,
  [VOLUME_BINDING]: volumeBinding,
  [POD_TOPOLOGY_SPREAD]: podTopologySpread,
  [INTER_POD_AFFINITY]: interPodAffinity,
  [IMAGE_LOCALITY]: imageLocality,
  [DEFAULT_PREEMPTION]: defaultPreemption,
  [DEFAULT_BINDER]: defaultBinder,
};

export const defaultProfile: PluginConfig[] = [
  { name: SCHEDULING_GATES },
  { name: PRIORITY_SORT },
  { name: NODE_UNSCHEDULABLE },
  { name: NODE_NAME },
  { name: TAINT_TOLERATION, weight: 3 },
  { name: NODE_AFFINITY, weight: 2 },
  { name: NODE_PORTS },
  { name: NODE_RESOURCES_FIT, weight: 1 },
  { name: VOLUME_RESTRICTIONS },
  { name: VOLUME_BINDING },
  { name: POD_TOPOLOGY_SPREAD, weight: 2 },
  { name: INTER_POD_AFFINITY, weight: 2 },
  { name: DEFAULT_PREEMPTION },
  { name: NODE_RESOURCES_BALANCED_ALLOCATION, weight: 1 },
  { name: IMAGE_LOCALITY, weight: 1 },
  { name: DEFAULT_BINDER },
];
