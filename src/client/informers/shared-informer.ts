/**
 * A shared index informer (client-go tools/cache/shared_informer.go): one reflector
 * feeds one Indexer; every handler is told about adds, updates and deletes. A relist
 * turns objects that vanished into deletes with a DeletedFinalStateUnknown tombstone.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceClient } from '../interface.js';
import { Indexer } from './indexer.js';
import { runReflector } from './reflector.js';
import { metaNamespaceKey, type DeletedFinalStateUnknown, type Indexers, type InformerOptions, type ResourceEventHandler, type SharedIndexInformer } from './types.js';

export class SharedInformer<T extends KubeObject = KubeObject> implements SharedIndexInformer<T> {
  readonly lister = new Indexer<T>();
  private readonly handlers: ResourceEventHandler<T>[] = [];
  private synced = false;
  private started = false;
  private syncWaiters: Array<() => void> = [];

  constructor(private readonly client: ResourceClient<T>, private readonly opts: InformerOptions = {}) {}

  addEventHandler(h: ResourceEventHandler<T>): void {
    this.handlers.push(h);
    if (this.synced) for (const o of this.lister.list()) this.call(() => h.onAdd?.(o));
  }
  addIndexers(indexers: Indexers<T>): void { this.lister.addIndexers(indexers); }
  hasSynced(): boolean { return this.synced; }
  waitForSync(): Promise<void> { return this.synced ? Promise.resolve() : new Promise((r) => this.syncWaiters.push(r)); }

  private call(fn: () => void): void {
    try { fn(); } catch (err) { console.error('informer handler failed:', err); }
  }

  run(signal: AbortSignal): void {
    if (this.started) return;
    this.started = true;
    void runReflector(this.client, this.opts, {
      replace: (items) => {
        const seen = new Set<string>();
        for (const o of items) {
          seen.add(metaNamespaceKey(o));
          const old = this.lister.upsert(o);
          if (!old) for (const h of this.handlers) this.call(() => h.onAdd?.(o));
          else if (old.metadata.resourceVersion !== o.metadata.resourceVersion) for (const h of this.handlers) this.call(() => h.onUpdate?.(old, o));
        }
        for (const key of this.lister.keys()) {
          if (seen.has(key)) continue;
          const old = this.lister.remove(key)!;
          const tomb: DeletedFinalStateUnknown<T> = { key, obj: old, tombstone: true };
          for (const h of this.handlers) this.call(() => h.onDelete?.(tomb));
        }
        if (!this.synced) { this.synced = true; for (const w of this.syncWaiters.splice(0)) w(); }
      },
      add: (o) => { const old = this.lister.upsert(o); for (const h of this.handlers) this.call(() => (old ? h.onUpdate?.(old, o) : h.onAdd?.(o))); },
      update: (o) => { const old = this.lister.upsert(o); for (const h of this.handlers) this.call(() => (old ? h.onUpdate?.(old, o) : h.onAdd?.(o))); },
      delete: (o) => { this.lister.remove(metaNamespaceKey(o)); for (const h of this.handlers) this.call(() => h.onDelete?.(o)); },
    }, signal);
  }
}

/** The object of a delete notification, unwrapping a tombstone. */
export const unwrapTombstone = <T extends KubeObject>(o: T | DeletedFinalStateUnknown<T>): T =>
  (o as DeletedFinalStateUnknown<T>).tombstone ? (o as DeletedFinalStateUnknown<T>).obj : (o as T);
