/**
 * Answers one question from the {@link DnsRecords} index, following the Kubernetes
 * DNS-Based Service Discovery spec (schema 1.1.0) and CoreDNS's kubernetes plugin:
 *  - names in the cluster domain are answered authoritatively: the records, or
 *    NODATA (NOERROR, no answer) when the name exists without the type, or NXDOMAIN;
 *    both negative answers carry the zone's SOA in the authority section (RFC 2308 §2–3);
 *  - `dns-version.<zone>` TXT → the schema version (spec §2.2);
 *  - `<dashed-ip>.<ns>.pod.<zone>` → the IP in the name (CoreDNS `pods insecure`);
 *  - PTR under in-addr.arpa / ip6.arpa from the index; an address inside `reverseCidrs`
 *    but not indexed is NXDOMAIN; other reverse names are forwarded (CoreDNS `fallthrough`);
 *  - every other name is forwarded upstream.
 */
import net from 'node:net';
import type { Answer } from 'dns-packet';
import { expandIPv6, type DnsRecords, type NameRecords } from './records.js';
import { QTYPE, RCODE } from './wire.js';

/** The spec's schema version (spec §2.2). */
export const DNS_SCHEMA_VERSION = '1.1.0';

/** What a question resolves to: an answer built here, or "ask upstream". */
export type Resolution =
  | {
    kind: 'answer';
    rcode: number;
    authoritative: boolean;
    answers: Answer[];
    authorities: Answer[];
    additionals: Answer[];
    /** Set when the answer ends in a CNAME to a name outside the cluster: resolve it upstream and append (CoreDNS `upstream`). */
    chase?: string;
  }
  | { kind: 'forward' };

/** Resolver options. `ttl` is in seconds (default 5, as CoreDNS's kubernetes plugin). */
export interface ResolverOptions {
  ttl?: number;
  /**
   * Pod records: 'insecure' answers any well-formed `<dashed-ip>.<ns>.pod.<zone>`;
   * 'verified' only when a Pod with that IP exists in that namespace (the index must be
   * fed Pods); 'disabled' answers NXDOMAIN. Default 'insecure' (CoreDNS `pods` option).
   */
  pods?: PodsMode;
  /** CIDRs (service and pod ranges) whose reverse names this server is authoritative for. */
  reverseCidrs?: string[];
}

/** CoreDNS `pods` modes. */
export type PodsMode = 'insecure' | 'verified' | 'disabled';

/** Resolves questions against an index. Stateless apart from the index; safe to share. */
export class Resolver {
  readonly domain: string;
  private readonly suffix: string;
  private readonly ttl: number;
  private readonly pods: PodsMode;
  private readonly reverse = new net.BlockList();

  constructor(private readonly records: DnsRecords, opts: ResolverOptions = {}) {
    this.domain = records.domain;
    this.suffix = '.' + this.domain;
    this.ttl = opts.ttl ?? 5;
    this.pods = opts.pods ?? 'insecure';
    for (const cidr of opts.reverseCidrs ?? []) {
      const [ip, bits] = cidr.split('/');
      const type = ip.includes(':') ? 'ipv6' : 'ipv4';
      this.reverse.addSubnet(ip, Number(bits ?? (type === 'ipv4' ? 32 : 128)), type);
    }
  }

  /** True if `name` (lower-case, no trailing dot) is in the cluster domain. */
  inZone(name: string): boolean { return name === this.domain || name.endsWith(this.suffix); }

