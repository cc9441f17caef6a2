/**
 * EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service
 * with a selector (not ExternalName, not being deleted) keeps the EndpointSlices
 * labelled `kubernetes.io/service-name=<svc>` and managed by
 * `endpointslice-controller.k8s.io` in line with the selected pods (planning in
 * ./reconciler.ts). Slices of a deleted Service go with it through the garbage
 * collector (controller ownerReference), as upstream. Pod changes enqueue the
 * selecting services immediately; changes to our slices made by others resync the
 * service after 1 s (upstream endpointSliceChangeMinSyncDelay).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node, Service } from '../../api/core/v1/types.js';
import type { EndpointSlice } from '../../api/discovery/v1/endpoint-slice.js';
import { conflict, isNotFound } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { resources, type Client } from '../../client/interface.js';
import { type SharedInformerFactory, type SharedIndexInformer, splitMetaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { QueueController } from '../controller.js';
import { isManagedService, podServiceKeys, servicesForPodUpdate } from '../util/endpoints-util.js';
import { TriggerTimeTracker } from '../util/trigger-time.js';
import { CONTROLLER_NAME, DEFAULT_MAX_ENDPOINTS_PER_SLICE, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, planSlices, withTriggerTime } from './reconciler.js';
import { EndpointSliceTracker } from './tracker.js';

/** The discovery.k8s.io/v1 endpointslices resource. */
/** Delay before resyncing a service whose slice someone else changed (upstream endpointSliceChangeMinSyncDelay). */
const SLICE_CHANGE_DELAY_MS = 1000;

const managedByUs = (s: EndpointSlice) => s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME;
const serviceKeyOf = (s: EndpointSlice) => {
  const name = s.metadata.labels?.[SERVICE_NAME_LABEL];
  return name ? `${s.metadata.namespace}/${name}` : undefined;
};

export interface EndpointSliceControllerOptions { /** Most endpoints per slice (default 100, upstream --max-endpoints-per-slice). */ maxEndpointsPerSlice?: number }

/** Registered as 'endpointslice'; keys are Service keys `ns/name`. */
export class EndpointSliceController extends QueueController {
  private readonly services: SharedIndexInformer<Service>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly slices: SharedIndexInformer<EndpointSlice>;
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly tracker = new EndpointSliceTracker(serviceKeyOf);
  private readonly maxPerSlice: number;

  constructor(private readonly client: Client, informers: SharedInformerFactory, opts: EndpointSliceControllerOptions = {}) {
    super('endpointslice', informers);
    this.maxPerSlice = opts.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
    this.services = informers.forResource<Service>(resources.services);
    this.pods = informers.forResource<Pod>(resources.pods);
    this.nodes = informers.forResource<Node>(resources.nodes);
    this.slices = informers.forResource<EndpointSlice>(resources.endpointslices);
    this.slices.addIndexers({ serviceKey: (s) => { const k = serviceKeyOf(s); return k ? [k] : []; } });
    this.services.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n), onDelete: this.enqueue });
    this.pods.addEventHandler({
      onAdd: (p) => this.addKeys(podServiceKeys(this.services.lister, p)),
      onUpdate: (o, p) => this.addKeys(servicesForPodUpdate(this.services.lister, o, p)),
      onDelete: (o) => this.addKeys(podServiceKeys(this.services.lister, unwrapTombstone(o))),
    });
    this.slices.addEventHandler({
      onAdd: (s) => { if (managedByUs(s) && this.tracker.shouldSync(s)) this.sliceChanged(s); },
      onUpdate: (o, s) => {
        if (serviceKeyOf(o) !== serviceKeyOf(s)) { this.sliceChanged(o); this.sliceChanged(s); return; }
        if (managedByUs(o) !== managedByUs(s) || (managedByUs(s) && this.tracker.shouldSync(s))) this.sliceChanged(s);
      },
      onDelete: (o) => {
        const s = unwrapTombstone(o);
        if (managedByUs(s) && this.tracker.has(s) && !this.tracker.handleDeletion(s)) this.sliceChanged(s);
      },
    });
  }

  private addKeys(keys: string[]): void { for (const k of keys) this.queue.add(k); }
  private sliceChanged(s: EndpointSlice): void { const k = serviceKeyOf(s); if (k) this.queue.addAfter(k, SLICE_CHANGE_DELAY_MS); }

  protected async sync(key: string): Promise<void> {
    const { namespace } = splitMetaNamespaceKey(key);
    const svc = this.services.lister.get(key);
    if (!svc) { this.triggerTimes.delete(key); this.tracker.deleteService(key); return; }
    if (!isManagedService(svc) || svc.metadata.deletionTimestamp) return;
    const selector = selectorFromLabelSelector({ matchLabels: svc.spec!.selector });
    const pods = this.pods.lister.list({ namespace }).filter((p) => selector.matches(p.metadata.labels ?? {}));
    const existing = this.slices.lister.byIndex('serviceKey', key).filter((s) => managedByUs(s) && !s.metadata.deletionTimestamp);
    // The cache is behind our own writes: retry (quietly, as a conflict) once it caught up.
    if (this.tracker.staleSlices(key, existing)) throw conflict({ group: 'discovery.k8s.io', resource: 'endpointslices' }, key, 'EndpointSlice informer cache is out of date');
    const trigger = this.triggerTimes.compute(key, svc, pods);
    const plan = planSlices(svc, pods, existing, (n) => this.nodes.lister.get(n), this.maxPerSlice);
    const rc = this.client.resource<EndpointSlice>(resources.endpointslices);
    const errors: unknown[] = [];
    await Promise.all([
      ...plan.create.map(async (s) => {
        try { this.tracker.update(await rc.create<EndpointSlice>(withTriggerTime(s, trigger), { namespace })); } catch (e) {
          // A terminating namespace refuses creates: drop the item, as upstream.
          if ((e as { code?: number }).code === 403) return;
          errors.push(e);
        }
      }),
      ...plan.update.map(async (s) => { try { this.tracker.update(await rc.update(withTriggerTime(s, trigger))); } catch (e) { errors.push(e); } }),
      ...plan.delete.map(async (s) => {
        // Expected before the call: the informer's delete event may come before the response.
        this.tracker.expectDeletion(s);
        try { await rc.delete(s.metadata.name!, { namespace }); } catch (e) { if (!isNotFound(e)) { this.tracker.update(s); errors.push(e); } }
      }),
    ]);
    if (errors.length) throw errors[0];
    if (plan.missingNodes.length) throw new Error(`skipping pods of Service ${key}: Node not found for ${plan.missingNodes.join(', ')}`);
  }
}
