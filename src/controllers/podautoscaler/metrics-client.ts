/**
 * How the HPA controller reads metrics (upstream pkg/controller/podautoscaler/metrics/
 * client.go): resource metrics are the PodMetrics (metrics.k8s.io/v1beta1) of the pods a
 * selector matches, summed per pod (or one container's); Pods and Object metrics come
 * from the custom metrics API (custom.metrics.k8s.io/v1beta2, served by an adapter
 * registered as an APIService), External metrics from the external metrics API
 * (external.metrics.k8s.io/v1beta1). Every value is in milli-units. The default client
 * reads them all through the API server.
 */
import type { Client } from '../../client/interface.js';
import type { KubeList } from '../../api/object.js';
import type { PodMetrics } from '../../api/metrics/v1beta1/types.js';
import { milliValue } from '../../machinery/quantity.js';
import type { ObjectReference, PodMetricsInfo } from './types.js';
import { parseApiVersion } from '../../api/resource-table.js';
import { guessResource } from './scale-target.js';
import { parseGoDurationMs } from '../../machinery/duration.js';

/** A metrics source the controller can be given (tests inject fakes). */
export interface MetricsClient {
  /**
   * Usage of `resource` ('cpu', 'memory') by the pods of `namespace` matching
   * `selector` (a label selector string): pod name → metric in milli-units, summed over
   * containers, or only `container`'s when not ''. `timestamp` (ms since epoch) is the
   * first sample's. Throws Error when the metrics cannot be read or there are none.
   */
  getResourceMetric(resource: string, namespace: string, selector: string, container: string): Promise<{ metrics: PodMetricsInfo; timestamp: number }>;
  /**
   * A Pods metric (upstream GetRawMetric): pod name → value of `metricName` for the pods
   * of `namespace` matching `selector`, the series narrowed by `metricSelector` (label
   * selector strings, '' for none). Throws Error when it cannot be read or is empty.
   */
  getRawMetric(metricName: string, namespace: string, selector: string, metricSelector: string): Promise<{ metrics: PodMetricsInfo; timestamp: number }>;
  /** An Object metric (upstream GetObjectMetric): the value of `metricName` for `object`. Throws Error when it cannot be read. */
  getObjectMetric(metricName: string, namespace: string, object: ObjectReference, metricSelector: string): Promise<{ value: number; timestamp: number }>;
  /** An External metric (upstream GetExternalMetric): the values of every series of `metricName` matching `metricSelector`. Throws Error when none. */
  getExternalMetric(metricName: string, namespace: string, metricSelector: string): Promise<{ values: number[]; timestamp: number }>;
}

/** custom.metrics.k8s.io/v1beta2 MetricValue (the fields read). */
interface MetricValue { describedObject?: { name?: string }; timestamp?: string; windowSeconds?: number; value?: string }
/** external.metrics.k8s.io/v1beta1 ExternalMetricValue (the fields read). */
interface ExternalMetricValue { timestamp?: string; value?: string }

/** Upstream's window when a custom metric gives none (metricServerDefaultMetricWindow). */
const DEFAULT_METRIC_WINDOW_MS = 60_000;
const CUSTOM = '/apis/custom.metrics.k8s.io/v1beta2';
const EXTERNAL = '/apis/external.metrics.k8s.io/v1beta1';

/** `?labelSelector=…&metricLabelSelector=…` with the non-empty ones. */
function selectorQuery(params: Record<string, string>): string {
  const q = Object.entries(params).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return q ? `?${q}` : '';
}

/** The group-qualified resource of a kind, as the custom metrics API names it in paths (`deployments.apps`, `pods`). */
export function customMetricsResource(object: ObjectReference): string {
  const { group } = parseApiVersion(object.apiVersion ?? 'v1');
  const plural = guessResource(object.kind);
  return group ? `${plural}.${group}` : plural;
}

/** Pod name → metric out of PodMetrics items, as upstream getPodMetrics / getContainerMetrics. Throws for a container absent from a pod's metrics. */
export function podMetricsInfo(items: PodMetrics[], resource: string, container: string): PodMetricsInfo {
  const out: PodMetricsInfo = new Map();
  for (const m of items) {
    const sample = { timestamp: Date.parse(m.timestamp ?? '') || 0, windowMs: parseGoDurationMs(m.window ?? '') ?? 0 };
    const containers = m.containers ?? [];
    if (container) {
      const c = containers.find((x) => x.name === container);
      if (!c) throw new Error(`container ${container} not present in metrics for pod ${m.metadata.namespace}/${m.metadata.name}`);
      const v = c.usage?.[resource];
      if (v !== undefined) out.set(m.metadata.name!, { ...sample, value: milliValue(v) });
      continue;
    }
    if (containers.length === 0) continue;
    let sum = 0, missing = false;
    for (const c of containers) {
      const v = c.usage?.[resource];
      if (v === undefined) { missing = true; break; }
      sum += milliValue(v);
    }
    if (!missing) out.set(m.metadata.name!, { ...sample, value: sum });
  }
  return out;
}

