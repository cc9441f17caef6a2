/**
 * ResourceQuota controller (upstream pkg/controller/resourcequota: resource_quota_controller.go
 * and resource_quota_monitor.go): keeps each quota's `status.hard` (spec.hard) and
 * `status.used` (measured by the evaluators in evaluators.ts over the cached objects of
 * the quota's namespace, honouring `spec.scopes` and `spec.scopeSelector`). A quota is
 * synced when created or its spec.hard changes, when an object it accounts for is added,
 * deleted or changes its usage in its namespace, and on a full resync (default 5 minutes).
 * `count/<resource>.<group>` of any other served kind is counted through an informer
 * started on first use.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceQuota } from '../../api/core/v1/resource-quota.js';
import type { ResourceTable } from '../../api/resource-table.js';
import { refOf } from '../../api/resource-definition.js';
import { sleepUntilAborted } from '../../machinery/time.js';
import { resources, type Client, type ResourceRef } from '../../client/interface.js';
import type { DeletedFinalStateUnknown, SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { metaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { QueueController } from '../controller.js';
import { builtinEvaluators, objectCountEvaluator, objectCountName, type Evaluator } from '../../quota/evaluators.js';
import { calculateUsage, nextQuotaStatus } from '../../quota/usage.js';
import { formatAmount } from '../../machinery/quantity-amount.js';

/** Options for {@link ResourceQuotaController}. */
export interface ResourceQuotaControllerOptions {
  /** Full resync period in ms (upstream --resource-quota-sync-period, default 5 min). */
  resyncPeriodMs?: number;
  /** Served kinds, to count `count/<resource>.<group>` of kinds without a built-in evaluator. */
  table?: ResourceTable;
  /** The clock, ms since the epoch (default Date.now). */
  now?: () => number;
}

/** Kinds never counted (upstream ignoredResources). */
const IGNORED = new Set(['events', 'events.events.k8s.io']);

/** The quota controller; register as `new ResourceQuotaController(client, informers, opts)`. */
export class ResourceQuotaController extends QueueController {
  private readonly quotaInformer: SharedIndexInformer<ResourceQuota>;
  private readonly evaluators: Evaluator[];
  /** Evaluator → its informer. */
  private readonly informerOf = new Map<Evaluator, SharedIndexInformer<KubeObject>>();
  /** `count/...` names resolved against the table (unresolved ones are looked up again: a CRD may come later). */
  private readonly dynamic = new Map<string, Evaluator>();
  private readonly resyncPeriodMs: number;
  private readonly now: () => number;

  constructor(private readonly client: Client, informers: SharedInformerFactory, private readonly opts: ResourceQuotaControllerOptions = {}) {
    super('resourcequota', informers);
    this.resyncPeriodMs = opts.resyncPeriodMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
    this.quotaInformer = informers.forResource<ResourceQuota>(resources.resourcequotas);
    this.quotaInformer.addEventHandler({
      onAdd: this.enqueue,
      // Status writes are ours; only a changed spec.hard (or scopes) calls for a sync.
      onUpdate: (o, n) => { if (JSON.stringify([o.spec?.hard, o.spec?.scopes, o.spec?.scopeSelector]) !== JSON.stringify([n.spec?.hard, n.spec?.scopes, n.spec?.scopeSelector])) this.enqueue(n); },
    });
    this.evaluators = builtinEvaluators(resources);
    for (const ev of this.evaluators) this.watch(ev);
  }

  /** Starts the workers and the periodic full resync (upstream enqueueAll every resync period). */
  override async run(signal: AbortSignal, workers: number): Promise<void> {
    const resync = (async () => {
      while (!signal.aborted) {
        await sleepUntilAborted(this.resyncPeriodMs, signal);
        if (!signal.aborted) for (const q of this.quotaInformer.lister.list()) this.queue.add(metaNamespaceKey(q));
      }
    })();
    await Promise.all([super.run(signal, workers), resync]);
  }

