/**
 * Conversion at the storage boundary (upstream: the storage codec of a resource encodes
 * to its storage version and decodes to the request's version). A resource served in a
 * version other than the one it is stored in (`ResourceDefinition.storageVersion`) gets
 * its generic store over a {@link Storage} that converts every object going in
 * (`toStorage`: create, guaranteedUpdate results) and coming out (`fromStorage`: get,
 * list, watch events, the results of every write, delete). The store's create, update,
 * patch, apply and delete steps therefore all run on the served version, and storage
 * holds one object per name whichever version wrote it.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceDefinition, StorageVersion } from '../../api/resource-definition.js';
import type { ListOptions, ListResult, Preconditions, Storage, StorageWatchEvent, WatchOptions } from '../../storage/interface.js';

const CONVERTING = Symbol('k8ts.convertingStorage');

/** `storage` as `def` reads and writes it: converted when `def` has a storage version, else unchanged (also when already converting). */
export function storageFor(storage: Storage, def: ResourceDefinition): Storage {
  const sv = def.storageVersion;
  if (!sv || (storage as { [CONVERTING]?: StorageVersion })[CONVERTING] === sv) return storage;
  return new ConvertingStorage(storage, sv);
}

class ConvertingStorage implements Storage {
  readonly [CONVERTING]: StorageVersion;
  constructor(private readonly inner: Storage, private readonly sv: StorageVersion) { this[CONVERTING] = sv; }

  private out<T extends KubeObject>(obj: KubeObject): T { return this.sv.fromStorage(obj) as T; }
  private in(obj: KubeObject): KubeObject { return this.sv.toStorage(obj); }

  async create<T extends KubeObject>(key: string, obj: T): Promise<T> {
    return this.out<T>(await this.inner.create(key, this.in(obj)));
  }

  async get<T extends KubeObject>(key: string, opts?: { fromCache?: boolean }): Promise<T> { return this.out<T>(await this.inner.get(key, opts)); }

  async list<T extends KubeObject>(prefix: string, opts?: ListOptions): Promise<ListResult<T>> {
    const res = await this.inner.list(prefix, opts);
    return { ...res, items: res.items.map((o) => this.out<T>(o)) };
  }

  async guaranteedUpdate<T extends KubeObject>(key: string, tryUpdate: (current: T | null) => T | Promise<T>, opts?: { preconditions?: Preconditions; ignoreNotFound?: boolean }): Promise<T> {
    const result = await this.inner.guaranteedUpdate<KubeObject>(key, async (current) => {
      const served = current ? this.out<T>(current) : null;
      const next = await tryUpdate(served);
      // The store returns the current object unchanged for a no-op update: storage must see the same object.
      return current && next === served ? current : this.in(next);
    }, opts);
    return this.out<T>(result);
  }

  async delete<T extends KubeObject>(key: string, opts?: { preconditions?: Preconditions; validateDeletion?: (current: T) => void | Promise<void> }): Promise<T> {
    const validate = opts?.validateDeletion;
    return this.out<T>(await this.inner.delete<KubeObject>(key, { ...opts, validateDeletion: validate && ((current) => validate(this.out<T>(current))) }));
  }

  watch<T extends KubeObject>(key: string, opts?: WatchOptions): AsyncIterable<StorageWatchEvent<T>> {
    const source = this.inner.watch<KubeObject>(key, opts);
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const ev of source) {
          // A progress notification carries only a resourceVersion: nothing to convert.
          if (ev.type === 'PROGRESS') { yield ev as unknown as StorageWatchEvent<T>; continue; }
          yield { ...ev, object: self.out<T>(ev.object), prevObject: ev.prevObject ? self.out<T>(ev.prevObject) : undefined };
        }
      },
    };
  }

  currentRevision(): Promise<number> { return this.inner.currentRevision(); }
  compact(revision: number): Promise<void> { return this.inner.compact(revision); }
  close(): Promise<void> { return this.inner.close(); }
}
