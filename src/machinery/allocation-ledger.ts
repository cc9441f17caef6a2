/**
 * What an allocator handed out recently (upstream keeps allocations in a bitmap in
 * storage; k8ts derives them from the stored objects, and this ledger covers the moment
 * between handing a value out and the object that holds it being stored). One ledger per
 * registry; values are keyed by range (e.g. `ip:10.96.0.0/12`, `nodeport`).
 */
/**
 * Values held per range for an owner (the storage key of the object being created) until
 * its create attempt is over (`release`), or at most `holdMs` (default 60 s) should an
 * attempt never report back.
 */
export class AllocationLedger {
  private readonly holds = new Map<string, Map<number, { owner: string; at: number }>>();
  constructor(private readonly now: () => number = Date.now, private readonly holdMs = 60_000) {}

  /** Values of `range` held by create attempts in progress. */
  held(range: string): Set<number> {
    const m = this.holds.get(range);
    if (!m) return new Set();
    const t = this.now();
    for (const [v, h] of m) if (t - h.at > this.holdMs) m.delete(v);
    return new Set(m.keys());
  }

  /** Holds `value` of `range` for `owner`. */
  hold(range: string, value: number, owner: string): void {
    let m = this.holds.get(range);
    if (!m) this.holds.set(range, m = new Map());
    m.set(value, { owner, at: this.now() });
  }

  /** Drops every value `owner` holds (its object is stored, or will not be). */
  release(owner: string): void {
    for (const m of this.holds.values()) for (const [v, h] of m) if (h.owner === owner) m.delete(v);
  }
}

