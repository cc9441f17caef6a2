/**
 * watch (upstream k8s.io/apiserver/pkg/storage/etcd3/watcher.go): one gRPC Watch stream
 * per watch, opened through the etcd3 client's raw WatchClient (the client's own
 * Watcher exposes neither progress requests nor per-watch streams). The watch starts at
 * opts.revision+1 with prev_kv; events map to ADDED (create_revision == mod_revision),
 * MODIFIED and DELETED (object = the previous value with resourceVersion = the deletion
 * revision), prevObject from prev_kv. A compacted start revision ends the iteration
 * with ResourceExpired at the first next(); stream failures with Unreachable.
 *
 * Expiry: a watch from revision R is expired exactly when a list at R is (R below the
 * compaction revision), as in the SQLite backend and the conformance suite. etcd itself
 * would still serve events > R when R is one below the compaction revision, so an
 * explicit R is sent as start_revision R (not R+1), letting etcd refuse it, and events
 * at R itself are dropped. Upstream's watcher sends R+1 and is one revision laxer.
 *
 * "From now" (revision 0) starts after the highest revision this client has seen
 * (EtcdContext.lastRevision), so a write the caller makes after watch() returns is never
 * missed even though the stream opens asynchronously.
 *
 * Buffering: every response is queued in memory at once, so a watcher that does not read
 * never holds back etcd or writers (it only grows its own queue).
 *
 * PROGRESS: every progressNotifyMs a WatchProgressRequest (etcd ≥ 3.4) is written to the
 * stream. etcd before 3.4.24 answers it out of band (watch_id -1, etcd-io/etcd#15220):
 * the answer can overtake events already queued for this watcher. So an answer at R is
 * only a fence: one more progress request is sent, and PROGRESS R is delivered when that
 * second answer arrives — by then every event ≤ R was sent ahead of it. A PROGRESS never
 * goes below the last delivered revision. A watcher created at or below the current
 * revision starts "unsynced" in etcd (caught up by a loop every 100 ms) and a broadcast
 * answer could overtake its backlog, so answers are ignored until an event at or past
 * the creation revision arrived or CATCH_UP_MS passed. The stream is also created with
 * progress_notify, whose per-watcher notifications (server interval) are in order and
 * delivered as they come.
 */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import type { StorageWatchEvent, WatchOptions } from '../interface.js';
import { decodeKv, etcdKey, prefixEnd, storageKey, type EtcdContext, type EtcdKeyValue } from './context.js';
import { mapEtcdError } from './map-error.js';

/** How long after creation an unsynced watcher is assumed caught up (etcd syncs unsynced watchers every 100 ms). */
const CATCH_UP_MS = 300;

interface RawEvent { type: string; kv: EtcdKeyValue; prev_kv?: EtcdKeyValue | null }
interface RawWatchResponse {
  header?: { revision: string }; watch_id: string; created: boolean; canceled: boolean;
  compact_revision: string; cancel_reason: string; events: RawEvent[];
}
interface RawStream {
  write(req: unknown): void; end(): void; cancel?(): void;
  on(ev: 'data', fn: (r: RawWatchResponse) => void): unknown;
  on(ev: 'error', fn: (e: Error) => void): unknown;
  on(ev: 'end', fn: () => void): unknown;
}

/** The storage event of one etcd event (see module doc). */
export function toStorageEvent(ctx: EtcdContext, ev: RawEvent): StorageWatchEvent {
  const key = storageKey(ctx, ev.kv.key);
  const revision = Number(ev.kv.mod_revision);
  const prev = ev.prev_kv && ev.prev_kv.key?.length ? ev.prev_kv : undefined;
  if (String(ev.type).toUpperCase() === 'DELETE') {
    const object = prev ? decodeKv(ctx, prev, revision) : { metadata: { name: key.slice(key.lastIndexOf('/') + 1), resourceVersion: String(revision) } };
    return { type: 'DELETED', key, object, ...(prev ? { prevObject: decodeKv(ctx, prev) } : {}), revision };
  }
  const object = decodeKv(ctx, ev.kv);
  if (ev.kv.create_revision === ev.kv.mod_revision) return { type: 'ADDED', key, object, revision };
  return { type: 'MODIFIED', key, object, ...(prev ? { prevObject: decodeKv(ctx, prev) } : {}), revision };
}

/**
 * Events for `key` (or every key under it when recursive) with revision > opts.revision
 * (from now when 0/undefined). ResourceExpired (compacted start) and Unreachable reject
 * next(). Ends when the signal aborts or the backend closes. Throws Unreachable at once
 * when the backend is closed.
 */
