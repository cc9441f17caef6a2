/**
 * autoscaling/v1 HorizontalPodAutoscaler: a second version of the autoscaling/v2
 * resource, stored as v2 objects. Conversion is upstream's
 * pkg/apis/autoscaling/v1/conversion.go: `targetCPUUtilizationPercentage` is the CPU
 * utilization metric; what v1 cannot express travels in annotations so that a v1
 * read-modify-write keeps it —
 *   autoscaling.alpha.kubernetes.io/metrics          spec.metrics but the CPU utilization ones (v1 MetricSpec)
 *   autoscaling.alpha.kubernetes.io/behavior         spec.behavior (Go field names, as upstream marshals the internal type)
 *   autoscaling.alpha.kubernetes.io/current-metrics  status.currentMetrics (v1 MetricStatus)
 *   autoscaling.alpha.kubernetes.io/conditions       status.conditions
 * and are lifted out again on the way to v2. A v1 object without any metric gets
 * upstream's implicit 80 % CPU target. Defaults (minReplicas 1), validation and the
 * printer are the stored version's (upstream runs them on the internal object).
 */
import type { KubeObject } from '../../object.js';
import type { ResourceDefinition } from '../../resource-definition.js';
import { defineResource } from '../../define-resource.js';
import { horizontalPodAutoscalerDefinition, type HorizontalPodAutoscaler } from '../v2/horizontal-pod-autoscaler.js';
import { horizontalPodAutoscalerPrinter } from '../../printers/autoscaling-printers.js';
import { printConverted } from '../../printers/converted.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

/** autoscaling/v1 HorizontalPodAutoscaler (the shape is the wire contract's). */
export type HorizontalPodAutoscalerV1 = KubeObject & Obj;

export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const ROUND_TRIP = [METRICS_ANNOTATION, BEHAVIOR_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION];

/** `o` without the keys whose value is undefined (Go's omitempty of nil pointers). */
function defined(o: Obj): Obj {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
const has = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * v2 MetricSpec (`side` 'target') or MetricStatus ('current') → the v1 annotation form:
 * the same shape with `target…`/`current…` field names.
 */
function metricToV1(m: Obj, side: 'target' | 'current'): Obj {
  const out: Obj = { type: m.type };
  const v = (src: Obj | undefined): Obj => src?.[side] ?? {};
  const f = (name: string): string => side + name;
  if (m.resource) out.resource = defined({ name: m.resource.name, [f('AverageUtilization')]: v(m.resource).averageUtilization, [f('AverageValue')]: v(m.resource).averageValue });
  if (m.containerResource) out.containerResource = defined({ name: m.containerResource.name, [f('AverageUtilization')]: v(m.containerResource).averageUtilization, [f('AverageValue')]: v(m.containerResource).averageValue, container: m.containerResource.container });
  if (m.pods) out.pods = defined({ metricName: m.pods.metric?.name, [f('AverageValue')]: v(m.pods).averageValue, selector: m.pods.metric?.selector });
  if (m.object) out.object = defined({ target: m.object.describedObject, metricName: m.object.metric?.name, [f('Value')]: v(m.object).value, selector: m.object.metric?.selector, averageValue: v(m.object).averageValue });
  if (m.external) out.external = defined({ metricName: m.external.metric?.name, metricSelector: m.external.metric?.selector, [f('Value')]: v(m.external).value, [f('AverageValue')]: v(m.external).averageValue });
  return out;
}

const metricToV1Spec = (m: Obj): Obj => metricToV1(m, 'target');
const metricToV1Status = (m: Obj): Obj => metricToV1(m, 'current');

/** v1 (annotation) MetricSpec → v2 MetricSpec. */
function metricSpecFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const util = (s: Obj): Obj => defined({ type: has(s.targetAverageUtilization) ? 'Utilization' : 'AverageValue', averageUtilization: s.targetAverageUtilization ?? undefined, averageValue: s.targetAverageValue ?? undefined });
  const metric = (name: unknown, selector: unknown): Obj => defined({ name, selector: selector ?? undefined });
  if (m.resource) out.resource = { name: m.resource.name, target: util(m.resource) };
  if (m.containerResource) out.containerResource = { name: m.containerResource.name, target: util(m.containerResource), container: m.containerResource.container };
  if (m.pods) out.pods = { metric: metric(m.pods.metricName, m.pods.selector), target: defined({ type: 'AverageValue', averageValue: m.pods.targetAverageValue }) };
  if (m.object) out.object = { describedObject: m.object.target, metric: metric(m.object.metricName, m.object.selector), target: defined({ type: has(m.object.averageValue) ? 'AverageValue' : 'Value', value: m.object.targetValue ?? undefined, averageValue: m.object.averageValue ?? undefined }) };
  if (m.external) out.external = { metric: metric(m.external.metricName, m.external.metricSelector), target: defined({ type: has(m.external.targetValue) ? 'Value' : 'AverageValue', value: m.external.targetValue ?? undefined, averageValue: m.external.targetAverageValue ?? undefined }) };
  return out;
}

