/**
 * Endpoints controller (upstream pkg/controller/endpoint): keeps, for every Service
 * with a selector (not ExternalName), an Endpoints object of the same name listing the
 * selected pods' addresses per port set (see ./subsets.ts). Pod changes enqueue the
 * services selecting the pod (old and new labels) at once; a deleted Service's
 * Endpoints is deleted by name; at start, Endpoints without a Service are cleaned up
 * (except leader-election records), as upstream checkLeftoverEndpoints.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Endpoints, Service } from '../../api/core/v1/types.js';
import { conflict, isAlreadyExists, isNotFound } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import { type SharedInformerFactory, type SharedIndexInformer, splitMetaNamespaceKey, metaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { QueueController } from '../controller.js';
import { isManagedService, podServiceKeys, servicesForPodUpdate } from '../util/endpoints-util.js';
import { TriggerTimeTracker } from '../util/trigger-time.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { desiredEndpoints } from './subsets.js';

/** Endpoints of leader-election records carry this annotation and are never cleaned up. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

/** Registered as 'endpoint'; keys are Service keys `ns/name`. */
export class EndpointsController extends QueueController {
  private readonly services: SharedIndexInformer<Service>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly endpoints: SharedIndexInformer<Endpoints>;
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(private readonly client: Client, informers: SharedInformerFactory) {
    super('endpoint', informers);
    this.services = informers.forResource<Service>(resources.services);
    this.pods = informers.forResource<Pod>(resources.pods);
    this.endpoints = informers.forResource<Endpoints>(resources.endpoints);
    this.services.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n), onDelete: this.enqueue });
    this.pods.addEventHandler({
      onAdd: (p) => this.addKeys(podServiceKeys(this.services.lister, p)),
      onUpdate: (o, p) => this.addKeys(servicesForPodUpdate(this.services.lister, o, p)),
      onDelete: (o) => this.addKeys(podServiceKeys(this.services.lister, unwrapTombstone(o))),
    });
    // Someone deleted an Endpoints we manage: resync its service (recreates it if still wanted).
    this.endpoints.addEventHandler({ onDelete: this.enqueue });
  }

  private addKeys(keys: string[]): void { for (const k of keys) this.queue.add(k); }

  override async run(signal: AbortSignal, workers: number): Promise<void> {
    const leftovers = this.informers.waitForCacheSync(signal).then(() => {
      for (const ep of this.endpoints.lister.list()) {
        if (ep.metadata.annotations?.[LEADER_ANNOTATION] === undefined && !this.services.lister.get(metaNamespaceKey(ep))) this.queue.add(metaNamespaceKey(ep));
      }
    }, () => {});
    await Promise.all([super.run(signal, workers), leftovers]);
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const eps = this.client.resource<Endpoints>(resources.endpoints);
    const svc = this.services.lister.get(key);
    if (!svc) {
      this.triggerTimes.delete(key);
      await eps.delete(name, { namespace }).catch((e) => { if (!isNotFound(e)) throw e; });
      return;
    }
    if (!isManagedService(svc)) return;
    const selector = selectorFromLabelSelector({ matchLabels: svc.spec!.selector });
    const pods = this.pods.lister.list({ namespace }).filter((p) => selector.matches(p.metadata.labels ?? {}));
    const trigger = this.triggerTimes.compute(key, svc, pods);
    const current = this.endpoints.lister.get(key);
    const want = desiredEndpoints(svc, pods, current, trigger);
    if (!want) return;
    if (current) await eps.update(want);
    else {
      try { await eps.create(want, { namespace }); } catch (e) {
        // A terminating namespace refuses creates (403): nothing to do, as upstream.
        if ((e as { code?: number }).code === 403) return;
        // Our cache has not seen it yet: retry quietly, as for a conflict.
        if (isAlreadyExists(e)) throw conflict({ group: '', resource: 'endpoints' }, name, 'the Endpoints informer cache is out of date');
        throw e;
      }
    }
  }
}
