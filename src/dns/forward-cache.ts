/**
 * A cache of forwarded replies (CoreDNS `cache 30` for names outside the cluster).
 * Entries are keyed by question (lower-case name, type, class) plus the EDNS/DO/CD bits
 * of the query, and live for the smallest TTL of their records, capped at `maxTtl`
 * seconds; negative replies live for the SOA minimum (RFC 2308 §5), also capped. On a
 * hit the stored message is copied, the id, RD bit and question bytes are the
 * client's, and every TTL is capped at the entry's lifetime and lowered by the seconds
 * elapsed (RFC 1035 §7.4 / RFC 2181 §8).
 * Only NOERROR and NXDOMAIN replies without TC are kept.
 */
import { FLAG, QTYPE, RCODE, type ParsedQuery } from './wire.js';

interface Entry { msg: Buffer; ttlOffsets: number[]; ttls: number[]; storedAt: number; expiresAt: number }

/** Options: the TTL cap in seconds (default 30) and the entry bound (default 10,000; the oldest goes first). */
export interface ForwardCacheOptions { maxTtl?: number; maxEntries?: number; now?: () => number }

/** See the module docs. */
export class ForwardCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxTtl: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(opts: ForwardCacheOptions = {}) {
    this.maxTtl = opts.maxTtl ?? 30;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  get size(): number { return this.entries.size; }

  private static key(q: ParsedQuery): string {
    return `${q.qtype}/${q.qclass}/${q.ednsSize > 0 ? 1 : 0}${q.dnssecOk ? 1 : 0}${q.flags & 0x10 ? 1 : 0}/${q.name}`;
  }

  /** The cached reply to `query` (parsed as `q`) if fresh and not larger than `maxSize`, else undefined. */
  get(query: Buffer, q: ParsedQuery, maxSize: number): Buffer | undefined {
    const key = ForwardCache.key(q);
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = this.now();
    if (now >= e.expiresAt) { this.entries.delete(key); return undefined; }
    if (e.msg.length > maxSize) return undefined;
    const out = Buffer.from(e.msg);
    out.writeUInt16BE(q.id, 0);
    out.writeUInt16BE((out.readUInt16BE(2) & ~FLAG.RD) | (q.flags & FLAG.RD), 2);
    query.copy(out, 12, 12, q.questionEnd);
    const elapsed = Math.floor((now - e.storedAt) / 1000);
    for (let i = 0; i < e.ttlOffsets.length; i++) out.writeUInt32BE(Math.max(0, e.ttls[i] - elapsed), e.ttlOffsets[i]);
    return out;
  }

  /** Stores `reply` (the upstream's answer to `q`) when cacheable; malformed replies are ignored. */
  put(q: ParsedQuery, reply: Buffer): void {
    if (reply.length < 12 || this.maxTtl <= 0) return;
    const flags = reply.readUInt16BE(2);
    const rcode = flags & 0xf;
    if ((flags & FLAG.TC) || (rcode !== RCODE.NOERROR && rcode !== RCODE.NXDOMAIN)) return;
    const walked = walkRecords(reply);
    if (!walked || walked.questionEnd !== q.questionEnd) return;
    let ttl = this.maxTtl;
    if (walked.answers === 0 || rcode === RCODE.NXDOMAIN) {
      if (walked.soaMinimum === undefined) return; // a negative reply without SOA is not cached (RFC 2308 §5)
      ttl = Math.min(ttl, walked.soaMinimum, ...walked.ttls);
    } else if (walked.ttls.length) ttl = Math.min(ttl, ...walked.ttls);
    if (ttl <= 0) return;
    const now = this.now();
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const msg = Buffer.from(reply);
    msg.writeUInt16BE(0, 0);
    this.entries.set(ForwardCache.key(q), { msg, ttlOffsets: walked.ttlOffsets, ttls: walked.ttls.map((t) => Math.min(t, ttl)), storedAt: now, expiresAt: now + ttl * 1000 });
  }

  /** Drops every entry. */
  clear(): void { this.entries.clear(); }
}

/** Skips a possibly compressed name at `off`; returns the offset after it or -1 (RFC 1035 §4.1.4). */
function skipName(buf: Buffer, off: number): number {
  for (;;) {
    if (off >= buf.length) return -1;
    const len = buf[off];
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2 <= buf.length ? off + 2 : -1;
    if (len & 0xc0) return -1;
    off += 1 + len;
  }
}

/** Offsets and values of every RR TTL (OPT excluded), the answer count, and the SOA minimum of the authority section. */
function walkRecords(buf: Buffer): { questionEnd: number; answers: number; ttlOffsets: number[]; ttls: number[]; soaMinimum?: number } | undefined {
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  const total = an + buf.readUInt16BE(8) + buf.readUInt16BE(10);
  if (qd !== 1) return undefined;
  let off = skipName(buf, 12);
  if (off < 0 || off + 4 > buf.length) return undefined;
  off += 4;
  const questionEnd = off;
  const ttlOffsets: number[] = [];
  const ttls: number[] = [];
  let soaMinimum: number | undefined;
  for (let i = 0; i < total; i++) {
    off = skipName(buf, off);
    if (off < 0 || off + 10 > buf.length) return undefined;
    const type = buf.readUInt16BE(off);
    const rdlen = buf.readUInt16BE(off + 8);
    if (off + 10 + rdlen > buf.length) return undefined;
    if (type !== QTYPE.OPT) {
      ttlOffsets.push(off + 4);
      ttls.push(buf.readUInt32BE(off + 4));
      if (type === QTYPE.SOA && i >= an && rdlen >= 4) soaMinimum = buf.readUInt32BE(off + 10 + rdlen - 4);
    }
    off += 10 + rdlen;
  }
  return { questionEnd, answers: an, ttlOffsets, ttls, soaMinimum };
}
