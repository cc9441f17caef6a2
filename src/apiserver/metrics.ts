/**
 * apiserver metrics in the Prometheus text format at `/metrics` (upstream
 * k8s.io/apiserver/pkg/endpoints/metrics): `apiserver_request_total{verb,group,version,
 * resource,subresource,scope,component,code}`, `apiserver_request_duration_seconds`
 * (histogram, without WATCH), `apiserver_longrunning_requests` (open watches), plus the
 * process metrics. One registry per apiserver (prom-client).
 */
import client from 'prom-client';

export interface ApiServerMetrics {
  readonly registry: client.Registry;
  observe(labels: { verb: string; group: string; version: string; resource: string; subresource: string; scope: string; code: number }, seconds: number): void;
  watchStarted(labels: { group: string; version: string; resource: string }): () => void;
}

export function createApiServerMetrics(): ApiServerMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const total = new client.Counter({ name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.', labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'], registers: [registry] });
  const duration = new client.Histogram({ name: 'apiserver_request_duration_seconds', help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.', labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'], buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60], registers: [registry] });
  const longrunning = new client.Gauge({ name: 'apiserver_longrunning_requests', help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.', labelNames: ['verb', 'group', 'version', 'resource', 'scope', 'component'], registers: [registry] });
  return {
    registry,
    observe(l, seconds) {
      const base = { verb: l.verb, dry_run: '', group: l.group, version: l.version, resource: l.resource, subresource: l.subresource, scope: l.scope, component: 'apiserver' };
      total.inc({ ...base, code: String(l.code) });
      if (l.verb !== 'WATCH') duration.observe(base, seconds);
    },
    watchStarted(l) {
      const labels = { verb: 'WATCH', group: l.group, version: l.version, resource: l.resource, scope: 'resource', component: 'apiserver' };
      longrunning.inc(labels);
      return () => longrunning.dec(labels);
    },
  };
}
