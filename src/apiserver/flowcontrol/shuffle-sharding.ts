/**
 * Shuffle sharding (upstream k8s.io/apiserver/pkg/util/shufflesharding): a flow's hash
 * deals it a hand of `handSize` distinct queues out of `deckSize`, the same hand every
 * time, so that one heavy flow can only fill its own hand. Which queue of the hand a
 * request joins is the dispatcher's choice (the least loaded).
 */

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

/** 64-bit FNV-1a of the flow `schema` + NUL + `distinguisher` (upstream hashes the flow the same way). */
export function flowHash(schema: string, distinguisher: string): bigint {
  let h = FNV_OFFSET;
  for (const b of Buffer.from(`${schema}\0${distinguisher}`, 'utf8')) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK64;
  return h;
}

/**
 * Deals a hand: `handSize` distinct card indices in [0, deckSize), determined by `hash`
 * alone. Each step takes the next mixed-radix digit of the hash (radix deckSize - i) as
 * the position among the cards not yet dealt. Throws when handSize > deckSize or either is
 * below 1 (upstream validation refuses such configurations).
 */
export function dealHand(hash: bigint, deckSize: number, handSize: number): number[] {
  if (deckSize < 1 || handSize < 1 || handSize > deckSize) throw new RangeError(`invalid hand ${handSize} of deck ${deckSize}`);
  const hand: number[] = [];
  let v = hash;
  for (let i = 0; i < handSize; i++) {
    const radix = BigInt(deckSize - i);
    const pos = Number(v % radix);
    v /= radix;
    // The pos-th card not yet in the hand (hand kept sorted for the walk).
    const sorted = [...hand].sort((a, b) => a - b);
    let card = pos;
    for (const taken of sorted) { if (taken <= card) card++; else break; }
    hand.push(card);
  }
  return hand;
}