/** v1 (annotation) MetricStatus → v2 MetricStatus. */
function metricStatusFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const metric = (name: unknown, selector: unknown): Obj => defined({ name, selector: selector ?? undefined });
  if (m.resource) out.resource = { name: m.resource.name, current: defined({ averageUtilization: m.resource.currentAverageUtilization ?? undefined, averageValue: m.resource.currentAverageValue ?? undefined }) };
  if (m.containerResource) out.containerResource = { name: m.containerResource.name, current: defined({ averageUtilization: m.containerResource.currentAverageUtilization ?? undefined, averageValue: m.containerResource.currentAverageValue ?? undefined }), container: m.containerResource.container };
  if (m.pods) out.pods = { metric: metric(m.pods.metricName, m.pods.selector), current: defined({ averageValue: m.pods.currentAverageValue ?? undefined }) };
  if (m.object) out.object = { describedObject: m.object.target, metric: metric(m.object.metricName, m.object.selector), current: defined({ value: m.object.currentValue ?? undefined, averageValue: m.object.averageValue ?? undefined }) };
  if (m.external) out.external = { metric: metric(m.external.metricName, m.external.metricSelector), current: defined({ value: m.external.currentValue ?? undefined, averageValue: m.external.currentAverageValue ?? undefined }) };
  return out;
}

/** spec.behavior as upstream puts it in the annotation: the internal type has no JSON tags, so Go field names, nil pointers as null. */
function behaviorToAnnotation(b: Obj): string {
  const rules = (r: Obj | undefined): Obj | null => (r ? {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null, SelectPolicy: r.selectPolicy ?? null,
    Policies: r.policies ? r.policies.map((p: Obj) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) : null,
  } : null);
  return JSON.stringify({ ScaleUp: rules(b.scaleUp), ScaleDown: rules(b.scaleDown) });
}

/** The annotation back to spec.behavior; field names match case-insensitively (Go's encoding/json). Undefined when unreadable or empty. */
function behaviorFromAnnotation(text: string): Obj | undefined {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch { return undefined; }
  const get = (o: unknown, name: string): any => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
    const k = Object.keys(o).find((x) => x.toLowerCase() === name.toLowerCase());
    const v = k === undefined ? undefined : (o as Obj)[k];
    return v === null ? undefined : v;
  };
  const rules = (r: unknown): Obj | undefined => (get({ r }, 'r') === undefined ? undefined : defined({
    stabilizationWindowSeconds: get(r, 'stabilizationWindowSeconds'), selectPolicy: get(r, 'selectPolicy'),
    policies: Array.isArray(get(r, 'policies')) ? get(r, 'policies').map((p: unknown) => defined({ type: get(p, 'type'), value: get(p, 'value'), periodSeconds: get(p, 'periodSeconds') })) : undefined,
  }));
  const b = defined({ scaleUp: rules(get(raw, 'scaleUp')), scaleDown: rules(get(raw, 'scaleDown')) });
  return Object.keys(b).length ? b : undefined;
}

const parseList = (text: string | undefined): Obj[] | undefined => {
  if (text === undefined) return undefined;
  try { const v = JSON.parse(text); return Array.isArray(v) ? v : undefined; } catch { return undefined; }
};
const isCpuUtilization = (m: Obj): boolean => m.type === 'Resource' && m.resource?.name === 'cpu' && has(m.resource?.target?.averageUtilization);

