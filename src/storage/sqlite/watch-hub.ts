/**
 * In-process fan-out of storage events to watchers. Each subscriber has its own
 * unbounded buffer, so a slow consumer never blocks writers; events are delivered in
 * revision order and a subscriber never sees an event twice (events at or below the
 * backlog's last revision are dropped).
 */
import type { StorageWatchEvent } from '../interface.js';

interface Subscriber { matches(name: string): boolean; push(ev: StorageWatchEvent): void; close(): void }

export class WatchHub {
  private readonly subs = new Set<Subscriber>();

  publish(ev: StorageWatchEvent): void {
    for (const s of this.subs) if (s.matches(ev.key)) s.push(ev);
  }

  closeAll(): void {
    for (const s of this.subs) s.close();
    this.subs.clear();
  }

  /** Registers a subscriber now; `iterate(backlog, after)` yields the backlog then live events newer than `after`. */
  subscribe(matches: (name: string) => boolean, signal?: AbortSignal): { iterate(backlog: StorageWatchEvent[], after: number): AsyncIterable<StorageWatchEvent> } {
    const queue: StorageWatchEvent[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    const sub: Subscriber = {
      matches,
      push: (ev) => { queue.push(ev); wake?.(); },
      close: () => { closed = true; wake?.(); },
    };
    this.subs.add(sub);
    const onAbort = (): void => { this.subs.delete(sub); sub.close(); };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const hub = this;
    return {
      async *iterate(backlog, after) {
        try {
          for (const ev of backlog) yield ev;
          let last = after;
          for (;;) {
            while (queue.length) {
              const ev = queue.shift()!;
              if (ev.revision <= last) continue;
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
