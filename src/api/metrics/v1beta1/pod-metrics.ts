/**
 * metrics.k8s.io/v1beta1 PodMetrics (`pods`, namespaced; metrics-server
 * pkg/api/pod.go): get and list only, computed on read from the kubelets' Summary API
 * by the registry (apiserver/registry/resource-metrics.ts), never stored. JSON only.
 */
import type { ResourceDefinition } from '../../resource-definition.js';
import { PodMetricsSchema, type PodMetrics } from './types.js';

export const podMetricsDefinition: ResourceDefinition<PodMetrics> = {
  info: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', listKind: 'PodMetricsList', plural: 'pods', singular: '', namespaced: true, verbs: ['get', 'list'] },
  schema: PodMetricsSchema,
  serving: 'virtual',
  applyDefaults() {},
  validate: () => [],
};
