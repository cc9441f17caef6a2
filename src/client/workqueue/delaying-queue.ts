/** The delaying layer (client-go delaying_queue.go): addAfter(key, ms) adds the key once the delay passes. */
import { Queue } from './queue.js';

export class DelayingQueue<K = string> extends Queue<K> {
  private readonly timers = new Map<K, { at: number; timer: NodeJS.Timeout }>();

  addAfter(key: K, delayMs: number): void {
    if (this.isShuttingDown) return;
    this.metrics?.retry();
    if (delayMs <= 0) { this.add(key); return; }
    const at = Date.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return; // an earlier add is already pending
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => { this.timers.delete(key); this.add(key); }, delayMs);
    this.timers.set(key, { at, timer });
  }

  override shutDown(): void {
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    super.shutDown();
  }
}
