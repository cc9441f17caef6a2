/**
 * How the HPA controller reads resource metrics (upstream
 * pkg/controller/podautoscaler/metrics/client.go, resourceMetricsClient): the
 * PodMetrics of the pods a selector matches, summed per pod (or one container's), in
 * milli-units. The default lists metrics.k8s.io/v1beta1 PodMetrics through the API client.
 */
import type { Client } from '../../client/interface.js';
import type { KubeList } from '../../api/object.js';
import type { PodMetrics } from '../../api/metrics/v1beta1/types.js';
import { milliValue } from '../../machinery/quantity.js';
import type { PodMetricsInfo } from './types.js';
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
}
