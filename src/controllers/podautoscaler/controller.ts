/**
 * The HorizontalPodAutoscaler controller (upstream pkg/controller/podautoscaler/
 * horizontal.go, v1.32), for autoscaling/v2 HPAs with Resource and ContainerResource
 * metrics (Utilization or AverageValue targets). Every HPA is synced once per resync
 * period (default 15 s; watch events only bring a pending sync no closer): read the
 * target's `scale` subresource, compute a proposal per metric (replica-calculator.ts)
 * from the MetricsClient and the pods the scale's selector matches, take the largest,
 * normalize it (behavior.ts: stabilization, min/max, rate limits) and, when it differs,
 * PUT the new count to `scale`; then write status (observedGeneration,
 * currentReplicas, desiredReplicas, currentMetrics, lastScaleTime, the AbleToScale,
 * ScalingActive and ScalingLimited conditions) and record events as upstream
 * (SuccessfulRescale, FailedRescale, FailedGetScale, FailedGetResourceMetric,
 * FailedGetContainerResourceMetric, FailedComputeMetricsReplicas, SelectorRequired,
 * InvalidSelector, InvalidMetricSourceType).
 * Pods, Object and External metrics are read from the custom and external metrics APIs
 * (metrics-client.ts), as upstream (FailedGetPodsMetric, FailedGetObjectMetric,
 * FailedGetExternalMetric when they cannot be). Not done: the AmbiguousSelector check
 * across HPAs.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { isNotFound } from '../../machinery/errors.js';
import { parseSelector } from '../../machinery/labels.js';
import { milliValue } from '../../machinery/quantity.js';
import { rfc3339 } from '../../machinery/time.js';
import { QueueController } from '../controller.js';
import {
  completeBehavior, convertDesiredReplicasWithBehaviorRate, convertDesiredReplicasWithRules, DEFAULT_DOWNSCALE_STABILIZATION_MS,
  stabilizeRecommendation, stabilizeRecommendationWithBehaviors, storeScaleEvent, type Recommendation, type ScaleEvent,
} from './behavior.js';
import { setCondition } from './conditions.js';
import { RestMetricsClient, type MetricsClient } from './metrics-client.js';
import { perPodReplicas, rawResourceReplicas, resourceReplicas, usageRatioReplicas, type CalculatorOptions } from './replica-calculator.js';
import { labelSelectorString } from '../../machinery/labels.js';
import type { LabelSelector } from '../../api/meta/v1/types.js';
import { scalePath } from './scale-target.js';
import type { HorizontalPodAutoscaler, HpaCondition, MetricSpec, MetricStatus, MetricTarget, Scale } from './types.js';

export interface HorizontalControllerOptions {
  /** Default: PodMetrics through the API client ({@link RestMetricsClient}). */
  metricsClient?: MetricsClient;
  /** --horizontal-pod-autoscaler-sync-period (ms); default 15000. */
  resyncPeriodMs?: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (ms); default 300000. */
  downscaleStabilizationMs?: number;
  /** Tolerance, cpu initialization period and initial readiness delay of the calculation. */
  calculator?: Omit<CalculatorOptions, 'now'>;
  /** Event source component; default 'horizontal-pod-autoscaler'. */
  component?: string;
  now?: () => number;
}

