/**
 * Namespace controller (upstream pkg/controller/namespace/deletion): empties a
 * Terminating namespace — deletes every namespaced object of the known resources —
 * then clears spec.finalizers through `namespaces/{name}/finalize`, which removes it.
 */
import type { Namespace } from '../../api/core/v1/types.js';
import { kinds } from '../../api/kinds.js';
import { isNotFound } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { QueueController } from '../controller.js';

export class NamespaceController extends QueueController {
  private readonly ns: SharedIndexInformer<Namespace>;
  constructor(private readonly client: Client, informers: SharedInformerFactory) {
    super('namespace', informers);
    this.ns = informers.forResource<Namespace>(resources.namespaces);
    this.ns.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n) });
  }
  protected async sync(name: string): Promise<void> {
    const ns = this.ns.lister.get(name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const k of kinds.filter((k) => k.info.namespaced)) {
      const rc = this.client.resource({ group: k.info.group, version: k.info.version, resource: k.info.plural });
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
