/**
 * In-process fan-out of committed rows to watchers. Each subscriber has its own
 * unbounded buffer, so a slow consumer never blocks writers (it only grows its own
 * buffer). Events reach a subscriber in revision order; events at or below the
 * replayed backlog's last revision are dropped, so a watch that replays history and
 * then goes live sees every revision exactly once.
 */
import type { StorageWatchEvent } from './interface.js';

interface Subscriber { matches(name: string): boolean; push(ev: StorageWatchEvent): void; close(): void }

/** A subscription: its iteration, and `progress(revision)` to deliver a PROGRESS event in order. */
export interface Subscription { iterate(backlog: StorageWatchEvent[], after: number): AsyncIterable<StorageWatchEvent>; progress(revision: number): void }

/** A set of subscribers; `publish` is called by the single writer after each commit. */
export class WatchHub {
  private readonly subs = new Set<Subscriber>();

  /** Number of live subscribers (for tests and metrics). */
  get size(): number { return this.subs.size; }

  /** Delivers `ev` to every subscriber whose key matcher accepts `ev.key`. Never blocks. */
  publish(ev: StorageWatchEvent): void {
    for (const s of this.subs) if (s.matches(ev.key)) s.push(ev);
  }

  /** Ends every subscription (backend close): iterations finish after their buffered events. */
  closeAll(): void {
    for (const s of this.subs) s.close();
    this.subs.clear();
  }

  /**
   * Registers a subscriber now (before the caller reads its backlog, so nothing committed
   * in between is lost). `iterate(backlog, after)` yields the backlog, then live events
   * with revision > max(after, last backlog revision). Aborting `signal` ends the
   * iteration at once, dropping buffered events.
   */
  subscribe(matches: (name: string) => boolean, signal?: AbortSignal): Subscription {
    let queue: StorageWatchEvent[] = [];
    let head = 0;
    let wake: (() => void) | undefined;
    let closed = false;
    let aborted = false;
    const sub: Subscriber = {
      matches,
      push: (ev) => { queue.push(ev); wake?.(); },
      close: () => { closed = true; wake?.(); },
    };
    this.subs.add(sub);
    const onAbort = (): void => { aborted = true; this.subs.delete(sub); sub.close(); };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const hub = this;
    return {
      // Queued behind every change already published, so it never overtakes one.
      progress: (revision) => sub.push({ type: 'PROGRESS', key: '', revision, object: { metadata: { resourceVersion: String(revision) } } }),
      async *iterate(backlog, after) {
        try {
          let last = after;
          for (const ev of backlog) {
            if (aborted) return;
            last = Math.max(last, ev.revision);
            yield ev;
          }
          for (;;) {
            while (head < queue.length) {
              if (aborted) return;
              const ev = queue[head++];
              if (head > 1024 && head * 2 > queue.length) { queue = queue.slice(head); head = 0; }
              if (ev.type === 'PROGRESS') {
                if (ev.revision < last) continue;
              } else if (ev.revision <= last) continue;
              last = ev.revision;
              yield ev;
            }
            if (closed) return;
            await new Promise<void>((r) => { wake = r; });
            wake = undefined;
          }
        } finally {
          hub.subs.delete(sub);
          signal?.removeEventListener('abort', onAbort);
        }
      },
    };
  }
}

/**
 * Adds etcd-style progress notifications to a subscription's `events`: every `everyMs`
 * a PROGRESS event carrying `currentRevision()` is queued behind the changes already
 * published. The timer stops when the iteration ends, the signal aborts, or
 * `currentRevision` throws (the backend closed).
 */
export function withProgressNotify(events: AsyncIterable<StorageWatchEvent>, sub: Subscription, everyMs: number, currentRevision: () => number, signal?: AbortSignal): AsyncIterable<StorageWatchEvent> {
  return {
    async *[Symbol.asyncIterator]() {
      const timer = setInterval(() => {
        try { sub.progress(currentRevision()); } catch { clearInterval(timer); }
      }, everyMs);
      timer.unref();
      const stop = (): void => clearInterval(timer);
      signal?.addEventListener('abort', stop, { once: true });
      try { yield* events; } finally { stop(); signal?.removeEventListener('abort', stop); }
    },
  };
}
