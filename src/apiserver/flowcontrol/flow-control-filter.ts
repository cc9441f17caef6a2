/**
 * The HTTP side of API Priority and Fairness (upstream k8s.io/apiserver/pkg/server/
 * filters/priority-and-fairness.go WithPriorityAndFairness), between impersonation and
 * authorization in the handler: each request is classified and admitted by the
 * {@link FlowController} with its estimated seats (work-estimator.ts); the response
 * carries `X-Kubernetes-PF-FlowSchema-UID` and `X-Kubernetes-PF-PriorityLevel-UID`; a
 * refused request gets upstream's 429 (too-many-requests.ts) and reaches neither the
 * authorizer nor the registry. A request occupies its seats until its response is
 * written out (the response's `finish`, or `close`), except long-running ones (watch, and the attach/exec/log/portforward/proxy
 * subresources), which give them back once dispatched (upstream holds a watch's seats
 * only while it initializes). A client that goes away while queued leaves the queue.
 * The configuration is read from the registry's stores and followed (config-source.ts);
 * the FlowSchemas' Dangling condition is written back (flow-schema-status.ts).
 */
import type { ServerResponse } from 'node:http';
import type client from 'prom-client';
import type { Attributes } from '../authz/authorizer.js';
import type { Registry, RequestContext } from '../registry/rest.js';
import { createApfMetrics } from './apf-metrics.js';
import { DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT, DEFAULT_MAX_REQUESTS_INFLIGHT } from './concurrency-limits.js';
import { registryConfigSource, runConfigLoop, type FlowControlConfigSource } from './config-source.js';
import { DEFAULT_REQUEST_WAIT_LIMIT_MS, FlowController, type FlowDecision } from './flow-controller.js';
import { requestWaitLimitMs } from './request-wait-limit.js';
import { writeTooManyRequests } from './too-many-requests.js';
import { updateFlowSchemaStatuses } from './flow-schema-status.js';
import { CATCH_ALL, EXEMPT } from './flowcontrol-types.js';
import { cachedObjectCounts, estimateSeats, type ObjectCountOf } from './work-estimator.js';

/** `--max-requests-inflight`, `--max-mutating-requests-inflight` (their sum is the server's seats) and the queue wait limit. */
export interface FlowControlSettings {
  /** Default 400. */
  maxRequestsInflight?: number;
  /** Default 200. */
  maxMutatingRequestsInflight?: number;
  /** Queue wait of requests without `?timeout=` (and long-running ones); default 15 s. */
  requestWaitLimitMs?: number;
  /** Period of the borrowing adjustment between levels (borrowing.ts); default 10 s as upstream. */
  borrowingPeriodMs?: number;
  /** Configuration source; default the registry's stores. */
  source?: FlowControlConfigSource;
}

export const FLOW_SCHEMA_UID_HEADER = 'X-Kubernetes-PF-FlowSchema-UID';
export const PRIORITY_LEVEL_UID_HEADER = 'X-Kubernetes-PF-PriorityLevel-UID';

const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);
/** Upstream's BasicLongRunningRequestCheck: verbs watch and proxy, the streaming subresources. */
export const isLongRunning = (a: Attributes): boolean => a.resourceRequest && (a.verb === 'watch' || a.verb === 'proxy' || LONG_RUNNING_SUBRESOURCES.has(a.subresource ?? ''));

export interface FlowControlFilter {
  readonly controller: FlowController;
  /** Admits the request, then runs `next` (or writes the 429 and returns). */
  serve(res: ServerResponse, a: Attributes, query: URLSearchParams, next: () => Promise<void>): Promise<void>;
  /** For HTTP Upgrades (long-running): undefined when admitted (seats already given back), else the refusal's Retry-After. */
  admitUpgrade(a: Attributes): Promise<{ retryAfterSeconds: number } | undefined>;
  /** Stops following the configuration. */
  close(): void;
}

function setHeaders(res: ServerResponse, d: FlowDecision): void {
  if (res.headersSent) return;
  if (d.flowSchema.metadata.uid) res.setHeader(FLOW_SCHEMA_UID_HEADER, d.flowSchema.metadata.uid);
  if (d.priorityLevel.metadata.uid) res.setHeader(PRIORITY_LEVEL_UID_HEADER, d.priorityLevel.metadata.uid);
}

