/**
 * Per-key exponential back-off with expiry (upstream client-go util/flowcontrol/backoff.go,
 * the kubelet's crash-loop and image-pull back-off): each key's delay starts at `initialMs`
 * and doubles on every {@link Backoff.next} up to `maxMs`. An entry not updated for more than
 * 2×max counts as fresh (its next delay is `initialMs` again) and is dropped by
 * {@link Backoff.gc}, which the kubelet's housekeeping calls periodically.
 *
 * Times are milliseconds since the epoch; `now` is injectable for tests.
 */
export class Backoff {
  private readonly entries = new Map<string, { backoffMs: number; lastUpdate: number }>();

  constructor(readonly initialMs: number, readonly maxMs: number, private readonly now: () => number = Date.now) {}

  /** The key's current delay in ms (0 without an entry). */
  get(id: string): number { return this.entries.get(id)?.backoffMs ?? 0; }

  /**
   * Moves the key's delay to the next step (doubling, capped at max) and stamps the update
   * with `now()`. A missing entry, or one whose last update is more than 2×max before
   * `eventTime` (ms), starts over at the initial delay.
   */
  next(id: string, eventTime: number): void {
    const e = this.entries.get(id);
    const backoffMs = !e || this.expired(eventTime, e.lastUpdate) ? this.initialMs : Math.min(e.backoffMs * 2, this.maxMs);
    this.entries.set(id, { backoffMs, lastUpdate: this.now() });
  }

  /**
   * True when less than the key's delay has passed since `eventTime` (ms; the kubelet passes
   * the container's finish time). False without an entry or when the entry expired relative
   * to `eventTime` (the container ran for more than 2×max after the last restart).
   */
  isInBackOffSince(id: string, eventTime: number): boolean {
    return this.remainingSince(id, eventTime) > 0;
  }

  /** How much of the key's delay is left, counted from `eventTime` (ms): 0 when not in back-off. */
  remainingSince(id: string, eventTime: number): number {
    const e = this.entries.get(id);
    if (!e || this.expired(eventTime, e.lastUpdate)) return 0;
    return Math.max(0, e.backoffMs - (this.now() - eventTime));
  }

  /** True when less than the key's delay has passed between its last update and `eventTime` (ms). */
  isInBackOffSinceUpdate(id: string, eventTime: number): boolean {
    return this.remainingSinceUpdate(id, eventTime) > 0;
  }

  /** How much of the key's delay is left at `eventTime` (ms), counted from its last update: 0 when not in back-off. */
  remainingSinceUpdate(id: string, eventTime: number): number {
    const e = this.entries.get(id);
    if (!e || this.expired(eventTime, e.lastUpdate)) return 0;
    return Math.max(0, e.backoffMs - (eventTime - e.lastUpdate));
  }

  /** Forgets the key. */
  reset(id: string): void { this.entries.delete(id); }

  /** Drops the entries not updated for more than 2×max (upstream Backoff.GC). */
  gc(): void {
    const now = this.now();
    for (const [id, e] of this.entries) if (this.expired(now, e.lastUpdate)) this.entries.delete(id);
  }

  /** Drops the entries whose key `keep` rejects (e.g. of pods that no longer exist). */
  retain(keep: (id: string) => boolean): void {
    for (const id of this.entries.keys()) if (!keep(id)) this.entries.delete(id);
  }

  /** Number of entries. */
  get size(): number { return this.entries.size; }

  private expired(eventTime: number, lastUpdate: number): boolean { return eventTime - lastUpdate > 2 * this.maxMs; }
}