  /** Subscribes to the evaluator's kind: adds and deletes, and updates that change usage, requeue the namespace's quotas tracking it. */
  private watch(ev: Evaluator): void {
    const informer = ev.ref === resources.resourcequotas ? (this.quotaInformer as SharedIndexInformer<KubeObject>) : this.informers.forResource<KubeObject>(ev.ref);
    this.informerOf.set(ev, informer);
    const replenish = (obj: KubeObject) => this.replenish(ev, obj.metadata.namespace);
    informer.addEventHandler({
      onAdd: replenish,
      onUpdate: (o, n) => {
        if (ev.ref === resources.resourcequotas) return;
        const now = this.now();
        const a = Object.entries(ev.usage(o, now)).map(([k, v]) => [k, formatAmount(v)]);
        const b = Object.entries(ev.usage(n, now)).map(([k, v]) => [k, formatAmount(v)]);
        const scopeBits = (x: KubeObject) => JSON.stringify([(x as { spec?: { activeDeadlineSeconds?: number } }).spec?.activeDeadlineSeconds, (x as { status?: { qosClass?: string } }).status?.qosClass]);
        if (JSON.stringify(a) !== JSON.stringify(b) || scopeBits(o) !== scopeBits(n)) replenish(n);
      },
      onDelete: (o) => replenish(unwrapTombstone(o as KubeObject | DeletedFinalStateUnknown<KubeObject>) as KubeObject),
    });
  }

  /** Queues the quotas of `namespace` whose hard resources the evaluator measures (upstream replenishQuota). */
  private replenish(ev: Evaluator, namespace: string | undefined): void {
    if (!namespace) return;
    for (const q of this.quotaInformer.lister.list({ namespace })) {
      if (ev.matching(Object.keys(q.spec?.hard ?? {})).length) this.queue.add(metaNamespaceKey(q));
    }
  }

  /** The evaluator of a `count/<resource>[.<group>]` name no built-in evaluator handles, via the table; informer started on first use. */
  private dynamicEvaluator(name: string): Evaluator | undefined {
    if (this.dynamic.has(name)) return this.dynamic.get(name);
    let found: Evaluator | undefined;
    const gr = name.slice('count/'.length);
    if (this.opts.table && !IGNORED.has(gr)) {
      const dot = gr.indexOf('.');
      const [resource, group] = dot < 0 ? [gr, ''] : [gr.slice(0, dot), gr.slice(dot + 1)];
      const def = this.opts.table.byResource(group, resource);
      if (def && def.info.namespaced !== false && (def.serving ?? 'stored') === 'stored') {
        const ref: ResourceRef = refOf(def as never);
        if (objectCountName(ref) === name) { found = objectCountEvaluator(ref); this.watch(found); }
      }
    }
    if (found) this.dynamic.set(name, found);
    return found;
  }

  /** Recomputes one quota's status; throws (to retry) when an informer it needs has not synced or the write fails. */
  protected async sync(key: string): Promise<void> {
    const quota = this.quotaInformer.lister.get(key);
    if (!quota) return;
    const hard = Object.keys(quota.spec?.hard ?? {});
    const extra = hard.filter((n) => n.startsWith('count/') && !this.evaluators.some((ev) => ev.matching([n]).length))
      .map((n) => this.dynamicEvaluator(n)).filter((e): e is Evaluator => !!e);
    const evaluators = [...this.evaluators, ...extra];
    for (const ev of evaluators) {
      if (ev.matching(hard).length && !this.informerOf.get(ev)!.hasSynced()) throw new Error(`informer for ${ev.ref.resource} not synced`);
    }
    const usage = calculateUsage(quota, evaluators, (ev) => this.informerOf.get(ev)!.lister.list({ namespace: quota.metadata.namespace }), this.now());
    const status = nextQuotaStatus(quota, usage);
    if (status) await this.client.resource<ResourceQuota>(resources.resourcequotas).update({ ...quota, status }, { subresource: 'status' });
  }
}
