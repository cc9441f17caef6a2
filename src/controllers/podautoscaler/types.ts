/**
 * The autoscaling/v2 HorizontalPodAutoscaler pieces the controller reads and writes
 * (k8s.io/api/autoscaling/v2 types.go), typed here for the controller only: metric
 * specs and statuses, scaling behavior, conditions. Quantities are strings as on the
 * wire; times are RFC 3339 strings.
 */
import type { KubeObject } from '../../api/object.js';
import type { LabelSelector } from '../../api/meta/v1/types.js';

export interface MetricTarget { type: 'Utilization' | 'Value' | 'AverageValue'; value?: string; averageValue?: string; averageUtilization?: number }
export interface MetricValueStatus { value?: string; averageValue?: string; averageUtilization?: number }
/** A custom or external metric: its name and the selector narrowing its series. */
export interface MetricIdentifier { name: string; selector?: LabelSelector }
/** The object an Object metric describes (autoscaling/v2 CrossVersionObjectReference). */
export interface ObjectReference { apiVersion?: string; kind: string; name: string }
export interface MetricSpec {
  type: 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External';
  resource?: { name: string; target: MetricTarget };
  containerResource?: { name: string; container: string; target: MetricTarget };
  pods?: { metric: MetricIdentifier; target: MetricTarget };
  object?: { describedObject: ObjectReference; metric: MetricIdentifier; target: MetricTarget };
  external?: { metric: MetricIdentifier; target: MetricTarget };
}
export interface MetricStatus {
  type: MetricSpec['type'];
  resource?: { name: string; current: MetricValueStatus };
  containerResource?: { name: string; container: string; current: MetricValueStatus };
  pods?: { metric: MetricIdentifier; current: MetricValueStatus };
  object?: { describedObject: ObjectReference; metric: MetricIdentifier; current: MetricValueStatus };
  external?: { metric: MetricIdentifier; current: MetricValueStatus };
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