export function watchKey<T extends KubeObject>(ctx: EtcdContext, key: string, opts: WatchOptions = {}): AsyncIterable<StorageWatchEvent<T>> {
  ctx.ensureOpen(key);
  const explicit = opts.revision && opts.revision > 0 ? opts.revision : 0;
  const after = explicit || ctx.lastRevision;
  const queue: StorageWatchEvent[] = [];
  let head = 0;
  let failure: StorageError | undefined;
  let ended = false;
  let waiters: Array<() => void> = [];
  let stream: RawStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  let last = after;
  let fence: number | undefined;
  const start = explicit || after + 1;
  // Whether broadcast progress answers can be trusted: not while etcd is still catching the watcher up.
  let trusted = false;
  let catchUp = Infinity;

  const notify = (): void => { const ws = waiters; waiters = []; for (const w of ws) w(); };
  const finish = (err?: StorageError): void => {
    if (ended) return;
    ended = true;
    failure ??= err;
    if (timer) clearInterval(timer);
    ctx.watches.delete(finish);
    opts.signal?.removeEventListener('abort', onAbort);
    if (stream) { const s = stream; stream = undefined; try { s.cancel?.(); } catch { /* already gone */ } }
    notify();
  };
  const onAbort = (): void => { queue.length = 0; head = 0; finish(); };
  ctx.watches.add(finish);
  if (opts.signal?.aborted) finish();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });

  const pushProgress = (revision: number): void => {
    if (revision < last) return;
    last = revision;
    queue.push({ type: 'PROGRESS', key: '', revision, object: { metadata: { resourceVersion: String(revision) } } });
    notify();
  };
  const onData = (res: RawWatchResponse): void => {
    if (ended) return;
    if (res.compact_revision && res.compact_revision !== '0') {
      finish(new StorageError('ResourceExpired', key, `too old resource version: ${after} (${res.compact_revision})`));
      return;
    }
    if (res.canceled) { finish(new StorageError('Unreachable', key, `etcd canceled the watch: ${res.cancel_reason || 'no reason given'}`)); return; }
    if (res.events?.length) {
      try {
        for (const ev of res.events) {
          if (Number(ev.kv.mod_revision) <= after) continue; // events at an explicit start revision itself (see Expiry above)
          const se = toStorageEvent(ctx, ev);
          last = Math.max(last, se.revision);
          if (se.revision >= catchUp) trusted = true;
          queue.push(se);
        }
      } catch (err) {
        finish(mapEtcdError(err, key));
        return;
      }
      notify();
      return;
    }
    if (res.created) {
      // Synced at once when it starts after the current revision; otherwise etcd's sync loop (every 100 ms) catches it up.
      const h = Number(res.header?.revision ?? 0);
      if (start > h) trusted = true;
      else { catchUp = h; setTimeout(() => { trusted = true; }, CATCH_UP_MS).unref(); }
      return;
    }
    if (!res.header) return;
    const revision = Number(res.header.revision);
    if (res.watch_id !== '-1') { pushProgress(revision); return; } // per-watcher notification: in order
    if (!trusted) { fence = undefined; return; } // still catching up: etcd < 3.4.24 would answer ahead of the backlog
    if (fence === undefined) { fence = revision; stream?.write({ progress_request: {} }); return; }
    const r = fence;
    fence = undefined;
    pushProgress(r);
  };

  const open = async (): Promise<void> => {
    try {
      const s = await ctx.client.watchClient.watch() as unknown as RawStream;
      if (ended) { try { s.cancel?.(); } catch { /* gone */ } return; }
      stream = s;
      s.on('data', onData);
      s.on('error', (err) => { if (!ended) finish(mapEtcdError(err, key)); });
      s.on('end', () => { if (!ended) finish(new StorageError('Unreachable', key, 'etcd watch stream ended')); });
      const k = etcdKey(ctx, key);
      s.write({ create_request: {
        key: k, range_end: opts.recursive ? prefixEnd(k) : undefined, start_revision: start,
        prev_kv: true, progress_notify: !!opts.progressNotifyMs,
      } });
      if (opts.progressNotifyMs) {
        timer = setInterval(() => { if (fence === undefined) stream?.write({ progress_request: {} }); }, opts.progressNotifyMs);
        timer.unref();
      }
    } catch (err) {
      finish(mapEtcdError(err, key));
    }
  };
  void open();

  const iterator: AsyncIterator<StorageWatchEvent<T>> = {
    async next() {
      for (;;) {
        if (head < queue.length) {
          const ev = queue[head++];
          if (head > 1024 && head * 2 > queue.length) { queue.splice(0, head); head = 0; }
          return { done: false, value: ev as StorageWatchEvent<T> };
        }
        if (ended) {
          if (failure) { const f = failure; failure = undefined; throw f; }
          return { done: true, value: undefined };
        }
        await new Promise<void>((r) => { waiters.push(r); });
      }
    },
    async return() { finish(); return { done: true, value: undefined }; },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