/** autoscaling/v2 → autoscaling/v1 (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler). */
export function hpaV2ToV1(input: HorizontalPodAutoscaler): HorizontalPodAutoscalerV1 {
  const { apiVersion: _a, kind: _k, metadata, spec, status, ...rest } = structuredClone(input);
  const out: Obj = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, ...rest };
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  if (spec) {
    const { metrics, behavior, ...s } = spec as Obj;
    const cpu = (metrics ?? []).find(isCpuUtilization);
    out.spec = defined({ ...s, targetCPUUtilizationPercentage: cpu?.resource.target.averageUtilization });
    const others = (metrics ?? []).filter((m: Obj) => !isCpuUtilization(m));
    if (others.length) annotations[METRICS_ANNOTATION] = JSON.stringify(others.map(metricToV1Spec));
    if (behavior) annotations[BEHAVIOR_ANNOTATION] = behaviorToAnnotation(behavior);
  }
  if (status) {
    const { currentMetrics, conditions, ...st } = status as Obj;
    const cpu = (currentMetrics ?? []).find((m: Obj) => m.type === 'Resource' && m.resource?.name === 'cpu' && has(m.resource?.current?.averageUtilization));
    out.status = defined({ ...st, currentCPUUtilizationPercentage: cpu?.resource.current.averageUtilization });
    if (currentMetrics?.length) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(currentMetrics.map(metricToV1Status));
    if (conditions?.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions);
  }
  if (Object.keys(annotations).length) out.metadata = { ...metadata, annotations };
  return out as HorizontalPodAutoscalerV1;
}

/** autoscaling/v1 → autoscaling/v2 (Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler). */
export function hpaV1ToV2(input: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const { apiVersion: _a, kind: _k, metadata, spec, status, ...rest } = structuredClone(input);
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  const out: Obj = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { ...metadata }, ...rest };
  if (spec) {
    const { targetCPUUtilizationPercentage: cpu, ...s } = spec as Obj;
    const metrics: Obj[] = (parseList(annotations[METRICS_ANNOTATION]) ?? []).map(metricSpecFromV1);
    if (has(cpu)) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
    // autoscaling/v1's implicit default, made explicit as upstream does here.
    if (!metrics.length) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } });
    const behavior = annotations[BEHAVIOR_ANNOTATION] === undefined ? undefined : behaviorFromAnnotation(annotations[BEHAVIOR_ANNOTATION]);
    out.spec = defined({ ...s, metrics, behavior });
  }
  const currentMetrics = parseList(annotations[CURRENT_METRICS_ANNOTATION])?.map(metricStatusFromV1);
  const conditions = parseList(annotations[CONDITIONS_ANNOTATION]);
  if (status || currentMetrics || conditions) {
    const { currentCPUUtilizationPercentage: cpu, ...st } = (status ?? {}) as Obj;
    const fromCpu = has(cpu) ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cpu } } }] : undefined;
    out.status = defined({ ...st, currentMetrics: currentMetrics ?? fromCpu, conditions });
  }
  for (const a of ROUND_TRIP) delete annotations[a];
  if (Object.keys(annotations).length) out.metadata.annotations = annotations; else delete out.metadata.annotations;
  return out as HorizontalPodAutoscaler;
}

const v2 = horizontalPodAutoscalerDefinition;

const base = defineResource<HorizontalPodAutoscalerV1>({
  group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, shortNames: ['hpa'], categories: ['all'], subresources: ['status'],
});

export const horizontalPodAutoscalerV1Definition: ResourceDefinition<HorizontalPodAutoscalerV1> = {
  ...base,
  printer: printConverted(horizontalPodAutoscalerPrinter, hpaV1ToV2),
  // SetDefaults_HorizontalPodAutoscaler of autoscaling/v1.
  applyDefaults(hpa) { hpa.spec ??= {}; hpa.spec.minReplicas ??= 1; },
  // The status annotations are status: kept from storage on updates of the main resource, the request's on status updates (as upstream converts the request first).
  strategy: { statusAnnotations: [CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION] },
  validate: (hpa) => v2.validate(hpaV1ToV2(hpa)),
  validateUpdate: (hpa, old) => (v2.validateUpdate ?? v2.validate)(hpaV1ToV2(hpa), hpaV1ToV2(old)),
  storageVersion: { definition: v2, toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
};
