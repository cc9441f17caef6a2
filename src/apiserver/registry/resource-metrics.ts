/**
 * The resource metrics API, metrics.k8s.io/v1beta1 `nodes` (NodeMetrics) and `pods`
 * (PodMetrics), served by the apiserver itself — k8ts has no metrics-server. Shapes
 * and rules as metrics-server (pkg/api/node.go, pod.go; pkg/scraper/client/resource):
 * each node's kubelet is asked `GET /stats/summary?only_cpu_and_memory=true` over
 * HTTPS with the apiserver's kubelet-client certificate; cpu is `usageNanoCores`,
 * memory `workingSetBytes`; a node's summary is cached ~10 s; nodes whose kubelet does
 * not answer (and pods on them, or without stats) are left out of lists and are
 * NotFound on get. Label and field selectors of a list select nodes/pods as the
 * core resources do.
 */
import https from 'node:https';
import type { KubeList, KubeObject } from '../../api/object.js';
import { groupVersion, type ResourceDefinition } from '../../api/resource-definition.js';
import type { Node } from '../../api/core/v1/types.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { ContainerStats, Summary } from '../../kubelet/stats/types.js';
import type { ContainerMetrics, NodeMetrics, PodMetrics } from '../../api/metrics/v1beta1/types.js';
import { formatBytes, formatNanoCores, formatWindow } from '../../api/metrics/v1beta1/usage.js';
import { isNotFound, notFound } from '../../machinery/errors.js';
import { rfc3339 } from '../../machinery/time.js';
import type { KubeletClientConfig } from './connecters/pod-log.js';
import type { ListOptions, RequestContext, RestStorage } from './rest.js';

/** Where node summaries come from; `summary` rejects when the node's kubelet cannot be reached. */
export interface SummarySource { summary(node: Node): Promise<Summary> }

/**
 * The real source: `GET https://<InternalIP>:<kubelet port>/stats/summary?only_cpu_and_memory=true`
 * with the kubelet-client certificate (server name the node's name, its certificate
 * checked against `caPem` but not its host name, as the log connecter does). Rejects
 * with Error on a missing address, a connection error, a status other than 200 or a
 * timeout (`timeoutMs`, default 5000).
 */
export function kubeletSummarySource(kc: Omit<KubeletClientConfig, 'nodes'>, timeoutMs = 5000): SummarySource {
  return {
    summary: (node) => new Promise<Summary>((resolve, reject) => {
      const ip = (node.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address;
      const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
      if (!ip || !port) { reject(new Error(`node ${node.metadata.name} has no kubelet endpoint`)); return; }
      const req = https.request({
        host: ip, port, path: '/stats/summary?only_cpu_and_memory=true', method: 'GET', timeout: timeoutMs,
        cert: kc.certPem, key: kc.keyPem, ca: kc.caPem, servername: node.metadata.name, checkServerIdentity: () => undefined,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) { reject(new Error(`kubelet ${ip}:${port} answered ${res.statusCode}`)); return; }
          try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Summary); } catch (e) { reject(e as Error); }
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`kubelet ${ip}:${port} timed out`)));
      req.on('error', reject);
      req.end();
    }),
  };
}

export interface MetricsStorageDeps {
  /** The core nodes and pods storages (selectors, gets and NotFound go through them). */
  nodes: RestStorage;
  pods: RestStorage;
  source: SummarySource;
  /** How long a node's summary is reused (ms); default 10000. */
  cacheMs?: number;
  /** The `window` reported (ms); default 10000. */
  windowMs?: number;
  now?: () => number;
}

/** A cache of node summaries shared by the two resources; a failed fetch is cached as "left out" for the same time. */
export class SummaryCache {
  private readonly entries = new Map<string, { at: number; summary: Promise<Summary | undefined> }>();
  constructor(private readonly source: SummarySource, private readonly cacheMs = 10_000, private readonly now: () => number = Date.now) {}

  /** The node's summary, or undefined when its kubelet did not answer. */
  get(node: Node): Promise<Summary | undefined> {
    const name = node.metadata.name!;
    const hit = this.entries.get(name);
    if (hit && this.now() - hit.at < this.cacheMs) return hit.summary;
    const summary = this.source.summary(node).catch(() => undefined);
    this.entries.set(name, { at: this.now(), summary });
    return summary;
  }
}

const containerUsage = (c: ContainerStats): ContainerMetrics | undefined =>
  c.cpu?.usageNanoCores === undefined || c.memory?.workingSetBytes === undefined ? undefined
    : { name: c.name, usage: { cpu: formatNanoCores(c.cpu.usageNanoCores), memory: formatBytes(c.memory.workingSetBytes) } };

