/**
 * The kubelet API's read-only endpoints beside logs/exec (upstream pkg/kubelet/server/
 * server.go and stats/handler.go):
 * - `GET /stats/summary[?only_cpu_and_memory=true]` → stats/v1alpha1 Summary JSON;
 * - `GET /metrics/resource` → resource metrics (Prometheus text, see resource-metrics.ts);
 * - `GET /metrics` → the kubelet's own metrics (metrics.ts);
 * - `GET /pods` → v1 PodList of the pods the kubelet runs (as it knows them: the API's
 *   pods bound to the node, static pods as the kubelet runs them).
 * Errors answer 500 with a plain-text message (upstream's stats handler does the same).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { KubeletMetrics } from '../metrics.js';
import { renderResourceMetrics } from '../stats/resource-metrics.js';
import type { Summary } from '../stats/types.js';

export interface ApiRouteOptions {
  /** Builds the Summary (SummaryProvider.get). */
  summary?: () => Promise<Summary>;
  metrics?: KubeletMetrics;
  /** The pods the kubelet runs. */
  pods?: () => Pod[];
}

const PROM_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** Answers `req` when it names one of these endpoints; resolves false otherwise. */
export async function handleApiRoute(req: IncomingMessage, res: ServerResponse, url: URL, opts: ApiRouteOptions): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const send = (code: number, type: string, body: string): void => { res.writeHead(code, { 'Content-Type': type }); res.end(req.method === 'HEAD' ? undefined : body); };
  switch (url.pathname) {
    case '/stats/summary':
    case '/stats/summary/': {
      if (!opts.summary) return false;
      let s: Summary;
      try { s = await opts.summary(); } catch (err) { send(500, 'text/plain', `Internal Error: failed to get node info: ${(err as Error).message}`); return true; }
      if (url.searchParams.get('only_cpu_and_memory') === 'true') s = onlyCpuAndMemory(s);
      send(200, 'application/json', JSON.stringify(s, null, 2));
      return true;
    }
    case '/metrics/resource': {
      if (!opts.summary) return false;
      const s = await opts.summary().catch(() => undefined);
      send(200, PROM_TEXT, renderResourceMetrics(s));
      return true;
    }
    case '/metrics': {
      if (!opts.metrics) return false;
      send(200, opts.metrics.contentType, await opts.metrics.text());
      return true;
    }
    case '/pods':
    case '/pods/': {
      if (!opts.pods) return false;
      send(200, 'application/json', JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: opts.pods() }));
      return true;
    }
    default: return false;
  }
}

/** The Summary with cpu and memory only (upstream's `only_cpu_and_memory`). */
export function onlyCpuAndMemory(s: Summary): Summary {
  return {
    node: { nodeName: s.node.nodeName, startTime: s.node.startTime, cpu: s.node.cpu, memory: s.node.memory },
    pods: s.pods.map((p) => ({
      podRef: p.podRef, startTime: p.startTime, cpu: p.cpu, memory: p.memory,
      containers: p.containers.map((c) => ({ name: c.name, startTime: c.startTime, cpu: c.cpu, memory: c.memory })),
    })),
  };
}