/** Formats a milli-unit value as a DecimalSI quantity (resource.NewMilliQuantity(v).String()): 250 → "250m", 1000 → "1". */
export function formatMilli(milli: number): string {
  let v = BigInt(Math.trunc(milli));
  if (v === 0n) return '0';
  const neg = v < 0n;
  if (neg) v = -v;
  const suffixes = ['m', '', 'k', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  while (v % 1000n === 0n && i < suffixes.length - 1) { v /= 1000n; i++; }
  return `${neg ? '-' : ''}${v}${suffixes[i]}`;
}

/**
 * A label selector as Go's `%+v` prints upstream's *metav1.LabelSelector (its generated
 * String()); `<nil>` for none. Upstream puts it in the External metric's name and errors.
 */
export function goLabelSelector(s: LabelSelector | undefined): string {
  if (!s) return '<nil>';
  const labels = Object.keys(s.matchLabels ?? {}).sort().map((k) => `${k}: ${s.matchLabels![k]},`).join('');
  const exprs = (s.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

/** A metric that could not be computed: the condition to set (its event was recorded) and the error. */
class MetricError extends Error {
  constructor(message: string, readonly condition: Pick<HpaCondition, 'type' | 'status' | 'reason' | 'message'>) { super(message); }
}

/** The HPA controller; register as `horizontalpodautoscaling`. */
export class HorizontalController extends QueueController {
  private readonly hpaInformer: SharedIndexInformer<HorizontalPodAutoscaler>;
  private readonly podInformer: SharedIndexInformer<Pod>;
  private readonly metrics: MetricsClient;
  private readonly recorder: EventRecorder;
  private readonly resyncMs: number;
  private readonly downscaleMs: number;
  private readonly now: () => number;
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly scaleUpEvents = new Map<string, ScaleEvent[]>();
  private readonly scaleDownEvents = new Map<string, ScaleEvent[]>();

  constructor(private readonly client: Client, informers: SharedInformerFactory, private readonly opts: HorizontalControllerOptions = {}) {
    super('horizontalpodautoscaling', informers);
    this.metrics = opts.metricsClient ?? new RestMetricsClient(client);
    this.recorder = createEventRecorder(client, { component: opts.component ?? 'horizontal-pod-autoscaler' });
    this.resyncMs = opts.resyncPeriodMs ?? 15_000;
    this.downscaleMs = opts.downscaleStabilizationMs ?? DEFAULT_DOWNSCALE_STABILIZATION_MS;
    this.now = opts.now ?? Date.now;
    this.hpaInformer = informers.forResource<HorizontalPodAutoscaler>(resources.horizontalpodautoscalers);
    this.podInformer = informers.forResource<Pod>(resources.pods);
    // As upstream: every request waits a resync period; one already pending is kept.
    const later = (hpa: HorizontalPodAutoscaler): void => this.queue.addAfter(`${hpa.metadata.namespace}/${hpa.metadata.name}`, this.resyncMs);
    this.hpaInformer.addEventHandler({ onAdd: later, onUpdate: (_o, n) => later(n) });
  }

  protected async sync(key: string): Promise<void> {
    const hpa = this.hpaInformer.lister.get(key);
    if (!hpa || hpa.metadata.deletionTimestamp) {
      this.recommendations.delete(key); this.scaleUpEvents.delete(key); this.scaleDownEvents.delete(key);
      return;
    }
    try {
      await this.reconcile(key, structuredClone(hpa));
    } catch (e) {
      if (!isNotFound(e)) console.error(`horizontalpodautoscaling: ${key}: ${(e as Error).message}`);
    }
    this.queue.addAfter(key, this.resyncMs);
  }

  /** One pass of upstream reconcileAutoscaler over a copy of the cached HPA. */
  private async reconcile(key: string, hpa: HorizontalPodAutoscaler): Promise<void> {
    const original = JSON.stringify(hpa.status ?? {});
    const ns = hpa.metadata.namespace!;
    const ref = hpa.spec.scaleTargetRef;
    const reference = `${ref.kind}/${ref.name}`;
    const now = (): Date => new Date(this.now());
    let path: string;
    let scale: Scale;
    try {
      path = scalePath(ns, ref);
      scale = await this.client.request<Scale>('GET', path);
    } catch (e) {
      const msg = (e as Error).message;
      this.recorder.event(hpa, 'Warning', 'FailedGetScale', msg);
      setCondition(hpa, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`, now());
      await this.updateStatusIfNeeded(hpa, original);
      throw new Error(`failed to query scale subresource for ${reference}: ${msg}`);
    }
    setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", now());
    const currentReplicas = scale.spec?.replicas ?? 0;
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ timestamp: this.now(), replicas: currentReplicas }]);
    const minReplicas = hpa.spec.minReplicas ?? 1;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let rescale = true;
    let statuses: MetricStatus[] = [];

    if (currentReplicas === 0 && minReplicas !== 0) {
      rescale = false;
      setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', now());
    } else if (currentReplicas > hpa.spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = hpa.spec.maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const r = await this.computeReplicasForMetrics(hpa, scale, hpa.spec.metrics ?? []);
      statuses = r.statuses;
      if (r.error && r.replicas === -1) {
        this.setStatus(hpa, currentReplicas, hpa.status?.desiredReplicas ?? 0, statuses, false);
        await this.updateStatusIfNeeded(hpa, original);
        this.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', r.error.message);
        throw new Error(`failed to compute desired number of replicas based on listed metrics for ${reference}: ${r.error.message}`);
      }
      let rescaleMetric = '';
      if (r.replicas > desiredReplicas) { desiredReplicas = r.replicas; rescaleMetric = r.metric; }
      if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      desiredReplicas = hpa.spec.behavior
        ? this.normalizeWithBehaviors(hpa, key, currentReplicas, desiredReplicas, minReplicas)
        : this.normalize(hpa, key, currentReplicas, desiredReplicas, minReplicas);
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        await this.client.request('PUT', path, { ...scale, spec: { ...(scale.spec ?? {}), replicas: desiredReplicas } });
      } catch (e) {
        const msg = (e as Error).message;
        this.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${msg}`);
        setCondition(hpa, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`, now());
        this.setStatus(hpa, currentReplicas, hpa.status?.desiredReplicas ?? 0, statuses, false);
        await this.updateStatusIfNeeded(hpa, original);
        throw new Error(`failed to rescale ${reference}: ${msg}`);
      }
      setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`, now());
      this.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      if (hpa.spec.behavior) this.storeScaleEvent(hpa, key, currentReplicas, desiredReplicas);
    } else {
      desiredReplicas = currentReplicas;
    }
    this.setStatus(hpa, currentReplicas, desiredReplicas, statuses, rescale);
    await this.updateStatusIfNeeded(hpa, original);
  }

  /** Upstream computeReplicasForMetrics: the largest proposal; -1 with an error when every metric (or one while scaling down) failed. */
  private async computeReplicasForMetrics(hpa: HorizontalPodAutoscaler, scale: Scale, specs: MetricSpec[]): Promise<{ replicas: number; metric: string; statuses: MetricStatus[]; error?: Error }> {
    const selectorString = scale.status?.selector ?? '';
    if (!selectorString) {
      this.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector", new Date(this.now()));
      return { replicas: -1, metric: '', statuses: [], error: new Error('selector is required') };
    }
    try { parseSelector(selectorString); } catch (e) {
      const msg = `couldn't convert selector into a corresponding internal selector object: ${(e as Error).message}`;
      this.recorder.event(hpa, 'Warning', 'InvalidSelector', msg);
      setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', msg, new Date(this.now()));
      return { replicas: -1, metric: '', statuses: [], error: new Error(msg) };
    }
    const specReplicas = scale.spec?.replicas ?? 0;
    const statuses: (MetricStatus | undefined)[] = [];
    let replicas = 0, metric = '', invalid = 0;
    let first: MetricError | undefined;
    for (const spec of specs) {
      try {
        const r = await this.computeReplicasForMetric(hpa, spec, specReplicas, scale.status?.replicas ?? 0, selectorString);
        statuses.push(r.status);
        if (replicas === 0 || r.replicas > replicas) { replicas = r.replicas; metric = r.metric; }
      } catch (e) {
        statuses.push(undefined);
        if (!first) first = e as MetricError;
        invalid++;
      }
    }
    const present = statuses.filter((s): s is MetricStatus => !!s);
    const error = first ? new Error(`invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.message}`) : undefined;
    if (first && (invalid >= specs.length || replicas < specReplicas)) {
      const c = first.condition;
      setCondition(hpa, c.type, c.status, c.reason!, c.message!, new Date(this.now()));
      return { replicas: -1, metric: '', statuses: present, error };
    }
    setCondition(hpa, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`, new Date(this.now()));
    return { replicas, metric, statuses: present, error };
  }

  /** Records the event and builds the condition of a metric that failed (upstream getUnableComputeReplicaCountCondition). */
  private unable(hpa: HorizontalPodAutoscaler, reason: string, message: string): MetricError {
    this.recorder.event(hpa, 'Warning', reason, message);
    return new MetricError(message, { type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${message}` });
  }

  private async computeReplicasForMetric(hpa: HorizontalPodAutoscaler, spec: MetricSpec, specReplicas: number, statusReplicas: number, selector: string): Promise<{ replicas: number; metric: string; status: MetricStatus }> {
    if (spec.type === 'Pods' && spec.pods) return this.podsMetric(hpa, spec.pods, specReplicas, selector);
    if (spec.type === 'Object' && spec.object) return this.objectMetric(hpa, spec.object, specReplicas, statusReplicas, selector);
    if (spec.type === 'External' && spec.external) return this.externalMetric(hpa, spec.external, specReplicas, statusReplicas, selector);
    const source = spec.type === 'Resource' ? spec.resource : spec.type === 'ContainerResource' ? spec.containerResource : undefined;
    if (!source) throw this.unable(hpa, 'InvalidMetricSourceType', `unknown metric source type "${spec.type}"`);
    const container = spec.type === 'ContainerResource' ? spec.containerResource!.container : '';
    const [reason, what] = spec.type === 'Resource' ? ['FailedGetResourceMetric', 'resource metric'] : ['FailedGetContainerResourceMetric', 'container metric'];
    try {
      const r = await this.resourceProposal(hpa.metadata.namespace!, specReplicas, source.name, container, source.target, selector, spec.type);
      const status: MetricStatus = spec.type === 'Resource'
        ? { type: 'Resource', resource: { name: source.name, current: r.current } }
        : { type: 'ContainerResource', containerResource: { name: source.name, container, current: r.current } };
      return { replicas: r.replicas, metric: r.metric, status };
    } catch (e) {
      const msg = `failed to get ${source.name} ${what} value: ${(e as Error).message}`;
      throw this.unable(hpa, reason, msg);
    }
  }

  /** Event and condition from `cause` (upstream getUnableComputeReplicaCountCondition); the error thrown reads `wrap(cause)`. */
  private unableWrapped(hpa: HorizontalPodAutoscaler, reason: string, cause: string, wrapped: string): MetricError {
    const e = this.unable(hpa, reason, cause);
    return new MetricError(wrapped, e.condition);
  }

  /** Upstream computeStatusForPodsMetric + GetMetricReplicas: the pods' mean against target.averageValue, as a raw resource metric. */
  private async podsMetric(hpa: HorizontalPodAutoscaler, source: NonNullable<MetricSpec['pods']>, specReplicas: number, selector: string) {
    const namespace = hpa.metadata.namespace!;
    const name = source.metric.name;
    const wrap = (m: string) => `failed to get pods metric value: ${m}`;
    let metricSelector: string;
    try { metricSelector = labelSelectorString(source.metric.selector); } catch (e) { throw this.unableWrapped(hpa, 'FailedGetPodsMetric', (e as Error).message, wrap((e as Error).message)); }
    try {
      let m;
      try { m = await this.metrics.getRawMetric(name, namespace, selector, metricSelector); } catch (e) { throw new Error(`unable to get metric ${name}: ${(e as Error).message}`); }
      const pods = this.podInformer.lister.list({ namespace, labelSelector: selector });
      const calc: CalculatorOptions = { ...(this.opts.calculator ?? {}), now: this.now() };
      const r = rawResourceReplicas(specReplicas, milliValue(source.target.averageValue ?? '0'), '', pods, m.metrics, m.timestamp, calc);
      const status: MetricStatus = { type: 'Pods', pods: { metric: source.metric, current: { averageValue: formatMilli(r.rawAverage) } } };
      return { replicas: r.replicas, metric: `pods metric ${name}`, status };
    } catch (e) {
      throw this.unableWrapped(hpa, 'FailedGetPodsMetric', (e as Error).message, wrap((e as Error).message));
    }
  }

  /** Upstream computeStatusForObjectMetric: a Value target against the ready pods, an AverageValue target per pod. */
  private async objectMetric(hpa: HorizontalPodAutoscaler, source: NonNullable<MetricSpec['object']>, specReplicas: number, statusReplicas: number, selector: string) {
    const namespace = hpa.metadata.namespace!;
    const { describedObject: obj, metric, target } = source;
    const wrap = (m: string) => `failed to get object metric value: ${m}`;
    const fail = (m: string, inner = m): MetricError => this.unableWrapped(hpa, 'FailedGetObjectMetric', inner, wrap(m));
    let metricSelector: string;
    try { metricSelector = labelSelectorString(metric.selector); } catch (e) { throw fail((e as Error).message); }
    const read = async (): Promise<number> => {
      try { return (await this.metrics.getObjectMetric(metric.name, namespace, obj, metricSelector)).value; } catch (e) {
        throw new Error(`unable to get metric ${metric.name}: ${(e as Error).message} on ${obj.kind} ${namespace}/${obj.name}`);
      }
    };
    const calc = this.opts.calculator ?? {};
    if (target.type === 'Value' && target.value !== undefined) {
      let usage: number, replicas: number;
      try {
        usage = await read();
        replicas = usageRatioReplicas(specReplicas, usage / milliValue(target.value), this.podInformer.lister.list({ namespace, labelSelector: selector }), calc);
      } catch (e) { throw fail((e as Error).message); }
      return { replicas, metric: `${obj.kind} metric ${metric.name}`, status: { type: 'Object', object: { describedObject: obj, metric, current: { value: formatMilli(usage) } } } as MetricStatus };
    }
    if (target.type === 'AverageValue' && target.averageValue !== undefined) {
      let r: { replicas: number; usage: number };
      try { r = perPodReplicas(statusReplicas, await read(), milliValue(target.averageValue), calc); } catch (e) {
        throw fail(`failed to get ${metric.name} object metric: ${(e as Error).message}`, (e as Error).message);
      }
      return { replicas: r.replicas, metric: `external metric ${metric.name}(${goLabelSelector(metric.selector)})`, status: { type: 'Object', object: { describedObject: obj, metric, current: { averageValue: formatMilli(r.usage) } } } as MetricStatus };
    }
    throw fail('invalid object metric source: neither a value target nor an average value target was set');
  }

  /** Upstream computeStatusForExternalMetric: the sum of the series, per pod (AverageValue) or against the ready pods (Value). */
  private async externalMetric(hpa: HorizontalPodAutoscaler, source: NonNullable<MetricSpec['external']>, specReplicas: number, statusReplicas: number, selector: string) {
    const namespace = hpa.metadata.namespace!;
    const { metric, target } = source;
    const wrap = (m: string) => `failed to get ${metric.name} external metric value: ${m}`;
    const fail = (m: string, inner = m): MetricError => this.unableWrapped(hpa, 'FailedGetExternalMetric', inner, wrap(m));
    const name = `external metric ${metric.name}(${goLabelSelector(metric.selector)})`;
    const read = async (): Promise<number> => {
      const metricSelector = labelSelectorString(metric.selector);
      try { return (await this.metrics.getExternalMetric(metric.name, namespace, metricSelector)).values.reduce((a, b) => a + b, 0); } catch (e) {
        throw new Error(`unable to get external metric ${namespace}/${metric.name}/${goLabelSelector(metric.selector)}: ${(e as Error).message}`);
      }
    };
    const calc = this.opts.calculator ?? {};
    if (target.averageValue !== undefined) {
      let r: { replicas: number; usage: number };
      try { r = perPodReplicas(statusReplicas, await read(), milliValue(target.averageValue), calc); } catch (e) {
        throw fail(`failed to get ${metric.name} external metric: ${(e as Error).message}`, (e as Error).message);
      }
      return { replicas: r.replicas, metric: name, status: { type: 'External', external: { metric, current: { averageValue: formatMilli(r.usage) } } } as MetricStatus };
    }
    if (target.value !== undefined) {
      let usage: number, replicas: number;
      try {
        usage = await read();
        replicas = usageRatioReplicas(specReplicas, usage / milliValue(target.value), this.podInformer.lister.list({ namespace, labelSelector: selector }), calc);
      } catch (e) { throw fail(`failed to get external metric ${metric.name}: ${(e as Error).message}`, (e as Error).message); }
      return { replicas, metric: name, status: { type: 'External', external: { metric, current: { value: formatMilli(usage) } } } as MetricStatus };
    }
    throw fail('invalid external metric source: neither a value target nor an average value target was set');
  }

  /** Upstream computeStatusForResourceMetricGeneric. Throws Error with upstream's messages. */
  private async resourceProposal(namespace: string, current: number, resource: string, container: string, target: MetricTarget, selector: string, type: string) {
    const pods = this.podInformer.lister.list({ namespace, labelSelector: selector });
    const calc: CalculatorOptions = { ...(this.opts.calculator ?? {}), now: this.now() };
    const read = async () => {
      try { return await this.metrics.getResourceMetric(resource, namespace, selector, container); } catch (e) {
        throw new Error(`unable to get metrics for resource ${resource}: ${(e as Error).message}`);
      }
    };
    if (target.averageValue !== undefined) {
      try {
        const m = await read();
        const r = rawResourceReplicas(current, milliValue(target.averageValue), resource, pods, m.metrics, m.timestamp, calc);
        return { replicas: r.replicas, metric: `${resource} resource`, current: { averageValue: formatMilli(r.rawAverage) } };
      } catch (e) { throw new Error(`failed to get ${resource} usage: ${(e as Error).message}`); }
    }
    if (target.averageUtilization === undefined) throw new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
    let r;
    try {
      const m = await read();
      r = resourceReplicas(current, target.averageUtilization, resource, container, pods, m.metrics, m.timestamp, calc);
    } catch (e) { throw new Error(`failed to get ${resource} utilization: ${(e as Error).message}`); }
    const metric = type === 'ContainerResource' ? `${resource} container resource utilization (percentage of request)` : `${resource} resource utilization (percentage of request)`;
    return { replicas: r.replicas, metric, current: { averageUtilization: r.utilization, averageValue: formatMilli(r.rawAverage) } };
  }

  /** Without behavior (upstream normalizeDesiredReplicas). */
  private normalize(hpa: HorizontalPodAutoscaler, key: string, current: number, proposal: number, min: number): number {
    const t = new Date(this.now());
    const stabilized = stabilizeRecommendation(this.recommendations.get(key)!, proposal, this.now(), this.downscaleMs);
    if (stabilized !== proposal) setCondition(hpa, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation', t);
    else setCondition(hpa, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size', t);
    const l = convertDesiredReplicasWithRules(current, stabilized, min, hpa.spec.maxReplicas);
    setCondition(hpa, 'ScalingLimited', l.replicas === stabilized ? 'False' : 'True', l.reason, l.message, t);
    return l.replicas;
  }

  /** With behavior (upstream normalizeDesiredReplicasWithBehaviors). */
  private normalizeWithBehaviors(hpa: HorizontalPodAutoscaler, key: string, current: number, proposal: number, min: number): number {
    const t = new Date(this.now());
    const b = completeBehavior(hpa.spec.behavior!, this.downscaleMs);
    const s = stabilizeRecommendationWithBehaviors(this.recommendations.get(key)!, current, proposal, b.scaleUp.stabilizationWindowSeconds, b.scaleDown.stabilizationWindowSeconds, this.now());
    if (s.replicas !== proposal) setCondition(hpa, 'AbleToScale', 'True', s.reason, s.message, t);
    else setCondition(hpa, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size', t);
    const l = convertDesiredReplicasWithBehaviorRate(current, s.replicas, min, hpa.spec.maxReplicas, b,
      this.scaleUpEvents.get(key) ?? [], this.scaleDownEvents.get(key) ?? [], this.now());
    setCondition(hpa, 'ScalingLimited', l.replicas === s.replicas ? 'False' : 'True', l.reason, l.message, t);
    return l.replicas;
  }

  private storeScaleEvent(hpa: HorizontalPodAutoscaler, key: string, prev: number, next: number): void {
    const b = completeBehavior(hpa.spec.behavior!, this.downscaleMs);
    const up = next > prev;
    const rules = up ? b.scaleUp : b.scaleDown;
    const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds));
    const map = up ? this.scaleUpEvents : this.scaleDownEvents;
    if (!map.has(key)) map.set(key, []);
    storeScaleEvent(map.get(key)!, Math.abs(next - prev), longest, this.now());
  }

  private setStatus(hpa: HorizontalPodAutoscaler, current: number, desired: number, metrics: MetricStatus[], rescale: boolean): void {
    hpa.status = {
      ...(hpa.metadata.generation !== undefined ? { observedGeneration: hpa.metadata.generation } : {}),
      currentReplicas: current, desiredReplicas: desired,
      ...(hpa.status?.lastScaleTime ? { lastScaleTime: hpa.status.lastScaleTime } : {}),
      ...(metrics.length ? { currentMetrics: metrics } : {}),
      conditions: hpa.status?.conditions ?? [],
    };
    if (rescale) hpa.status.lastScaleTime = rfc3339(new Date(this.now()));
  }

  private async updateStatusIfNeeded(hpa: HorizontalPodAutoscaler, original: string): Promise<void> {
    if (JSON.stringify(hpa.status ?? {}) === original) return;
    await this.client.resource<HorizontalPodAutoscaler>(resources.horizontalpodautoscalers).update(hpa, { subresource: 'status' });
  }
}
