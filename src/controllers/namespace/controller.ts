/**
 * Namespace controller (upstream pkg/controller/namespace/deletion): empties a
 * Terminating namespace — deletes every namespaced object of the stored resources of
 * the resource table —
 * then clears spec.finalizers through `namespaces/{name}/finalize`, which removes it.
 */
import type { Namespace } from '../../api/core/v1/types.js';
import { refOf } from '../../api/resource-definition.js';
import type { ResourceTable } from '../../api/resource-table.js';
import { isNotFound } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { QueueController } from '../controller.js';

export class NamespaceController extends QueueController {
  private readonly ns: SharedIndexInformer<Namespace>;
  constructor(private readonly client: Client, informers: SharedInformerFactory, private readonly table: ResourceTable) {
    super('namespace', informers);
    this.ns = informers.forResource<Namespace>(resources.namespaces);
    this.ns.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n) });
  }
  protected async sync(name: string): Promise<void> {
    const ns = this.ns.lister.get(name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const def of this.table.stored().filter((d) => d.info.namespaced && d.info.verbs.includes('list') && d.info.verbs.includes('delete'))) {
      const rc = this.client.resource(refOf(def));
      const list = await rc.list({ namespace: name });
      remaining += list.items.length;
      for (const o of list.items) {
        if (!o.metadata.deletionTimestamp) await rc.delete(o.metadata.name!, { namespace: name, propagationPolicy: 'Background' }).catch((e) => { if (!isNotFound(e)) throw e; });
      }
    }
    if (remaining > 0) { this.queue.addAfter(name, 1000); return; }
    await this.client.request('PUT', `/api/v1/namespaces/${name}/finalize`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: [] } }).catch((e) => { if (!isNotFound(e)) throw e; });
  }
}
