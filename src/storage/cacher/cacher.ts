/**
 * The watch cache in front of a Storage backend (upstream k8s.io/apiserver/pkg/storage/
 * cacher, cacher.go): a Storage whose lists and watches are served from memory, kept
 * current by one watch of the whole backend. Writes and gets go to the backend.
 *
 * - list, revision 0 (a consistent read): the backend's current revision is read (one
 *   cheap query), the cache waits until it has applied that revision, then answers —
 *   upstream's ConsistentListFromCache (KEP-2340). It normally waits for no more than
 *   the in-process delivery of the last write.
 * - list at an exact revision (continue tokens, resourceVersionMatch=Exact): served from
 *   the cache while that revision is inside its window of recent changes (see
 *   watch-cache.ts), else by the backend.
 * - watch from a revision: the window's changes after it, then live changes; from before
 *   the window: the backend's watch (its log reaches further back).
 * - compact(): the backend compacts, and the cache refuses older revisions as the
 *   backend does (ResourceExpired).
 * If the backend's watch fails, the cache's watchers end (clients watch again, as after
 * an apiserver restart), lists go to the backend, and the cache is rebuilt.
 *
 * Objects from lists and watch events are frozen and shared; see watch-cache.ts.
 */
import type { KubeObject } from '../../api/object.js';
import { isStorageError, StorageError } from '../errors.js';
import type { DatastoreMember, DatastoreMembers, ListOptions, ListResult, Preconditions, Storage, StorageWatchEvent, WatchOptions } from '../interface.js';
import { WatchHub, withProgressNotify } from '../watch-hub.js';
import { WatchCache } from './watch-cache.js';

export interface CacherOptions {
  /** Changes kept for lists at past revisions and watches from them (default 10000; upstream's window grows to 102400 per resource). */
  capacity?: number;
  /** How long a consistent list waits for the cache before asking the backend (ms, default 3000, as upstream's). */
  freshnessTimeoutMs?: number;
  /** Told when the cache is rebuilt after its backend watch failed. */
  log?: (msg: string) => void;
  /** Called by close() before the backend closes (what was started with this datastore stops). */
  onClose?: () => void;
}

/** Starts the cache (one full list of the backend, then its watch) and returns it once filled. */
export async function newCacher(backend: Storage, opts: CacherOptions = {}): Promise<Cacher> {
  const c = new Cacher(backend, opts);
  await c.start();
  return c;
}

/** See the module doc. Create with newCacher. */
export class Cacher implements Storage {
  private cache: WatchCache | undefined;
  private readonly hub = new WatchHub();
  private readonly stop = new AbortController();
  private waiters: Array<{ revision: number; resolve(ok: boolean): void }> = [];
  private compactedRevision = 0;
  private readonly capacity: number;
  private readonly freshnessTimeoutMs: number;

  /** The backend's members (DatastoreMembers, for componentstatuses), present only when the backend has them (etcd). */
  readonly members?: () => Promise<DatastoreMember[]>;

  constructor(private readonly backend: Storage, private readonly opts: CacherOptions = {}) {
    const b = backend as Partial<DatastoreMembers>;
    if (b.members) this.members = () => b.members!();
    this.capacity = opts.capacity ?? 10_000;
    this.freshnessTimeoutMs = opts.freshnessTimeoutMs ?? 3000;
  }

  /** Fills the cache and starts following the backend; resolves once the cache can serve. */
  async start(): Promise<void> {
    const initial = await this.backend.list('/');
    const cache = new WatchCache(this.capacity, initial);
    const events = this.backend.watch('/', { recursive: true, revision: initial.revision, signal: this.stop.signal });
    this.cache = cache;
    void this.follow(cache, events);
  }

  /** Applies backend events until the watch ends; a failure (not a close) rebuilds the cache. */
  private async follow(cache: WatchCache, events: AsyncIterable<StorageWatchEvent>): Promise<void> {
    let failure: unknown;
    try {
      for await (const ev of events) {
        if (ev.type === 'PROGRESS') cache.advance(ev.revision);
        else this.hub.publish(cache.apply(ev));
        this.wake(cache.revision);
      }
    } catch (err) { failure = err; }
    if (this.cache === cache) this.cache = undefined;
    this.hub.closeAll();
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
    if (this.stop.signal.aborted) return;
    this.opts.log?.(`watch cache: the backend watch ended (${(failure as Error)?.message ?? 'closed'}); rebuilding`);
    for (let delay = 100; !this.stop.signal.aborted; delay = Math.min(delay * 2, 5000)) {
      try { await this.start(); return; } catch (err) {
        if (isStorageError(err, 'Unreachable')) return; // the backend was closed
        await new Promise((r) => setTimeout(r, delay).unref()); }
    }
  }

