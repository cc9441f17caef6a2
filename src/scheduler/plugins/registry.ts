/** The scheduler's explicit plugin registry: name → factory, in the default profile's order. */
import type { Plugin } from '../framework/interface.js';
import { nodeAffinity } from './node-affinity.js';
import { nodeName } from './node-name.js';
import { nodeResourcesFit } from './node-resources-fit.js';
import { nodeUnschedulable } from './node-unschedulable.js';
import { taintToleration } from './taint-toleration.js';

export const pluginFactories: Record<string, () => Plugin> = {
  NodeUnschedulable: nodeUnschedulable, NodeName: nodeName, TaintToleration: taintToleration,
  NodeAffinity: nodeAffinity, NodeResourcesFit: nodeResourcesFit,
};
export const defaultPlugins = Object.keys(pluginFactories);
