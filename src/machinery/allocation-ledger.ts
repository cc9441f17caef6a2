/**
 * What an allocator handed out recently (upstream keeps allocations in a bitmap in
 * storage; k8ts derives them from the stored objects, and this ledger covers the moment
 * between handing a value out and the object that holds it being stored). One ledger per
 * registry; values are keyed by range (e.g. `ip:10.96.0.0/12`, `nodeport`).
 *
 * Several apiservers on one datastore (HA) each have a ledger, so a value is also claimed
 * in storage: `claim()` creates `/registry/k8ts.io/allocationclaims/<range>/<value>`
 * (KeyExists: another create holds it) and `release()` deletes the owner's claims. The
 * allocator claims first and then checks a consistent list of the stored objects, so of
 * two apiservers racing for one value exactly one keeps it: either the second claim
 * fails, or the first one's object is already stored and listed. A claim left by a
 * crashed apiserver is taken over once older than the hold time.
 */
import type { KubeObject } from '../api/object.js';
import { isStorageError } from '../storage/errors.js';
import type { Storage } from '../storage/interface.js';

/** The stored claim of one value. */
interface AllocationClaim extends KubeObject { holder: string; claimedAt: number }

/**
 * Values held per range for an owner (the storage key of the object being created) until
 * its create attempt is over (`release`), or at most `holdMs` (default 60 s) should an
 * attempt never report back. With `storage`, holds are also claims shared by every
 * apiserver of the datastore.
 */
export class AllocationLedger {
  private readonly holds = new Map<string, Map<number, { owner: string; at: number }>>();
  constructor(private readonly now: () => number = Date.now, private readonly holdMs = 60_000, private readonly storage?: Storage) {}

  /** Values of `range` held by create attempts in progress in this apiserver. */
  held(range: string): Set<number> {
    const m = this.holds.get(range);
    if (!m) return new Set();
    const t = this.now();
    for (const [v, h] of m) if (t - h.at > this.holdMs) m.delete(v);
    return new Set(m.keys());
  }

  /** Holds `value` of `range` for `owner` in this apiserver only. */
  hold(range: string, value: number, owner: string): void {
    let m = this.holds.get(range);
    if (!m) this.holds.set(range, m = new Map());
    m.set(value, { owner, at: this.now() });
  }

  /**
   * Holds `value` for `owner` and, with storage, claims it for every apiserver. False
   * when another create (here or in another apiserver) holds it. Throws what storage
   * throws other than KeyExists.
   */
  async claim(range: string, value: number, owner: string): Promise<boolean> {
    if (this.held(range).has(value)) return false;
    this.hold(range, value, owner);
    if (!this.storage) return true;
    const key = claimKey(range, value);
    const claim: AllocationClaim = { apiVersion: 'k8ts.io/v1', kind: 'AllocationClaim', metadata: { name: String(value) }, holder: owner, claimedAt: this.now() };
    try {
      await this.storage.create(key, claim);
      return true;
    } catch (err) {
      if (!isStorageError(err, 'KeyExists')) { this.drop(range, value); throw err; }
    }
    // Held elsewhere; take it over only when that claim outlived the hold time.
    try {
      const cur = await this.storage.get<AllocationClaim>(key);
      if (this.now() - cur.claimedAt > this.holdMs) {
        await this.storage.guaranteedUpdate<AllocationClaim>(key, () => claim, { preconditions: { resourceVersion: cur.metadata.resourceVersion } });
        return true;
      }
    } catch { /* changed or gone meanwhile: treat as held */ }
    this.drop(range, value);
    return false;
  }

  /** Drops every value `owner` holds (its object is stored, or will not be), and its claims. */
  release(owner: string): void {
    for (const [range, m] of this.holds) {
      for (const [v, h] of m) {
        if (h.owner !== owner) continue;
        m.delete(v);
        void this.deleteClaim(range, v, owner);
      }
    }
  }

  /** Gives back one value this apiserver held, and its claim. */
  async unclaim(range: string, value: number, owner: string): Promise<void> {
    this.drop(range, value);
    await this.deleteClaim(range, value, owner);
  }

  /** Deletes the stored claim of `value` if `owner` still holds it; failures are ignored (a stale claim is taken over later). */
  private async deleteClaim(range: string, value: number, owner: string): Promise<void> {
    await this.storage?.delete<AllocationClaim>(claimKey(range, value), { validateDeletion: (c) => { if (c.holder !== owner) throw new Error('claimed by another'); } }).catch(() => undefined);
  }

  private drop(range: string, value: number): void { this.holds.get(range)?.delete(value); }
}

/** Where the claim of `value` in `range` is stored. */
const claimKey = (range: string, value: number): string => `/registry/k8ts.io/allocationclaims/${encodeURIComponent(range)}/${value}`;