/** The NodeMetrics of `node` from its summary; undefined without node cpu/memory stats. */
export function nodeMetricsOf(node: Node, summary: Summary, windowMs: number, now: Date): NodeMetrics | undefined {
  const s = summary.node;
  if (s?.cpu?.usageNanoCores === undefined || s.memory?.workingSetBytes === undefined) return undefined;
  return {
    kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: node.metadata.name, creationTimestamp: rfc3339(now), ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
    timestamp: s.cpu.time ?? rfc3339(now), window: formatWindow(windowMs),
    usage: { cpu: formatNanoCores(s.cpu.usageNanoCores), memory: formatBytes(s.memory.workingSetBytes) },
  };
}

/** The PodMetrics of `pod` from its node's summary; undefined when the pod or all its containers lack stats. */
export function podMetricsOf(pod: Pod, summary: Summary, windowMs: number, now: Date): PodMetrics | undefined {
  const ps = (summary.pods ?? []).find((p) => p.podRef.namespace === pod.metadata.namespace && p.podRef.name === pod.metadata.name);
  if (!ps) return undefined;
  const containers = (ps.containers ?? []).map(containerUsage).filter((c): c is ContainerMetrics => !!c);
  if (containers.length === 0) return undefined;
  const first = ps.containers.find((c) => c.cpu?.time)?.cpu?.time;
  return {
    kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: rfc3339(now), ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
    timestamp: first ?? rfc3339(now), window: formatWindow(windowMs), containers,
  };
}

/**
 * The RestStorage of `def` (NodeMetrics or PodMetrics): get (404 NotFound
 * `nodes.metrics.k8s.io`/`pods.metrics.k8s.io` when the node or pod does not exist or
 * has no metrics) and list (label/field selectors; items only for what has metrics).
 */
export function metricsStorage(def: ResourceDefinition, deps: MetricsStorageDeps, cache = new SummaryCache(deps.source, deps.cacheMs, deps.now)): RestStorage {
  const windowMs = deps.windowMs ?? 10_000;
  const now = (): Date => new Date((deps.now ?? Date.now)());
  const isNodes = def.info.plural === 'nodes';
  const gr = { group: def.info.group, resource: def.info.plural };
  const list = (items: KubeObject[]): KubeList => ({ apiVersion: groupVersion(def.info), kind: def.info.listKind, metadata: {}, items });
  const nodeCtx = (ctx: RequestContext): RequestContext => ({ ...ctx, namespace: '' });

  const forNode = async (node: Node): Promise<NodeMetrics | undefined> => {
    const summary = await cache.get(node);
    return summary && nodeMetricsOf(node, summary, windowMs, now());
  };
  const forPods = async (ctx: RequestContext, pods: Pod[]): Promise<PodMetrics[]> => {
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const n = p.spec?.nodeName;
      if (!n || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const out = await Promise.all([...byNode].map(async ([nodeName, onNode]) => {
      let node: Node;
      try { node = (await deps.nodes.get!(nodeCtx(ctx), nodeName)) as Node; } catch (e) { if (isNotFound(e)) return []; throw e; }
      const summary = await cache.get(node);
      if (!summary) return [];
      const t = now();
      return onNode.map((p) => podMetricsOf(p, summary, windowMs, t)).filter((m): m is PodMetrics => !!m);
    }));
    return out.flat();
  };
  const rethrowNotFound = (name: string) => (e: unknown): never => { if (isNotFound(e)) throw notFound(gr, name); throw e; };

  return {
    info: def.info,
    async get(ctx, name) {
      if (isNodes) {
        const node = (await deps.nodes.get!(nodeCtx(ctx), name).catch(rethrowNotFound(name))) as Node;
        const m = await forNode(node);
        if (!m) throw notFound(gr, name);
        return m;
      }
      const pod = (await deps.pods.get!(ctx, name).catch(rethrowNotFound(name))) as Pod;
      const [m] = await forPods(ctx, [pod]);
      if (!m) throw notFound(gr, name);
      return m;
    },
    async list(ctx, opts: ListOptions) {
      const sel = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
      if (isNodes) {
        const nodes = (await deps.nodes.list!(nodeCtx(ctx), sel)).items as Node[];
        const items = await Promise.all(nodes.map(forNode));
        return list(items.filter((m): m is NodeMetrics => !!m));
      }
      const pods = (await deps.pods.list!(ctx, sel)).items as Pod[];
      return list(await forPods(ctx, pods));
    },
  };
}