  private wake(revision: number): void {
    if (!this.waiters.length) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.revision <= revision ? w.resolve(true) : still.push(w));
    this.waiters = still;
  }

  /** Resolves true once the cache has applied `revision`, false after the freshness timeout or when the cache stops. */
  private waitFor(cache: WatchCache, revision: number): Promise<boolean> | boolean {
    if (cache.revision >= revision) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => { this.waiters = this.waiters.filter((w) => w !== waiter); resolve(false); }, this.freshnessTimeoutMs);
      timer.unref();
      const waiter = { revision, resolve: (ok: boolean) => { clearTimeout(timer); resolve(ok); } };
      this.waiters.push(waiter);
    });
  }

  private checkCompacted(key: string, revision: number): void {
    if (revision && revision < this.compactedRevision) {
      throw new StorageError('ResourceExpired', key, `too old resource version: ${revision} (${this.compactedRevision})`);
    }
  }

  create<T extends KubeObject>(key: string, obj: T): Promise<T> { return this.backend.create(key, obj); }

  get<T extends KubeObject>(key: string, opts?: { fromCache?: boolean }): Promise<T> {
    const cached = opts?.fromCache ? this.cache?.get(key) : undefined;
    return cached ? Promise.resolve(cached as T) : this.backend.get(key);
  }

  guaranteedUpdate<T extends KubeObject>(key: string, tryUpdate: (current: T | null) => T | Promise<T>, opts?: { preconditions?: Preconditions; ignoreNotFound?: boolean }): Promise<T> {
    return this.backend.guaranteedUpdate(key, tryUpdate, opts);
  }

  delete<T extends KubeObject>(key: string, opts?: { preconditions?: Preconditions; validateDeletion?: (current: T) => void | Promise<void> }): Promise<T> {
    return this.backend.delete(key, opts);
  }

  async list<T extends KubeObject>(prefix: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    const revision = opts.revision && opts.revision > 0 ? opts.revision : 0;
    this.checkCompacted(prefix, revision);
    const cache = this.cache;
    if (cache) {
      const request = { prefix, revision, continueKey: opts.continueKey, limit: opts.limit };
      if (!revision && opts.fromCache) return cache.list(request) as ListResult<T>;
      if (!revision) {
        // Consistent read: wait until the cache holds the backend's latest revision.
        const latest = await this.backend.currentRevision();
        if (await this.waitFor(cache, latest) && this.cache === cache) return cache.list(request) as ListResult<T>;
      } else if (revision >= cache.floor && revision <= cache.revision) {
        return cache.list(request) as ListResult<T>;
      }
    }
    return this.backend.list<T>(prefix, opts);
  }

  watch<T extends KubeObject>(key: string, opts: WatchOptions = {}): AsyncIterable<StorageWatchEvent<T>> {
    const from = opts.revision && opts.revision > 0 ? opts.revision : 0;
    this.checkCompacted(key, from);
    const cache = this.cache;
    if (!cache || (from && from < cache.floor)) return this.backend.watch<T>(key, opts);
    const matches = opts.recursive ? (k: string) => k.startsWith(key) : (k: string) => k === key;
    // Subscribing and reading the window happen in one synchronous step: nothing is missed or doubled.
    const sub = this.hub.subscribe(matches, opts.signal);
    const backlog = from ? cache.changesSince(from, matches) : [];
    // "From now" is the backend's latest revision: the cache may not have applied the last write yet.
    // Read now, while subscribing, not when the caller starts iterating.
    const latest = from ? undefined : this.backend.currentRevision();
    latest?.catch(() => undefined);
    const events = latest ? (async function* () { yield* sub.iterate([], await latest); })() : sub.iterate(backlog, from);
    const out = opts.progressNotifyMs ? withProgressNotify(events, sub, opts.progressNotifyMs, () => this.progressRevision(), opts.signal) : events;
    return out as AsyncIterable<StorageWatchEvent<T>>;
  }

  /** The revision a progress notification may report: everything at or below it was delivered. */
  private progressRevision(): number {
    if (!this.cache) throw new StorageError('Unreachable', '', 'watch cache is not ready');
    return this.cache.revision;
  }

  currentRevision(): Promise<number> { return this.backend.currentRevision(); }

  async compact(revision: number): Promise<void> {
    await this.backend.compact(revision);
    this.compactedRevision = Math.max(this.compactedRevision, revision);
  }

  async close(): Promise<void> {
    this.opts.onClose?.();
    this.stop.abort();
    this.hub.closeAll();
    await this.backend.close();
  }

  /** Cached objects and the applied revision (for tests and metrics); undefined while rebuilding. */
  stats(): { objects: number; revision: number; floor: number } | undefined {
    return this.cache && { objects: this.cache.size, revision: this.cache.revision, floor: this.cache.floor };
  }
}
