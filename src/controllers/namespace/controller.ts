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
import { rfc3339 } from '../../machinery/time.js';
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
    const byResource: string[] = [];
    const finalizers = new Map<string, number>();
    for (const def of this.table.stored().filter((d) => d.info.namespaced && d.info.verbs.includes('list') && d.info.verbs.includes('delete'))) {
      const rc = this.client.resource(refOf(def));
      const list = await rc.list({ namespace: name });
      remaining += list.items.length;
      if (list.items.length) byResource.push(`${def.info.plural}.${def.info.group} has ${list.items.length} resource instances`);
      for (const o of list.items) {
        for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
        if (!o.metadata.deletionTimestamp) await rc.delete(o.metadata.name!, { namespace: name, propagationPolicy: 'Background' }).catch((e) => { if (!isNotFound(e)) throw e; });
      }
    }
    await this.reportConditions(ns, byResource.sort(), [...finalizers].sort().map(([f, n]) => `${f} in ${n} resource instances`));
    if (remaining > 0) { this.queue.addAfter(name, 1000); return; }
    await this.client.request('PUT', `/api/v1/namespaces/${name}/finalize`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: [] } }).catch((e) => { if (!isNotFound(e)) throw e; });
  }

  /**
   * The deletion conditions upstream's namespace controller keeps in status: what is
   * left (NamespaceContentRemaining) and which finalizers hold it (NamespaceFinalizersRemaining).
   * Written only when they change.
   */
  private async reportConditions(ns: Namespace, remaining: string[], finalizers: string[]): Promise<void> {
    const cond = (type: string, status: boolean, reason: string, message: string) => ({ type, status: status ? 'True' : 'False', reason, message });
    const wanted = [
      cond('NamespaceDeletionDiscoveryFailure', false, 'ResourcesDiscovered', 'All resources successfully discovered'),
      cond('NamespaceDeletionGroupVersionParsingFailure', false, 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
      cond('NamespaceDeletionContentFailure', false, 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
      remaining.length ? cond('NamespaceContentRemaining', true, 'SomeResourcesRemain', `Some resources are remaining: ${remaining.join(', ')}`)
        : cond('NamespaceContentRemaining', false, 'ContentRemoved', 'All content successfully removed'),
      finalizers.length ? cond('NamespaceFinalizersRemaining', true, 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`)
        : cond('NamespaceFinalizersRemaining', false, 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'),
    ];
    const current = (ns.status?.conditions ?? []) as Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }>;
    const same = wanted.every((w) => current.some((c) => c.type === w.type && c.status === w.status && c.reason === w.reason && c.message === w.message));
    if (same) return;
    const now = rfc3339(new Date());
    const conditions = wanted.map((w) => {
      const prev = current.find((c) => c.type === w.type);
      return { ...w, lastTransitionTime: prev && prev.status === w.status ? prev.lastTransitionTime ?? now : now };
    });
    // An update of the status, as upstream's namespace deleter does (its role may update namespaces/status, not patch it).
    await this.client.resource(resources.namespaces).update({ ...ns, status: { ...ns.status, conditions } } as never, { subresource: 'status' })
      .catch((e) => { if (!isNotFound(e)) throw e; });
  }
}
