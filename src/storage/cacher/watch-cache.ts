/**
 * The in-memory state behind the Cacher (upstream k8s.io/apiserver/pkg/storage/cacher
 * watch_cache.go): the latest object of every key, a sorted key index for prefix ranges
 * and pagination (SortedKeyIndex), and a window of the most recent changes.
 *
 * Revisions: `revision` is the last change applied (cluster-wide, as the backend
 * numbers them). The window holds every change with a revision in (`floor`, `revision`],
 * each with the key's state before it, so the cache can also answer "as of revision R"
 * for any R in [`floor`, `revision`] by undoing the later changes of the keys it returns
 * (upstream 1.33's snapshots give the same answers; the window makes them free).
 *
 * Objects are deep-frozen on entry: lists and watch events share them with every
 * reader, so a reader that tried to change one would throw instead of corrupting the
 * cache. Readers copy before changing.
 */
import type { KubeObject } from '../../api/object.js';
import type { ListResult, StorageWatchEvent } from '../interface.js';
import { SortedKeyIndex } from './sorted-key-index.js';

/** One applied change: the backend's event plus the key's state before it (undefined: absent). */
export interface CachedEvent extends StorageWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  before?: KubeObject;
}

/** Freezes `value` and everything reachable from it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Loops rather than Object.values: no array allocated per nested object.
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  else for (const k in value) deepFreeze((value as Record<string, unknown>)[k]);
  return value;
}

/** What a list from the cache is asked for. `revision` 0: the latest state. */
export interface CacheListRequest { prefix: string; revision: number; continueKey?: string; limit?: number }

/** See the module doc. `capacity` is the number of changes the window keeps. */
export class WatchCache {
  /** The last change applied. */
  revision: number;
  /** Changes after this revision are all in the window; lists and watches from it or later can be served. */
  floor: number;
  private readonly objects = new Map<string, KubeObject>();
  private readonly keys: SortedKeyIndex;
  private window: CachedEvent[] = [];
  private head = 0;

  constructor(private readonly capacity: number, initial: ListResult) {
    this.revision = initial.revision;
    this.floor = initial.revision;
    initial.items.forEach((o, i) => this.objects.set(initial.keys[i], deepFreeze(o)));
    this.keys = new SortedKeyIndex(initial.keys);
  }

  /** Number of cached objects. */
  get size(): number { return this.objects.size; }

  /** Applies one backend change (revision order); returns the change as cached (frozen, with the state before it). */
  apply(ev: StorageWatchEvent): CachedEvent {
    const before = this.objects.get(ev.key);
    const object = deepFreeze(ev.object);
    if (ev.type === 'DELETED') {
      if (before) {
        this.objects.delete(ev.key);
        this.keys.delete(ev.key);
      }
    } else {
      if (!before) this.keys.add(ev.key);
      this.objects.set(ev.key, object);
    }
    // The cache's own previous object is the same state as the backend's prevObject: keeping it
    // (and dropping the backend's copy) halves what the window holds.
    const prevObject = ev.type === 'ADDED' ? undefined : before ?? (ev.prevObject && deepFreeze(ev.prevObject));
    const cached: CachedEvent = { type: ev.type as CachedEvent['type'], key: ev.key, object, prevObject, revision: ev.revision, before };
    this.window.push(cached);
    if (this.window.length - this.head > this.capacity) {
      this.floor = this.window[this.head++].revision;
      if (this.head > 1024 && this.head * 2 > this.window.length) { this.window = this.window.slice(this.head); this.head = 0; }
    }
    this.revision = ev.revision;
    return cached;
  }

  /** Records that every change up to `revision` was applied (a progress notification). */
  advance(revision: number): void { if (revision > this.revision) this.revision = revision; }

  /** Changes after `revision` whose key `matches`, oldest first. Requires revision >= floor. */
  changesSince(revision: number, matches: (key: string) => boolean): CachedEvent[] {
    const out: CachedEvent[] = [];
    for (let i = this.indexAfter(revision); i < this.window.length; i++) {
      const ev = this.window[i];
      if (matches(ev.key)) out.push(ev);
    }
    return out;
  }

  /** The latest object of `key`, if cached. */
  get(key: string): KubeObject | undefined { return this.objects.get(key); }

  /**
   * Objects under `prefix` as of `revision` (0: the latest; else floor <= revision <= this.revision),
   * ordered by key, after `continueKey` (exclusive), at most `limit`. Mirrors Storage.list.
   */
  list(req: CacheListRequest): ListResult {
    const at = req.revision || this.revision;
    const end = req.prefix + '\uffff';
    const from = req.continueKey && req.continueKey >= req.prefix ? req.continueKey + '\u0000' : req.prefix;
    const limit = req.limit && req.limit > 0 ? req.limit : Infinity;
    // Keys in range changed after `at`: their state then (null: absent then).
    const then = new Map<string, KubeObject | null>();
    for (let i = this.window.length - 1; i >= this.head && this.window[i].revision > at; i--) {
      const ev = this.window[i];
      if (ev.key >= from && ev.key < end) then.set(ev.key, ev.before ?? null);
    }
    const items: KubeObject[] = [];
    const keys: string[] = [];
    let total = this.keys.count(from, end);
    if (then.size === 0) {
      for (const k of this.keys.slice(from, end, limit)) { items.push(this.objects.get(k)!); keys.push(k); }
    } else {
      for (const [k, v] of then) {
        const now = this.objects.has(k);
        if (now && !v) total--;
        else if (!now && v) total++;
      }
      const extra = [...then.keys()].filter((k) => !this.objects.has(k)).sort();
      // Each current key either gives an item or is skipped as absent at `at` (a key of `then`).
      const current = this.keys.slice(from, end, limit + then.size);
      let i = 0;
      let j = 0;
      while (items.length < limit && (i < current.length || j < extra.length)) {
        const k = j >= extra.length || (i < current.length && current[i] < extra[j]) ? current[i++] : extra[j++];
        const v = then.has(k) ? then.get(k)! : this.objects.get(k)!;
        if (v) { items.push(v); keys.push(k); }
      }
    }
    const result: ListResult = { items, keys, revision: at };
    if (total > items.length) {
      result.continueKey = keys[keys.length - 1];
      result.remainingItemCount = total - items.length;
    }
    return result;
  }

  private indexAfter(revision: number): number {
    let lo = this.head;
    let hi = this.window.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.window[mid].revision <= revision) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
}
