/**
 * The watch cache's key index: the set of cached keys, handed out sorted for prefix
 * ranges and pagination. Adds and deletes are recorded in O(1) and merged into the sorted
 * array when a reader next asks for it (one sort of the added keys and one linear merge),
 * so a burst of creates costs no array shifting per create — a sorted array kept by
 * splicing moved half the index on every insert. Upstream's watch cache keeps a B-tree
 * for the same job (the BtreeWatchCache feature, beta and on by default in 1.32).
 */
export class SortedKeyIndex {
  private sortedKeys: string[];
  /** Keys added since the last merge (not in sortedKeys). */
  private readonly added = new Set<string>();
  /** Keys of sortedKeys deleted since the last merge. */
  private readonly removed = new Set<string>();

  /** `initial`: the keys present at start, in any order, without duplicates. */
  constructor(initial: Iterable<string> = []) {
    this.sortedKeys = [...initial].sort();
  }

  /** Records `key` as present; the caller adds only keys not present. */
  add(key: string): void {
    if (this.removed.delete(key)) return; // deleted and re-added before a merge: still in sortedKeys
    this.added.add(key);
  }

  /** Records `key` as absent; the caller deletes only keys present. */
  delete(key: string): void {
    if (this.added.delete(key)) return;
    this.removed.add(key);
  }

  /** Every present key in ascending (UTF-16 code unit) order. The array is shared: do not change it. */
  sorted(): readonly string[] {
    if (this.added.size === 0 && this.removed.size === 0) return this.sortedKeys;
    const old = this.sortedKeys;
    const fresh = [...this.added].sort();
    const out: string[] = new Array(old.length - this.removed.size + fresh.length);
    let i = 0; let j = 0; let n = 0;
    while (i < old.length || j < fresh.length) {
      if (i < old.length && this.removed.has(old[i])) { i++; continue; }
      out[n++] = j >= fresh.length || (i < old.length && old[i] < fresh[j]) ? old[i++] : fresh[j++];
    }
    out.length = n;
    this.sortedKeys = out;
    this.added.clear();
    this.removed.clear();
    return out;
  }
}