  /**
   * Resolves `name` (lower-case, no trailing dot) for QTYPE number `qtype`.
   * Results for in-zone names depend only on the index (cacheable until it changes),
   * except `chase`, which needs the forwarder.
   */
  resolve(name: string, qtype: number): Resolution {
    if (this.inZone(name)) return this.resolveZone(name, qtype);
    if (name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa')) return this.resolveReverse(name, qtype);
    return { kind: 'forward' };
  }

  /** The SOA of `zone` (CoreDNS values: refresh 7200, retry 1800, expire 86400, minimum = TTL). */
  soa(zone = this.domain): Answer {
    return {
      name: zone, type: 'SOA', ttl: this.ttl, class: 'IN',
      data: { mname: `ns.dns.${this.domain}`, rname: `hostmaster.${this.domain}`, serial: this.records.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: this.ttl },
    };
  }

  private answer(answers: Answer[], additionals: Answer[] = []): Resolution {
    return { kind: 'answer', rcode: RCODE.NOERROR, authoritative: true, answers, authorities: [], additionals };
  }
  private negative(rcode: number, zone = this.domain): Resolution {
    // Before the informers synced, "no such name" may be wrong: SERVFAIL so clients retry (CoreDNS kubernetes handler).
    if (rcode === RCODE.NXDOMAIN && !this.records.synced) rcode = RCODE.SERVFAIL;
    return { kind: 'answer', rcode, authoritative: true, answers: [], authorities: [this.soa(zone)], additionals: [] };
  }

  private resolveZone(name: string, qtype: number): Resolution {
    const ttl = this.ttl;
    if (qtype === QTYPE.AXFR || qtype === QTYPE.IXFR) return { kind: 'answer', rcode: RCODE.REFUSED, authoritative: false, answers: [], authorities: [], additionals: [] };
    if (name === this.domain) {
      if (qtype === QTYPE.SOA) return this.answer([this.soa()]);
      if (qtype === QTYPE.NS) return this.answer([{ name, type: 'NS', ttl, class: 'IN', data: `ns.dns.${this.domain}` }]);
      return this.negative(RCODE.NOERROR);
    }
    const rel = name.slice(0, name.length - this.suffix.length);
    if (rel === 'dns-version') {
      return qtype === QTYPE.TXT ? this.answer([{ name, type: 'TXT', ttl, class: 'IN', data: DNS_SCHEMA_VERSION }]) : this.negative(RCODE.NOERROR);
    }
    if (rel === 'svc' || rel === 'pod') return this.negative(RCODE.NOERROR);
    if (rel.endsWith('.pod')) return this.resolvePod(name, rel.slice(0, -4), qtype);

    const rec = this.records.lookup(name);
    if (!rec) return this.negative(this.records.exists(name) ? RCODE.NOERROR : RCODE.NXDOMAIN);
    if (rec.cname) return this.resolveCname(name, rec.cname, qtype);
    const answers = this.rrs(name, rec, qtype);
    if (!answers.length) return this.negative(RCODE.NOERROR);
    const additionals: Answer[] = [];
    if (qtype === QTYPE.SRV) {
      // RFC 2782: the targets' addresses go in the additional section.
      const seen = new Set<string>();
      for (const a of answers) {
        const target = (a as { data: { target: string } }).data.target;
        if (seen.has(target)) continue;
        seen.add(target);
        const t = this.records.lookup(target);
        if (t) additionals.push(...this.rrs(target, t, QTYPE.A), ...this.rrs(target, t, QTYPE.AAAA));
      }
    }
    return this.answer(answers, additionals);
  }

  /** The answer records of `rec` for `qtype` (ANY → all). SRV weights split 100 evenly, priority 0 (as CoreDNS). */
  private rrs(name: string, rec: NameRecords, qtype: number): Answer[] {
    const ttl = this.ttl;
    const out: Answer[] = [];
    const any = qtype === QTYPE.ANY;
    if (qtype === QTYPE.A || any) for (const ip of rec.a) out.push({ name, type: 'A', ttl, class: 'IN', data: ip });
    if (qtype === QTYPE.AAAA || any) for (const ip of rec.aaaa) out.push({ name, type: 'AAAA', ttl, class: 'IN', data: ip });
    if ((qtype === QTYPE.SRV || any) && rec.srv.length) {
      const weight = Math.floor(100 / rec.srv.length);
      for (const s of rec.srv) out.push({ name, type: 'SRV', ttl, class: 'IN', data: { priority: 0, weight, port: s.port, target: s.target } });
    }
    if (qtype === QTYPE.PTR || any) for (const t of rec.ptr) out.push({ name, type: 'PTR', ttl, class: 'IN', data: t });
    return out;
  }

  /** ExternalName (spec §2.5): the CNAME, then the target's records when in the zone, or a chase upstream. */
  private resolveCname(name: string, target: string, qtype: number): Resolution {
    const cname: Answer = { name, type: 'CNAME', ttl: this.ttl, class: 'IN', data: target };
    if (qtype === QTYPE.CNAME) return this.answer([cname]);
    if (!this.inZone(target)) return { ...(this.answer([cname]) as Extract<Resolution, { kind: 'answer' }>), chase: target };
    const t = this.records.lookup(target);
    return this.answer(t && !t.cname ? [cname, ...this.rrs(target, t, qtype)] : [cname]);
  }

  /** `<dashed-ip>.<ns>` under pod.<zone> (spec §2.6; CoreDNS `pods insecure|verified`): A or AAAA of the IP spelt in the name. */
  private resolvePod(name: string, rel: string, qtype: number): Resolution {
    const dot = rel.indexOf('.');
    if (dot < 0) return this.pods === 'disabled' ? this.negative(RCODE.NXDOMAIN) : this.negative(RCODE.NOERROR); // `<ns>.pod.<zone>`
    if (this.pods === 'disabled' || rel.indexOf('.', dot + 1) >= 0) return this.negative(RCODE.NXDOMAIN);
    const ip = podIP(rel.slice(0, dot));
    if (!ip || (this.pods === 'verified' && !this.records.hasPodName(name))) return this.negative(RCODE.NXDOMAIN);
    const v6 = ip.includes(':');
    if (qtype === (v6 ? QTYPE.AAAA : QTYPE.A) || qtype === QTYPE.ANY) return this.answer([{ name, type: v6 ? 'AAAA' : 'A', ttl: this.ttl, class: 'IN', data: ip }]);
    return this.negative(RCODE.NOERROR);
  }

  /** PTR (spec §2.4.1/§2.4.2 "PTR record"): from the index; NXDOMAIN inside reverseCidrs; otherwise forwarded. */
  private resolveReverse(name: string, qtype: number): Resolution {
    const zone = name.endsWith('.in-addr.arpa') ? 'in-addr.arpa' : 'ip6.arpa';
    const rec = this.records.lookup(name);
    if (rec) {
      const answers = this.rrs(name, rec, qtype);
      return answers.length ? this.answer(answers) : this.negative(RCODE.NOERROR, zone);
    }
    const ip = ipFromReverse(name);
    if (ip && this.reverse.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4')) return this.negative(RCODE.NXDOMAIN, zone);
    return { kind: 'forward' };
  }
}

/** `10-1-2-3` → `10.1.2.3`; `fd00--1` → `fd00::1`; undefined if not an IP. */
export function podIP(dashed: string): string | undefined {
  const v4 = dashed.replace(/-/g, '.');
  if (net.isIPv4(v4)) return v4;
  const v6 = dashed.replace(/-/g, ':');
  return net.isIPv6(v6) ? v6 : undefined;
}

/** `4.3.2.1.in-addr.arpa` → `1.2.3.4`; full 32-nibble ip6.arpa names → IPv6; else undefined. */
export function ipFromReverse(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const p = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (p.length !== 4) return undefined;
    const ip = p.reverse().join('.');
    return net.isIPv4(ip) ? ip : undefined;
  }
  const n = name.slice(0, -'.ip6.arpa'.length).split('.');
  if (n.length !== 32 || n.some((x) => !/^[0-9a-f]$/.test(x))) return undefined;
  const hex = n.reverse().join('');
  const ip = hex.match(/.{4}/g)!.join(':');
  return expandIPv6(ip) ? ip : undefined;
}
