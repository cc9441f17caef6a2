/**
 * The base work queue (client-go util/workqueue/queue.go): FIFO of keys with a dirty set
 * (a key is queued at most once) and a processing set (a key is never handed to two
 * workers at once; one re-added while processing is queued again after done()).
 */
export class Queue<K = string> {
  private readonly items: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private waiters: Array<() => void> = [];
  private shuttingDown = false;

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.items.push(key);
    this.waiters.shift()?.();
  }

  len(): number { return this.items.length; }

  async get(): Promise<{ key: K; shutdown: false } | { key: undefined; shutdown: true }> {
    while (this.items.length === 0) {
      if (this.shuttingDown) return { key: undefined, shutdown: true };
      await new Promise<void>((r) => this.waiters.push(r));
    }
    const key = this.items.shift()!;
    this.processing.add(key);
    this.dirty.delete(key);
    return { key, shutdown: false };
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) { this.items.push(key); this.waiters.shift()?.(); }
  }

  shutDown(): void {
    this.shuttingDown = true;
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }

  get isShuttingDown(): boolean { return this.shuttingDown; }
}
