/**
 * The DNS message bits the hot path reads and writes directly (RFC 1035 §4.1), so a
 * query is answered without a full decode: the header, the single question, and the
 * EDNS OPT pseudo-record (RFC 6891 §6.1.2). Everything else goes through dns-packet.
 */

/** RCODE values (RFC 1035 §4.1.1, RFC 2136). */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/** QTYPE numbers used here (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 6891). */
export const QTYPE: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, IXFR: 251, AXFR: 252, ANY: 255 };
const QTYPE_NAMES = new Map(Object.entries(QTYPE).map(([k, v]) => [v, k]));
/** `1` → `A`; unknown numbers → `TYPE<n>` (RFC 3597 §5). */
export const qtypeName = (n: number): string => QTYPE_NAMES.get(n) ?? `TYPE${n}`;

/** Header flag bits (RFC 1035 §4.1.1). */
export const FLAG = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100, RA: 0x0080 } as const;

/** What the hot path needs from a query. `name` is lower-case, no trailing dot ('' for the root). */
export interface ParsedQuery {
  id: number;
  flags: number;
  name: string;
  qtype: number;
  qclass: number;
  /** Offset just past the question (12 + qname length + 4). */
  questionEnd: number;
  /** EDNS UDP payload size when the query carries an OPT record, else 0. */
  ednsSize: number;
  /** DO bit of the OPT record (RFC 3225). */
  dnssecOk: boolean;
}

const scratch = Buffer.allocUnsafe(256);

/**
 * Parses a query. Returns the query, or a number: the RCODE to answer with (FORMERR,
 * NOTIMP) when the header is readable, or -1 when the message must be dropped (shorter
 * than a header, or a response). Never throws.
 */
export function parseQuery(buf: Buffer): ParsedQuery | number {
  if (buf.length < 12) return -1;
  const flags = buf.readUInt16BE(2);
  if (flags & FLAG.QR) return -1;
  if ((flags >> 11) & 0xf) return RCODE.NOTIMP; // only QUERY
  if (buf.readUInt16BE(4) !== 1) return RCODE.FORMERR;
  let off = 12;
  let n = 0;
  for (;;) {
    if (off >= buf.length) return RCODE.FORMERR;
    const len = buf[off++];
    if (len === 0) break;
    if (len > 63 || off + len > buf.length || n + len + 1 > 255) return RCODE.FORMERR; // no pointers in a question
    if (n) scratch[n++] = 0x2e;
    for (let i = 0; i < len; i++) {
      let c = buf[off + i];
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      else if (c === 0x2e) c = 0; // a dot inside a label can match no cluster name
      scratch[n++] = c;
    }
    off += len;
  }
  if (off + 4 > buf.length) return RCODE.FORMERR;
  const qtype = buf.readUInt16BE(off);
  const qclass = buf.readUInt16BE(off + 2);
  const questionEnd = off + 4;
  let ednsSize = 0;
  let dnssecOk = false;
  // The OPT record, when it is the first additional of a plain query (no answer/authority records).
  if (buf.readUInt16BE(10) > 0 && buf.readUInt16BE(6) === 0 && buf.readUInt16BE(8) === 0
    && questionEnd + 11 <= buf.length && buf[questionEnd] === 0 && buf.readUInt16BE(questionEnd + 1) === QTYPE.OPT) {
    ednsSize = Math.max(512, buf.readUInt16BE(questionEnd + 3));
    dnssecOk = (buf.readUInt16BE(questionEnd + 7) & 0x8000) !== 0;
  }
  return { id: buf.readUInt16BE(0), flags, name: scratch.toString('latin1', 0, n), qtype, qclass, questionEnd, ednsSize, dnssecOk };
}

/** Our EDNS OPT record: root name, type 41, UDP size 1232 (DNS flag day 2020), no options. */
const OPT_RR = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);

/**
 * Makes the reply to `query` from a precomputed `template` (a response whose question
 * has the same length as the query's): copies the template, writes the query's id, RD
 * bit and question bytes (so the client's letter case is echoed, RFC 4343 §4.1),
 * appends an OPT record if the query had one, and truncates to a bare header+question
 * with TC set if the result exceeds `maxSize` (RFC 2181 §9).
 */
export function replyFromTemplate(template: Buffer, query: Buffer, q: ParsedQuery, maxSize: number): Buffer {
  const withOpt = q.ednsSize > 0;
  const len = template.length + (withOpt ? OPT_RR.length : 0);
  if (len > maxSize) {
    const out = Buffer.allocUnsafe(q.questionEnd + (withOpt ? OPT_RR.length : 0));
    template.copy(out, 0, 0, 4);
    query.copy(out, 12, 12, q.questionEnd);
    out.writeUInt16BE(q.id, 0);
    out.writeUInt16BE((template.readUInt16BE(2) & ~FLAG.RD) | (q.flags & FLAG.RD) | FLAG.TC, 2);
    out.writeUInt16BE(1, 4); out.writeUInt32BE(0, 6); out.writeUInt16BE(withOpt ? 1 : 0, 10);
    if (withOpt) OPT_RR.copy(out, q.questionEnd);
    return out;
  }
  const out = Buffer.allocUnsafe(len);
  template.copy(out, 0);
  out.writeUInt16BE(q.id, 0);
  out.writeUInt16BE((template.readUInt16BE(2) & ~FLAG.RD) | (q.flags & FLAG.RD), 2);
  query.copy(out, 12, 12, q.questionEnd);
  if (withOpt) {
    OPT_RR.copy(out, template.length);
    out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  }
  return out;
}

/** A bare error reply (header + the query's question when readable) with `rcode`; RFC 1035 §4.1.1. */
export function errorReply(query: Buffer, rcode: number, q?: ParsedQuery): Buffer {
  const end = q ? q.questionEnd : 12;
  const out = Buffer.alloc(end);
  query.copy(out, 0, 0, end);
  const flags = query.readUInt16BE(2);
  out.writeUInt16BE(FLAG.QR | (flags & (0x7800 | FLAG.RD)) | rcode, 2);
  out.writeUInt16BE(q ? 1 : 0, 4); out.writeUInt32BE(0, 6); out.writeUInt16BE(0, 10);
  return out;
}

/** Flags of a reply in the log plugin's form: `qr,aa,rd`. */
export function flagsText(flags: number): string {
  const out: string[] = [];
  if (flags & FLAG.QR) out.push('qr');
  if (flags & FLAG.AA) out.push('aa');
  if (flags & FLAG.TC) out.push('tc');
  if (flags & FLAG.RD) out.push('rd');
  if (flags & FLAG.RA) out.push('ra');
  return out.join(',');
}
