/**
 * The shared informer factory (client-go informers/factory.go): one informer per
 * (resource, options), shared by every component that asks for it.
 */
import type { KubeObject } from '../../api/object.js';
import type { Client, ResourceRef } from '../interface.js';
import { SharedInformer } from './shared-informer.js';
import type { InformerOptions, SharedIndexInformer, SharedInformerFactory } from './types.js';
import { onAbort } from '../../machinery/time.js';

class Factory implements SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer>();
  private signal?: AbortSignal;
  constructor(private readonly client: Client) {}

  forResource<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: InformerOptions = {}): SharedIndexInformer<T> {
    const key = JSON.stringify([ref.group, ref.version, ref.resource, opts.namespace ?? '', opts.labelSelector ?? '', opts.fieldSelector ?? '', !!opts.metadataOnly]);
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new SharedInformer(this.client.resource(ref), opts);
      this.informers.set(key, inf);
      if (this.signal) inf.run(this.signal);
    }
    return inf as unknown as SharedIndexInformer<T>;
  }
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const inf of this.informers.values()) inf.run(signal);
  }
  async waitForCacheSync(signal?: AbortSignal): Promise<void> {
    const all = Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
    if (!signal) { await all; return; }
    let off = (): void => {};
    try {
      await Promise.race([all, new Promise((_r, reject) => { off = onAbort(signal, () => reject(new Error('aborted'))); })]);
    } finally { off(); }
  }
}

/** Creates a factory over `client`. */
export const createSharedInformerFactory = (client: Client, _opts: { resyncMs?: number } = {}): SharedInformerFactory => new Factory(client);
