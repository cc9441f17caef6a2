/**
 * The autoscaling/v2 HorizontalPodAutoscaler pieces the controller reads and writes
 * (k8s.io/api/autoscaling/v2 types.go), typed here for the controller only: metric
 * specs and statuses, scaling behavior, conditions. Quantities are strings as on the
 * wire; times are RFC 3339 strings.
 */
import type { KubeObject } from '../../api/object.js';

export interface MetricTarget { type: 'Utilization' | 'Value' | 'AverageValue'; value?: string; averageValue?: string; averageUtilization?: number }
export interface MetricValueStatus { value?: string; averageValue?: string; averageUtilization?: number }
export interface MetricSpec {
  type: 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External';
  resource?: { name: string; target: MetricTarget };
  containerResource?: { name: string; container: string; target: MetricTarget };
  [other: string]: unknown;
}
export interface MetricStatus {
  type: MetricSpec['type'];
  resource?: { name: string; current: MetricValueStatus };
  containerResource?: { name: string; container: string; current: MetricValueStatus };
}
export interface ScalingPolicy { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }
export interface ScalingRules { stabilizationWindowSeconds?: number; selectPolicy?: 'Max' | 'Min' | 'Disabled'; policies?: ScalingPolicy[] }
export interface Behavior { scaleUp?: ScalingRules; scaleDown?: ScalingRules }
export interface HpaCondition { type: string; status: 'True' | 'False' | 'Unknown'; lastTransitionTime?: string; reason?: string; message?: string }

export interface HorizontalPodAutoscaler extends KubeObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: MetricSpec[];
    behavior?: Behavior;
  };
  status?: {
    observedGeneration?: number;
    lastScaleTime?: string;
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: MetricStatus[] | null;
    conditions?: HpaCondition[];
  };
}

/** autoscaling/v1 Scale as the `scale` subresources answer it. */
export interface Scale extends KubeObject { spec?: { replicas?: number }; status?: { replicas?: number; selector?: string } }

/** One pod's usage: `value` in milli-units (millicores, milli-bytes), `timestamp` ms since epoch, `windowMs` the sample window. */
export interface PodMetric { timestamp: number; windowMs: number; value: number }
/** Pod name → its usage. */
export type PodMetricsInfo = Map<string, PodMetric>;
