/**
 * API Priority and Fairness for one apiserver (upstream k8s.io/apiserver/pkg/util/
 * flowcontrol apf_controller.go + apf_filter.go): holds the digested configuration —
 * the FlowSchemas sorted for matching and one {@link FairQueueSet} per limited priority
 * level, sized by concurrency-limits.ts — and admits requests: classify (classifier.ts),
 * then run at once (exempt), or take seats from the level, waiting in its queues or
 * refused. `apply` is called with the stored objects whenever they change
 * (config-source.ts); the mandatory objects are added when missing, as upstream does, so
 * that every request has a schema and a level.
 */
import type { Attributes } from '../authz/authorizer.js';
import { createApfMetrics, type ApfMetrics, type FlowLabels } from './apf-metrics.js';
import { mandatoryFlowSchemas, mandatoryPriorityLevels } from './bootstrap-configuration.js';
import { classify, sortFlowSchemas } from './classifier.js';
import { DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT, DEFAULT_MAX_REQUESTS_INFLIGHT, nominalLimits } from './concurrency-limits.js';
import { FairQueueSet, type Admission, type QueuingParameters } from './fair-queue-set.js';
import { CATCH_ALL, type FlowSchemaObject, type PriorityLevelConfigurationObject } from './flowcontrol-types.js';
import { flowHash } from './shuffle-sharding.js';
import { DroppedRequestsTracker } from './dropped-requests-tracker.js';
import { allocateConcurrency } from './borrowing.js';

/** Upstream's request wait limit: a quarter of the 60 s request timeout. */
export const DEFAULT_REQUEST_WAIT_LIMIT_MS = 15_000;

export interface FlowControllerOptions {
  /** Server concurrency limit in seats; default 600 (400 + 200, upstream's flag defaults). */
  serverConcurrencyLimit?: number;
  /** Longest wait in a queue of a request without its own limit; default 15 s. */
  requestWaitLimitMs?: number;
  /** Default: metrics on a registry of their own. */
  metrics?: ApfMetrics;
  /** Milliseconds clock for wait durations (default performance.now). */
  now?: () => number;
}

/** The outcome of {@link FlowController.admit}: where the request went, and whether it runs. */
export interface FlowDecision {
  flowSchema: FlowSchemaObject;
  priorityLevel: PriorityLevelConfigurationObject;
  /** `release()` once the request no longer occupies its seats (idempotent). */
  admission: Admission;
  /** For refusals: the Retry-After seconds (dropped-requests-tracker.ts). */
  retryAfterSeconds: number;
}

interface Level { config: PriorityLevelConfigurationObject; nominal: number; queueSet?: FairQueueSet }

const queuingOf = (pl: PriorityLevelConfigurationObject): QueuingParameters | undefined => {
  const r = pl.spec.limited?.limitResponse;
  if (r?.type !== 'Queue') return undefined;
  return { queues: r.queuing?.queues ?? 64, handSize: r.queuing?.handSize ?? 8, queueLengthLimit: r.queuing?.queueLengthLimit ?? 50 };
};

export class FlowController {
  readonly serverConcurrencyLimit: number;
  private readonly waitLimitMs: number;
  private readonly metrics: ApfMetrics;
  private readonly now: () => number;
  private schemas: FlowSchemaObject[] = [];
  private levels = new Map<string, Level>();
  private readonly dropped: DroppedRequestsTracker;

  constructor(opts: FlowControllerOptions = {}) {
    this.serverConcurrencyLimit = opts.serverConcurrencyLimit ?? DEFAULT_MAX_REQUESTS_INFLIGHT + DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT;
    this.waitLimitMs = opts.requestWaitLimitMs ?? DEFAULT_REQUEST_WAIT_LIMIT_MS;
    this.metrics = opts.metrics ?? createApfMetrics();
    this.now = opts.now ?? (() => performance.now());
    this.dropped = new DroppedRequestsTracker(opts.now);
    this.apply([], []);
  }

  /**
   * Digests a configuration (upstream digestConfigObjects): missing mandatory objects are
   * added; levels keep their queues and waiting requests across changes; a level that
   * disappears lets its running and waiting requests finish on the old queue set.
   */
  apply(flowSchemas: FlowSchemaObject[], priorityLevels: PriorityLevelConfigurationObject[]): void {
    const plNames = new Set(priorityLevels.map((p) => p.metadata.name));
    const fsNames = new Set(flowSchemas.map((f) => f.metadata.name));
    const pls = [...priorityLevels, ...mandatoryPriorityLevels().filter((p) => !plNames.has(p.metadata.name))];
    const fss = [...flowSchemas, ...mandatoryFlowSchemas().filter((f) => !fsNames.has(f.metadata.name))];
    const limits = nominalLimits(pls.map((p) => ({ name: p.metadata.name!, spec: p.spec })), this.serverConcurrencyLimit);
    const next = new Map<string, Level>();
    for (const pl of pls) {
      const name = pl.metadata.name!;
      const limit = limits.get(name) ?? 1;
      this.metrics.nominalLimit(name, limit);
      if (pl.spec.type === 'Exempt') { next.set(name, { config: pl, nominal: limit }); continue; }
      const old = this.levels.get(name)?.queueSet;
      if (old) old.configure(queuingOf(pl), limit);
      this.metrics.currentLimit(name, limit);
      next.set(name, { config: pl, nominal: limit, queueSet: old ?? new FairQueueSet({ limit, queuing: queuingOf(pl), now: this.now }) });
    }
    this.levels = next;
    this.schemas = sortFlowSchemas(fss);
  }

