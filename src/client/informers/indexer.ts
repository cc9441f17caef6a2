/**
 * The informer's cache (client-go tools/cache thread_safe_store + indexer): objects by
 * `namespace/name` key with named secondary indexes. Objects are shared with every
 * reader: treat them as read-only (copy before changing).
 */
import type { KubeObject } from '../../api/object.js';
import { parseSelector } from '../../machinery/labels.js';
import { metaNamespaceKey, type Indexers, type Lister } from './types.js';

export class Indexer<T extends KubeObject = KubeObject> implements Lister<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers: Indexers<T> = {};
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      this.indexers[name] = fn;
      const idx = new Map<string, Set<string>>();
      this.indices.set(name, idx);
      for (const [key, obj] of this.items) for (const v of fn(obj)) this.addTo(idx, v, key);
    }
  }
  private addTo(idx: Map<string, Set<string>>, v: string, key: string): void {
    if (!idx.has(v)) idx.set(v, new Set());
    idx.get(v)!.add(key);
  }
  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) for (const v of fn(obj)) this.indices.get(name)?.get(v)?.delete(key);
  }

  /** Stores `obj`; returns the previous object under its key. */
  upsert(obj: T): T | undefined {
    const key = metaNamespaceKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of Object.entries(this.indexers)) for (const v of fn(obj)) this.addTo(this.indices.get(name)!, v, key);
    return old;
  }
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (old) { this.unindex(key, old); this.items.delete(key); }
    return old;
  }
  keys(): string[] { return [...this.items.keys()]; }

  get(key: string): T | undefined { return this.items.get(key); }
  list(opts: { namespace?: string; labelSelector?: string } = {}): T[] {
    const sel = opts.labelSelector ? parseSelector(opts.labelSelector) : undefined;
    const out: T[] = [];
    for (const o of this.items.values()) {
      if (opts.namespace && o.metadata.namespace !== opts.namespace) continue;
      if (sel && !sel.matches(o.metadata.labels)) continue;
      out.push(o);
    }
    return out;
  }
  byIndex(indexName: string, value: string): T[] {
    const keys = this.indices.get(indexName)?.get(value);
    return keys ? [...keys].map((k) => this.items.get(k)!).filter(Boolean) : [];
  }
}
