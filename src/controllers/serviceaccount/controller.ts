/**
 * ServiceAccounts controller (upstream pkg/controller/serviceaccount): ensures a
 * `default` ServiceAccount in every active namespace.
 */
import type { Namespace, ServiceAccount } from '../../api/core/v1/types.js';
import { isAlreadyExists } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { QueueController } from '../controller.js';

export class ServiceAccountController extends QueueController {
  private readonly ns: SharedIndexInformer<Namespace>;
  private readonly sa: SharedIndexInformer<ServiceAccount>;
  constructor(private readonly client: Client, informers: SharedInformerFactory) {
    super('serviceaccount', informers);
    this.ns = informers.forResource<Namespace>(resources.namespaces);
    this.sa = informers.forResource<ServiceAccount>(resources.serviceaccounts);
    this.ns.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n) });
    this.sa.addEventHandler({ onDelete: (o) => { const sa = unwrapTombstone(o); if (sa.metadata.name === 'default') this.queue.add(sa.metadata.namespace!); } });
  }
  protected async sync(name: string): Promise<void> {
    const ns = this.ns.lister.get(name);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    if (this.sa.lister.get(`${name}/default`)) return;
    await this.client.resource(resources.serviceaccounts).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } }, { namespace: name })
      .catch((e) => { if (!isAlreadyExists(e)) throw e; });
  }
}
