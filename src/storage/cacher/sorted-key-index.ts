/**
 * The watch cache's key index: the cached keys in ascending (UTF-16 code unit) order, for
 * prefix ranges and pagination. Kept as a list of sorted blocks of at most 1,024 keys, so
 * an add or delete shifts one block (O(√n) at worst) instead of half of one array, and a
 * range is found by two binary searches. With one sorted array, every create moved
 * half the index; an index sorted lazily instead paid a full merge on the next read, and
 * admission reads (webhook configurations) follow nearly every write. Upstream's watch
 * cache keeps a B-tree for the same job (the BtreeWatchCache feature, beta and on by
 * default in 1.32).
 */
const MAX_BLOCK = 1024;

/** Index of the first element of sorted `keys` that is >= `key` (binary search). */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export class SortedKeyIndex {
  /** Non-empty sorted blocks; every key of a block is below every key of the next. */
  private blocks: string[][] = [];
  private total = 0;

  /** `initial`: the keys present at start, in any order, without duplicates. */
  constructor(initial: Iterable<string> = []) {
    const all = [...initial].sort();
    for (let i = 0; i < all.length; i += MAX_BLOCK / 2) this.blocks.push(all.slice(i, i + MAX_BLOCK / 2));
    this.total = all.length;
  }

  /** Number of keys. */
  get size(): number { return this.total; }

  /** The block that holds `key` or would: the first whose last key is >= key (else the last block). */
  private blockFor(key: string): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = this.blocks[mid];
      if (b[b.length - 1] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Adds `key`; the caller adds only keys not present. */
  add(key: string): void {
    this.total++;
    if (this.blocks.length === 0) { this.blocks.push([key]); return; }
    const bi = this.blockFor(key);
    const b = this.blocks[bi];
    b.splice(lowerBound(b, key), 0, key);
    if (b.length > MAX_BLOCK) this.blocks.splice(bi + 1, 0, b.splice(b.length >>> 1));
  }

  /** Removes `key`; a key not present is ignored. */
  delete(key: string): void {
    if (this.blocks.length === 0) return;
    const bi = this.blockFor(key);
    const b = this.blocks[bi];
    const i = lowerBound(b, key);
    if (b[i] !== key) return;
    this.total--;
    b.splice(i, 1);
    if (b.length === 0) this.blocks.splice(bi, 1);
  }

  /** Position of the first key >= `key` (0…size). */
  private position(key: string): { block: number; index: number; rank: number } {
    if (this.blocks.length === 0) return { block: 0, index: 0, rank: 0 };
    const block = this.blockFor(key);
    const index = lowerBound(this.blocks[block], key);
    let rank = index;
    for (let i = 0; i < block; i++) rank += this.blocks[i].length;
    return { block, index, rank };
  }

  /** Number of keys k with from <= k < end. */
  count(from: string, end: string): number {
    return Math.max(0, this.position(end).rank - this.position(from).rank);
  }

  /** The keys k with from <= k < end, in order, at most `limit` of them. */
  slice(from: string, end: string, limit = Infinity): string[] {
    const out: string[] = [];
    if (this.blocks.length === 0) return out;
    let { block, index } = this.position(from);
    for (; block < this.blocks.length; block++, index = 0) {
      const b = this.blocks[block];
      for (; index < b.length; index++) {
        if (b[index] >= end || out.length >= limit) return out;
        out.push(b[index]);
      }
    }
    return out;
  }
}
