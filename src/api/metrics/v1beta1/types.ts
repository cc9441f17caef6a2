/**
 * metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics (metrics-server's
 * k8s.io/metrics/pkg/apis/metrics/v1beta1/types.go): a usage sample per node or pod,
 * `timestamp` the sample's time (RFC 3339), `window` the interval the usage was measured
 * over (a Go duration string such as "10s"), `usage` a ResourceList with `cpu` (cores,
 * e.g. "1234567n") and `memory` (working set bytes, e.g. "123456Ki").
 */
import { Type, type Static } from '@sinclair/typebox';
import { AtomicList, Obj, Quantity, Str, Time } from '../../schema.js';
import { KindObject } from '../../core/v1/types.js';

const ResourceListSchema = Type.Record(Type.String(), Quantity());

export const NodeMetricsSchema = KindObject({ timestamp: Time(), window: Str(), usage: ResourceListSchema });
export const ContainerMetricsSchema = Obj({ name: Str(), usage: ResourceListSchema });
export const PodMetricsSchema = KindObject({ timestamp: Time(), window: Str(), containers: AtomicList(ContainerMetricsSchema) });

export type NodeMetrics = Static<typeof NodeMetricsSchema>;
export type ContainerMetrics = Static<typeof ContainerMetricsSchema>;
export type PodMetrics = Static<typeof PodMetricsSchema>;