/** The default MetricsClient: `GET /apis/metrics.k8s.io/v1beta1/namespaces/<ns>/pods?labelSelector=...`. */
export class RestMetricsClient implements MetricsClient {
  constructor(private readonly client: Client) {}

  async getResourceMetric(resource: string, namespace: string, selector: string, container: string): Promise<{ metrics: PodMetricsInfo; timestamp: number }> {
    let list: KubeList<PodMetrics>;
    try {
      const q = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
      list = await this.client.request<KubeList<PodMetrics>>('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods${q}`);
    } catch (e) {
      throw new Error(`unable to fetch metrics from resource metrics API: ${(e as Error).message}`);
    }
    if (!list.items?.length) throw new Error('no metrics returned from resource metrics API');
    const metrics = podMetricsInfo(list.items, resource, container);
    return { metrics, timestamp: Date.parse(list.items[0].timestamp ?? '') || Date.now() };
  }

  async getRawMetric(metricName: string, namespace: string, selector: string, metricSelector: string): Promise<{ metrics: PodMetricsInfo; timestamp: number }> {
    let list: { items?: MetricValue[] };
    try {
      list = await this.client.request('GET', `${CUSTOM}/namespaces/${encodeURIComponent(namespace)}/pods/*/${encodeURIComponent(metricName)}${selectorQuery({ labelSelector: selector, metricLabelSelector: metricSelector })}`);
    } catch (e) {
      throw new Error(`unable to fetch metrics from custom metrics API: ${(e as Error).message}`);
    }
    if (!list.items?.length) throw new Error('no metrics returned from custom metrics API');
    const metrics: PodMetricsInfo = new Map();
    for (const m of list.items) {
      metrics.set(m.describedObject?.name ?? '', {
        timestamp: Date.parse(m.timestamp ?? '') || 0,
        windowMs: m.windowSeconds !== undefined ? m.windowSeconds * 1000 : DEFAULT_METRIC_WINDOW_MS,
        value: milliValue(m.value ?? '0'),
      });
    }
    return { metrics, timestamp: Date.parse(list.items[0].timestamp ?? '') || 0 };
  }

  async getObjectMetric(metricName: string, namespace: string, object: ObjectReference, metricSelector: string): Promise<{ value: number; timestamp: number }> {
    const ns = encodeURIComponent(namespace);
    const metric = encodeURIComponent(metricName);
    const { group } = parseApiVersion(object.apiVersion ?? 'v1');
    // A Namespace's metrics are its own namespace's (upstream: the reference cannot leave the HPA's namespace).
    const path = object.kind === 'Namespace' && !group
      ? `${CUSTOM}/namespaces/${ns}/metrics/${metric}`
      : `${CUSTOM}/namespaces/${ns}/${customMetricsResource(object)}/${encodeURIComponent(object.name)}/${metric}`;
    let v: MetricValue;
    try {
      v = await this.client.request<MetricValue>('GET', `${path}${selectorQuery({ metricLabelSelector: metricSelector })}`);
    } catch (e) {
      throw new Error(`unable to fetch metrics from custom metrics API: ${(e as Error).message}`);
    }
    return { value: milliValue(v.value ?? '0'), timestamp: Date.parse(v.timestamp ?? '') || 0 };
  }

  async getExternalMetric(metricName: string, namespace: string, metricSelector: string): Promise<{ values: number[]; timestamp: number }> {
    let list: { items?: ExternalMetricValue[] };
    try {
      list = await this.client.request('GET', `${EXTERNAL}/namespaces/${encodeURIComponent(namespace)}/${encodeURIComponent(metricName)}${selectorQuery({ labelSelector: metricSelector })}`);
    } catch (e) {
      throw new Error(`unable to fetch metrics from external metrics API: ${(e as Error).message}`);
    }
    if (!list.items?.length) throw new Error('no metrics returned from external metrics API');
    return { values: list.items.map((m) => milliValue(m.value ?? '0')), timestamp: Date.parse(list.items[0].timestamp ?? '') || 0 };
  }
}