  /**
   * Moves seats between limited levels by their demand since the last call (borrowing.ts,
   * upstream's periodic borrowing adjustment); the caller runs it every period.
   */
  rebalance(): void {
    const limited = [...this.levels.entries()].filter(([, l]) => l.queueSet);
    const limits = allocateConcurrency(limited.map(([, l]) => ({
      nominal: l.nominal, lendablePercent: l.config.spec.limited?.lendablePercent, borrowingLimitPercent: l.config.spec.limited?.borrowingLimitPercent,
      demand: l.queueSet!.takePeakDemand(),
    })));
    limited.forEach(([name, l], i) => {
      l.queueSet!.configure(queuingOf(l.config), limits[i]);
      this.metrics.currentLimit(name, limits[i]);
    });
  }

  /** The schema and level `a` is classified into (catch-all when nothing matches). */
  classify(a: Attributes): { flowSchema: FlowSchemaObject; priorityLevel: PriorityLevelConfigurationObject; distinguisher: string } {
    const c = classify(this.schemas, a, { levelExists: (name) => this.levels.has(name) });
    const flowSchema = c?.flowSchema ?? this.schemas.find((s) => s.metadata.name === CATCH_ALL)!;
    const priorityLevel = this.levels.get(flowSchema.spec.priorityLevelConfiguration.name)?.config ?? this.levels.get(CATCH_ALL)!.config;
    return { flowSchema, priorityLevel, distinguisher: c?.distinguisher ?? a.user.username };
  }

  /** Current seats of each limited level: concurrency limit, executing seats, waiting requests. */
  levelStates(): Map<string, { limit: number; executingSeats: number; waiting: number }> {
    const out = new Map<string, { limit: number; executingSeats: number; waiting: number }>();
    for (const [name, l] of this.levels) if (l.queueSet) out.set(name, { limit: l.queueSet.concurrencyLimit, executingSeats: l.queueSet.executingSeats, waiting: l.queueSet.waitingCount });
    return out;
  }

  /**
   * Classifies `a` and admits it with `seats` (work-estimator.ts), waiting at most
   * `waitLimitMs` (default the controller's): resolves once it may run
   * (`admission.dispatched`, then call `release`) or is refused (reason: queue-full,
   * time-out, cancelled when `signal` aborts while queued, concurrency-limit).
   */
  async admit(a: Attributes, opts: { seats?: number; signal?: AbortSignal; waitLimitMs?: number } = {}): Promise<FlowDecision> {
    const { flowSchema, priorityLevel, distinguisher } = this.classify(a);
    const labels: FlowLabels = { flowSchema: flowSchema.metadata.name!, priorityLevel: priorityLevel.metadata.name! };
    const queueSet = this.levels.get(labels.priorityLevel)?.queueSet;
    let admission: Admission;
    if (!queueSet) {
      admission = { dispatched: true, waitedMs: 0, release: () => undefined };
    } else {
      let queued = false;
      admission = await queueSet.admit({
        flowHash: flowHash(labels.flowSchema, distinguisher), seats: opts.seats ?? 1, waitLimitMs: opts.waitLimitMs ?? this.waitLimitMs, signal: opts.signal,
        onQueued: () => { queued = true; this.metrics.inQueue(labels, 1); },
      });
      if (queued) this.metrics.inQueue(labels, -1);
    }
    if (!admission.dispatched) {
      this.metrics.rejected(labels, admission.reason, admission.waitedMs / 1000);
      this.dropped.recordDropped(labels.priorityLevel);
      return { flowSchema, priorityLevel, admission, retryAfterSeconds: this.dropped.retryAfter(labels.priorityLevel) };
    }
    this.metrics.dispatched(labels, admission.waitedMs / 1000);
    this.metrics.executing(labels, 1);
    const inner = admission.release;
    let done = false;
    const release = (): void => { if (done) return; done = true; this.metrics.executing(labels, -1); inner(); };
    return { flowSchema, priorityLevel, admission: { ...admission, release }, retryAfterSeconds: 0 };
  }
}
