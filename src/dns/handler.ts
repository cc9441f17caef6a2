/**
 * Turns a query message into a reply message: the part of the server between the
 * sockets and the {@link Resolver}. Authoritative answers are encoded once per
 * (type, name) into a template and reused until the index changes, so a cached query
 * costs a parse of the question, two map lookups and one buffer copy. Names outside
 * the cluster go to the {@link Forwarder}. Never throws: internal errors become SERVFAIL.
 */
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import type { Forwarder } from './forwarder.js';
import type { ForwardCache } from './forward-cache.js';
import type { Resolution, Resolver } from './resolver.js';
import { errorReply, FLAG, parseQuery, qtypeName, RCODE, replyFromTemplate, type ParsedQuery } from './wire.js';

const CLASS_IN = 1;
const CLASS_ANY = 255;

/** Handler options: the resolver, an optional forwarder and cache of forwarded replies, and the template cache bound (entries, default 100,000). */
export interface QueryHandlerOptions { resolver: Resolver; forwarder?: Forwarder; forwardCache?: ForwardCache; cacheSize?: number }

/** Transport of a query: UDP replies are bounded by 512 bytes or the client's EDNS size (RFC 6891 §6.2.5); TCP by 65535. */
export type Transport = 'udp' | 'tcp';

/** Answers queries; see the module docs. Call {@link QueryHandler.invalidate} when the index changes (run-dns does). */
export class QueryHandler {
  private readonly resolver: Resolver;
  private readonly forwarder?: Forwarder;
  private readonly forwardCache?: ForwardCache;
  private readonly cacheSize: number;
  private cache = new Map<number, Map<string, Buffer>>();
  private cached = 0;

  constructor(opts: QueryHandlerOptions) {
    this.resolver = opts.resolver;
    this.forwarder = opts.forwarder;
    this.forwardCache = opts.forwardCache;
    this.cacheSize = opts.cacheSize ?? 100_000;
  }

  /** Drops every precomputed reply (the index changed). */
  invalidate(): void { this.cache = new Map(); this.cached = 0; }

  /**
   * The reply to `query`, synchronously when it is answered from the index, as a promise
   * when it is forwarded; undefined when the message must be dropped (not a query, or
   * too short to carry an id).
   */
  handle(query: Buffer, transport: Transport): Buffer | undefined | Promise<Buffer | undefined> {
    let q: ParsedQuery | number;
    try { q = parseQuery(query); } catch { return undefined; }
    if (typeof q === 'number') return q < 0 ? undefined : errorReply(query, q);
    const maxSize = transport === 'tcp' ? 65535 : Math.max(512, q.ednsSize);
    try {
      if (q.qclass === CLASS_IN) {
        const hit = this.cache.get(q.qtype)?.get(q.name);
        if (hit) return replyFromTemplate(hit, query, q, maxSize);
      }
      const res = this.resolver.resolve(q.name, q.qtype);
      if (res.kind === 'forward') return this.forwardCache?.get(query, q, maxSize) ?? this.forward(query, q, transport);
      if (q.qclass !== CLASS_IN && q.qclass !== CLASS_ANY) return errorReply(query, RCODE.REFUSED, q);
      if (res.chase) return this.chase(query, q, res, maxSize);
      const template = this.template(query, q, res);
      if (q.qclass === CLASS_IN) this.remember(q, template);
      return replyFromTemplate(template, query, q, maxSize);
    } catch {
      return errorReply(query, RCODE.SERVFAIL, q);
    }
  }

  private remember(q: ParsedQuery, template: Buffer): void {
    if (this.cached >= this.cacheSize) this.invalidate();
    let byName = this.cache.get(q.qtype);
    if (!byName) this.cache.set(q.qtype, (byName = new Map()));
    byName.set(q.name, template);
    this.cached++;
  }

  /** A reply with the query's question bytes (encoded by dns-packet without a question, then spliced; RFC 1035 §4.1). */
  private template(query: Buffer, q: ParsedQuery, res: Extract<Resolution, { kind: 'answer' }>, extra: Answer[] = []): Buffer {
    const enc = dnsPacket.encode({
      type: 'response', id: 0,
      flags: FLAG.QR | (res.authoritative ? FLAG.AA : 0) | res.rcode,
      questions: [], answers: [...res.answers, ...extra], authorities: res.authorities, additionals: res.additionals,
    });
    const out = Buffer.allocUnsafe(enc.length + q.questionEnd - 12);
    enc.copy(out, 0, 0, 12);
    query.copy(out, 12, 12, q.questionEnd);
    enc.copy(out, q.questionEnd, 12);
    out.writeUInt16BE(1, 4);
    return out;
  }

  private async forward(query: Buffer, q: ParsedQuery, transport: Transport): Promise<Buffer | undefined> {
    const reply = this.forwarder ? await this.forwarder.forward(query, { tcp: transport === 'tcp' }) : undefined;
    if (reply) { try { this.forwardCache?.put(q, reply); } catch { /* uncacheable */ } }
    return reply ?? errorReply(query, RCODE.SERVFAIL, q);
  }

  /** ExternalName pointing outside the cluster: the CNAME plus the upstream's records for the target (CoreDNS `upstream`). */
  private async chase(query: Buffer, q: ParsedQuery, res: Extract<Resolution, { kind: 'answer' }>, maxSize: number): Promise<Buffer | undefined> {
    let extra: Answer[] = [];
    if (this.forwarder && q.qtype !== 255) {
      try {
        const sub = dnsPacket.encode({ type: 'query', id: 0, flags: FLAG.RD, questions: [{ name: res.chase!, type: qtypeName(q.qtype) as 'A', class: 'IN' }] });
        const reply = await this.forwarder.forward(sub);
        if (reply) {
          const dec = dnsPacket.decode(reply) as dnsPacket.DecodedPacket & { rcode?: string };
          if (dec.rcode === 'NOERROR') extra = dec.answers ?? [];
        }
      } catch { /* the CNAME alone */ }
    }
    try { return replyFromTemplate(this.template(query, q, res, extra), query, q, maxSize); } catch { return errorReply(query, RCODE.SERVFAIL, q); }
  }
}