/** Object counts of stored resources for the seat estimate, listed from the registry. */
function registryObjectCounts(registry: Registry): ObjectCountOf {
  const ctx: RequestContext = { user: { username: 'system:apiserver', groups: ['system:masters'] }, namespace: '' };
  return cachedObjectCounts(async (group, resource) => {
    const def = registry.table.byResource(group, resource);
    if (!def || (def.serving ?? 'stored') !== 'stored') return undefined;
    // One item and the count of the rest: the watch cache answers without copying the list.
    const list = await registry.lookup(group, def.info.version, resource)?.list?.(ctx, { limit: 1 });
    return list && list.items.length + (list.metadata.remainingItemCount ?? 0);
  });
}

/**
 * Creates the filter over `registry`; metrics go to `metricsRegistry`. The configuration
 * loop starts at once (mandatory objects only until the first list answers).
 */
export function createFlowControlFilter(registry: Registry, opts: { settings?: FlowControlSettings; metricsRegistry?: client.Registry; log?: (m: string) => void } = {}): FlowControlFilter {
  const s = opts.settings ?? {};
  const controller = new FlowController({
    serverConcurrencyLimit: (s.maxRequestsInflight ?? DEFAULT_MAX_REQUESTS_INFLIGHT) + (s.maxMutatingRequestsInflight ?? DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT),
    requestWaitLimitMs: s.requestWaitLimitMs, metrics: createApfMetrics(opts.metricsRegistry),
  });
  const stop = new AbortController();
  void runConfigLoop(controller, s.source ?? registryConfigSource(registry), {
    signal: stop.signal, log: opts.log,
    onApplied: (schemas, levels) => updateFlowSchemaStatuses(registry, { schemas, levelNames: new Set([...levels.map((l) => l.metadata.name!), EXEMPT, CATCH_ALL]), log: opts.log }),
  });
  const counts = registryObjectCounts(registry);
  const borrowing = setInterval(() => controller.rebalance(), s.borrowingPeriodMs ?? 10_000);
  borrowing.unref();
  return {
    controller,
    async serve(res, a, query, next) {
      const gone = new AbortController();
      const onClose = (): void => gone.abort();
      res.once('close', onClose);
      const longRunning = isLongRunning(a);
      const waitLimitMs = requestWaitLimitMs(query, { longRunning, defaultMs: s.requestWaitLimitMs ?? DEFAULT_REQUEST_WAIT_LIMIT_MS });
      const seats = estimateSeats(a, { query, countOf: counts });
      const d = await controller.admit(a, { seats, signal: gone.signal, waitLimitMs });
      res.off('close', onClose);
      setHeaders(res, d);
      if (!d.admission.dispatched) {
        if (!res.destroyed && !res.headersSent) writeTooManyRequests(res, d.retryAfterSeconds);
        return;
      }
      if (longRunning) { d.admission.release(); return next(); }
      // A wide request (a large list) runs after the rest of this event-loop turn's
      // requests have been admitted: served at once, it would finish inside its own I/O
      // callback and its seats would be free again before the next request were even
      // read, so requests arriving together would never wait for seats or be refused,
      // where upstream runs them concurrently and they compete for the level's seats.
      if (seats > 1) await new Promise<void>((resolve) => setImmediate(resolve));
      // Seats are held until the response has been handed to the connection (upstream's
      // handler returns once it wrote its response), not only until the handler's promise
      // settles: in one event loop a large list is built and queued in a moment, then drains.
      try { await next(); } finally {
        if (res.writableFinished || res.destroyed) d.admission.release();
        else { res.once('finish', d.admission.release); res.once('close', d.admission.release); }
      }
    },
    async admitUpgrade(a) {
      const d = await controller.admit(a, { seats: 1 });
      if (!d.admission.dispatched) return { retryAfterSeconds: d.retryAfterSeconds };
      d.admission.release();
      return undefined;
    },
    close: () => { stop.abort(); clearInterval(borrowing); },
  };
}
