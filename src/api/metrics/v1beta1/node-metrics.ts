/**
 * metrics.k8s.io/v1beta1 NodeMetrics (`nodes`, cluster-scoped; metrics-server
 * pkg/api/node.go): get and list only, computed on read from the kubelets' Summary API
 * by the registry (apiserver/registry/resource-metrics.ts), never stored. JSON only.
 */
import type { ResourceDefinition } from '../../resource-definition.js';
import { NodeMetricsSchema, type NodeMetrics } from './types.js';

export const nodeMetricsDefinition: ResourceDefinition<NodeMetrics> = {
  info: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics', listKind: 'NodeMetricsList', plural: 'nodes', singular: '', namespaced: false, verbs: ['get', 'list'] },
  schema: NodeMetricsSchema,
  serving: 'virtual',
  applyDefaults() {},
  validate: () => [],
};
