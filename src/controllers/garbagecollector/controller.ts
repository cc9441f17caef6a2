/**
 * Garbage collector (upstream pkg/controller/garbagecollector): watches every stored
 * resource of the resource table that can be listed, watched and deleted; deletes objects all of whose owners are gone
 * (background cascading deletion), and finishes `foregroundDeletion` (delete the
 * dependents, then drop the finalizer) and `orphan` (drop the dependents' owner
 * references, then drop the finalizer) on owners being deleted.
 */
import type { KubeObject } from '../../api/object.js';
import { isNotFound } from '../../machinery/errors.js';
import type { Client, ResourceRef } from '../../client/interface.js';
import { refOf } from '../../api/resource-definition.js';
import type { ResourceTable } from '../../api/resource-table.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { metaNamespaceKey } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { QueueController } from '../controller.js';

export class GarbageCollector extends QueueController {
  private readonly informersByRef = new Map<string, SharedIndexInformer>();
  private readonly refs = new Map<string, ResourceRef>();

  constructor(private readonly client: Client, informers: SharedInformerFactory, private readonly table: ResourceTable) {
    super('garbagecollector', informers);
    const monitored = table.stored().filter((d) => ['list', 'watch', 'delete'].every((v) => d.info.verbs.includes(v)));
    for (const def of monitored) {
      const ref = refOf(def);
      // Metadata is all the graph needs (upstream's GC uses metadata informers): no ConfigMap data or Secret kept in memory.
      const inf = informers.forResource(ref, { metadataOnly: true });
      inf.addIndexers({ ownerUID: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid), uid: (o) => [o.metadata.uid!] });
      const id = `${def.info.group}/${def.info.plural}`;
      this.refs.set(id, ref);
      this.informersByRef.set(id, inf);
      const enqueue = (o: KubeObject): void => this.queue.add(`${id}|${metaNamespaceKey(o)}`);
      inf.addEventHandler({
        onAdd: (o) => { if (o.metadata.ownerReferences?.length || o.metadata.deletionTimestamp) enqueue(o); },
        onUpdate: (_a, o) => { if (o.metadata.ownerReferences?.length || o.metadata.deletionTimestamp) enqueue(o); },
        onDelete: (t) => {
          // Owner gone: look at its dependents.
          const o = unwrapTombstone(t);
          for (const dep of this.dependents(o.metadata.uid!)) this.queue.add(`${dep.id}|${metaNamespaceKey(dep.obj)}`);
        },
      });
    }
  }

  private dependents(uid: string): Array<{ id: string; obj: KubeObject }> {
    const out: Array<{ id: string; obj: KubeObject }> = [];
    for (const [id, inf] of this.informersByRef) for (const obj of inf.lister.byIndex('ownerUID', uid)) out.push({ id, obj });
    return out;
  }
  private ownerExists(uid: string, namespace: string | undefined): boolean {
    for (const inf of this.informersByRef.values()) {
      const found = inf.lister.byIndex('uid', uid);
      if (found.some((o) => !namespace || !o.metadata.namespace || o.metadata.namespace === namespace)) return true;
    }
    return false;
  }
  private refOf(id: string): ResourceRef { return this.refs.get(id)!; }

  protected async sync(item: string): Promise<void> {
    const [id, key] = item.split('|');
    const obj = this.informersByRef.get(id)?.lister.get(key);
    if (!obj) return;
    const rc = this.client.resource(this.refOf(id));
    const ns = obj.metadata.namespace;
    const fin = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && fin.includes('foregroundDeletion')) {
      const deps = this.dependents(obj.metadata.uid!);
      if (deps.length === 0) return this.dropFinalizer(rc, obj, 'foregroundDeletion');
      for (const d of deps) if (!d.obj.metadata.deletionTimestamp) await this.client.resource(this.refOf(d.id)).delete(d.obj.metadata.name!, { namespace: d.obj.metadata.namespace, propagationPolicy: 'Foreground' }).catch(ignoreNotFound);
      this.queue.addAfter(item, 1000);
      return;
    }
    if (obj.metadata.deletionTimestamp && fin.includes('orphan')) {
      for (const d of this.dependents(obj.metadata.uid!)) {
        await this.client.resource(this.refOf(d.id)).patch(d.obj.metadata.name!, { metadata: { ownerReferences: [{ $patch: 'delete', uid: obj.metadata.uid }], uid: d.obj.metadata.uid } }, 'application/strategic-merge-patch+json', { namespace: d.obj.metadata.namespace }).catch(ignoreNotFound);
      }
      return this.dropFinalizer(rc, obj, 'orphan');
    }
    const owners = obj.metadata.ownerReferences ?? [];
    if (owners.length === 0 || obj.metadata.deletionTimestamp) return;
    if (owners.some((o) => this.ownerExists(o.uid, ns))) return;
    // Confirm with the apiserver before deleting (caches can lag behind).
    for (const o of owners) {
      const ownerDef = this.table.byKind(o.apiVersion, o.kind);
      if (!ownerDef) return;
      try {
        const live = await this.client.resource(refOf(ownerDef)).get(o.name, { namespace: ns });
        if (live.metadata.uid === o.uid) return;
      } catch (e) { if (!isNotFound(e)) throw e; }
    }
    await rc.delete(obj.metadata.name!, { namespace: ns, propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid } }).catch(ignoreNotFound);
  }

  private async dropFinalizer(rc: ReturnType<Client['resource']>, obj: KubeObject, name: string): Promise<void> {
    const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== name);
    await rc.patch(obj.metadata.name!, { metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: obj.metadata.resourceVersion } }, 'application/merge-patch+json', { namespace: obj.metadata.namespace }).catch(ignoreNotFound);
  }
}

function ignoreNotFound(e: unknown): void { if (!isNotFound(e)) throw e; }
