/**
 * What this controller last wrote, per service (upstream pkg/controller/endpointslice
 * endpointslice_tracker.go). Upstream tracks metadata.generation; this apiserver does
 * not maintain generation for EndpointSlices, so the (numeric) resourceVersion is
 * tracked instead: a slice in the cache older than what we wrote means the cache is
 * stale (sync again later); a newer one (or an unknown one) was changed by someone
 * else and the service needs a resync.
 */
import type { EndpointSlice } from '../../api/discovery/v1/endpoint-slice.js';

const DELETION_EXPECTED = -1;
const rvOf = (s: EndpointSlice) => Number(s.metadata.resourceVersion ?? 0);

export class EndpointSliceTracker {
  /** service key → slice uid → resourceVersion written (or DELETION_EXPECTED). */
  private readonly bySvc = new Map<string, Map<string, number>>();
  constructor(private readonly serviceKeyOf: (s: EndpointSlice) => string | undefined) {}

  private map(s: EndpointSlice, create = false): Map<string, number> | undefined {
    const k = this.serviceKeyOf(s);
    if (!k) return undefined;
    let m = this.bySvc.get(k);
    if (!m && create) { m = new Map(); this.bySvc.set(k, m); }
    return m;
  }

  /** Whether the slice is tracked. */
  has(s: EndpointSlice): boolean { return this.map(s)?.has(s.metadata.uid!) ?? false; }
  /** Records a slice we created or updated. */
  update(s: EndpointSlice): void { this.map(s, true)!.set(s.metadata.uid!, rvOf(s)); }
  /** Records a slice we deleted. */
  expectDeletion(s: EndpointSlice): void { this.map(s, true)!.set(s.metadata.uid!, DELETION_EXPECTED); }
  /** Whether a cached slice differs from what we wrote (unknown or newer): the service needs a sync. */
  shouldSync(s: EndpointSlice): boolean {
    const g = this.map(s)?.get(s.metadata.uid!);
    return g === undefined || rvOf(s) > g;
  }
  /** Forgets a deleted slice; false when we did not delete it ourselves. */
  handleDeletion(s: EndpointSlice): boolean {
    const m = this.map(s);
    const g = m?.get(s.metadata.uid!);
    m?.delete(s.metadata.uid!);
    return g === DELETION_EXPECTED;
  }
  /**
   * Upstream StaleSlices: a given slice older than what we wrote, one we deleted still
   * listed, or one we wrote not listed yet.
   */
  staleSlices(serviceKey: string, slices: EndpointSlice[]): boolean {
    const m = this.bySvc.get(serviceKey);
    if (!m) return false;
    const seen = new Set<string>();
    for (const s of slices) {
      seen.add(s.metadata.uid!);
      const g = m.get(s.metadata.uid!);
      if (g === undefined) continue;
      if (g === DELETION_EXPECTED || rvOf(s) < g) return true;
    }
    for (const [uid, g] of m) if (g !== DELETION_EXPECTED && !seen.has(uid)) return true;
    return false;
  }
  /** Forgets a deleted service. */
  deleteService(serviceKey: string): void { this.bySvc.delete(serviceKey); }
}
