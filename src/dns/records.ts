/**
 * The cluster DNS index: the records the Kubernetes DNS-Based Service Discovery spec
 * (kubernetes/dns docs/specification.md, schema 1.1.0) derives from Services and
 * EndpointSlices, kept in maps keyed by fully qualified name so a lookup is O(1).
 *
 * Names are lower-case, without the trailing dot (`web.default.svc.cluster.local`).
 * Each Service owns the names it produces; an informer event on a Service or one of
 * its EndpointSlices recomputes only that Service's names (spec §2.3–2.5):
 *  - ClusterIP: `<svc>.<ns>.svc.<zone>` A/AAAA → clusterIPs; SRV `_<port>._<proto>.<svc>…`
 *    → `<svc>.<ns>.svc.<zone>`; PTR of every clusterIP → the service name.
 *  - Headless (clusterIP None): A/AAAA → ready endpoint addresses (all of them when
 *    publishNotReadyAddresses; no name at all, so NXDOMAIN, without any); `<hostname>.<svc>…` (or `<dashed-ip>.<svc>…` without a
 *    hostname, as CoreDNS does) → the endpoint's address; SRV per named port with one
 *    target per endpoint; PTR of each endpoint address → its endpoint name.
 *  - ExternalName: `<svc>.<ns>.svc.<zone>` CNAME → spec.externalName.
 * Every proper suffix of an owned name inside the zone is an empty non-terminal, so a
 * query for it is NODATA rather than NXDOMAIN (RFC 8020 / CoreDNS behaviour).
 */
import type { Service } from '../api/core/v1/types.js';
import type { EndpointSlice } from '../api/discovery/v1/endpoint-slice.js';
import type { Pod } from '../api/core/v1/pod-types.js';

/** One SRV target (RFC 2782): port number and target name (no trailing dot). */
export interface SrvTarget { port: number; target: string }

/** Records of one name, merged over every owner. Arrays are never undefined. */
export interface NameRecords {
  a: string[];
  aaaa: string[];
  srv: SrvTarget[];
  ptr: string[];
  /** ExternalName target (lower-case, no trailing dot). */
  cname?: string;
}

interface OwnedRecords { a?: string[]; aaaa?: string[]; srv?: SrvTarget[]; ptr?: string[]; cname?: string }

/** The label EndpointSlices carry naming their Service (discovery.k8s.io/v1). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** `10.0.0.1` → `1.0.0.10.in-addr.arpa`; `2001:db8::1` → nibble form under ip6.arpa (RFC 1035 §3.5, RFC 3596 §2.5). */
export function reverseName(ip: string): string | undefined {
  if (ip.includes(':')) {
    const groups = expandIPv6(ip);
    if (!groups) return undefined;
    const nibbles = groups.map((g) => g.toString(16).padStart(4, '0')).join('');
    return [...nibbles].reverse().join('.') + '.ip6.arpa';
  }
  const p = ip.split('.');
  if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return undefined;
  return `${p[3]}.${p[2]}.${p[1]}.${p[0]}.in-addr.arpa`;
}

/** Eight 16-bit groups of an IPv6 address (with `::` and an optional dotted IPv4 tail), or undefined if invalid. */
export function expandIPv6(ip: string): number[] | undefined {
  let s = ip;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = s.slice(lastColon + 1).split('.').map(Number);
    if (v4.length !== 4 || v4.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return undefined;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    s = s.slice(0, lastColon + 1) + (s[lastColon - 1] === ':' ? '' : '0');
    if (!s.endsWith('::') && s.endsWith(':0')) s = s.slice(0, -2);
  }
  const parts = s.split('::');
  if (parts.length > 2) return undefined;
  const parse = (x: string): number[] | undefined => {
    if (x === '') return [];
    const out: number[] = [];
    for (const g of x.split(':')) { if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined; out.push(parseInt(g, 16)); }
    return out;
  };
  const head = parse(parts[0]);
  const rest = parts.length === 2 ? parse(parts[1]) : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length + tail.length;
  if (parts.length === 1 ? given !== 8 : given > 7) return undefined;
  return [...head, ...new Array(8 - given).fill(0), ...rest, ...tail];
}

/** `10.1.2.3` → `10-1-2-3`; IPv6 `::` kept as `--` (the form CoreDNS uses in endpoint and pod names). */
export const dashedIP = (ip: string): string => ip.replace(/[.:]/g, '-').toLowerCase();

/**
 * Options of the index: the cluster domain (zone), default `cluster.local`; `synced`
 * false while the informers have not listed yet (default true, for hand-fed indexes).
 */
export interface DnsRecordsOptions { domain?: string; synced?: boolean }

/**
 * The in-memory index. Feed it with {@link DnsRecords.upsertService} / deleteService /
 * upsertEndpointSlice / deleteEndpointSlice (informer handlers do, see run-dns.ts);
 * read it with {@link DnsRecords.lookup} / {@link DnsRecords.exists}. `onChange`
 * listeners run synchronously after every change (the response cache clears itself).
 */
export class DnsRecords {
  readonly domain: string;
  /** False until the feeding informers synced: a name not found may just not be listed yet (SERVFAIL, as CoreDNS). */
  synced: boolean;
  /** Seconds since the epoch of the last change; the SOA serial (as CoreDNS). */
  serial = Math.floor(Date.now() / 1000);
  private readonly names = new Map<string, Map<string, OwnedRecords>>();
  private readonly ents = new Map<string, number>();
  private readonly owned = new Map<string, Map<string, OwnedRecords>>();
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, { svcKey: string; slice: EndpointSlice }>();
  private readonly slicesBySvc = new Map<string, Set<string>>();
  private readonly listeners: Array<() => void> = [];
  private readonly podNames = new Map<string, Set<string>>();
  private readonly podNamesByKey = new Map<string, string[]>();

  constructor(opts: DnsRecordsOptions = {}) {
    this.domain = (opts.domain ?? 'cluster.local').toLowerCase().replace(/\.$/, '');
    this.synced = opts.synced ?? true;
  }

  /** Marks the index complete (informers synced); listeners run. */
  markSynced(): void {
    this.synced = true;
    for (const fn of this.listeners) fn();
  }

  /** Registers a listener called after each change of the index. */
  onChange(fn: () => void): void { this.listeners.push(fn); }

  /** Records of `fqdn` (lower-case, no trailing dot), merged over owners; undefined if the name owns none. */
  lookup(fqdn: string): NameRecords | undefined {
    const owners = this.names.get(fqdn);
    if (!owners) return undefined;
    if (owners.size === 1) {
      const r = owners.values().next().value as OwnedRecords;
      return { a: r.a ?? [], aaaa: r.aaaa ?? [], srv: r.srv ?? [], ptr: r.ptr ?? [], cname: r.cname };
    }
    const out: NameRecords = { a: [], aaaa: [], srv: [], ptr: [] };
    for (const r of owners.values()) {
      if (r.a) out.a.push(...r.a);
      if (r.aaaa) out.aaaa.push(...r.aaaa);
      if (r.srv) out.srv.push(...r.srv);
      if (r.ptr) out.ptr.push(...r.ptr);
      if (r.cname && !out.cname) out.cname = r.cname;
    }
    return out;
  }

  /** True if `fqdn` owns records or is an empty non-terminal above one (so NODATA, not NXDOMAIN). */
  exists(fqdn: string): boolean { return this.names.has(fqdn) || this.ents.has(fqdn); }

  /** Number of names that own records (for tests and the bench). */
  get size(): number { return this.names.size; }

  /**
   * Adds or replaces a Pod (core/v1) for `pods verified`: its status.podIPs become
   * `<dashed-ip>.<ns>.pod.<zone>` names. Pods without IPs are dropped.
   */
  upsertPod(pod: Pod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const ns = (pod.metadata.namespace ?? 'default').toLowerCase();
    const ips = pod.status?.podIPs?.length ? pod.status.podIPs.map((p) => p.ip!).filter(Boolean) : pod.status?.podIP ? [pod.status.podIP] : [];
    const names = ips.map((ip) => `${dashedIP(ip)}.${ns}.pod.${this.domain}`);
    const prev = this.podNamesByKey.get(key) ?? [];
    if (prev.length === names.length && prev.every((n, i) => n === names[i])) return;
    this.removePodNames(key, prev);
    if (names.length) {
      this.podNamesByKey.set(key, names);
      for (const n of names) { let set = this.podNames.get(n); if (!set) this.podNames.set(n, (set = new Set())); set.add(key); }
    }
    this.changed();
  }

  /** Removes a Pod's names. */
  deletePod(pod: Pod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const prev = this.podNamesByKey.get(key);
    if (!prev) return;
    this.removePodNames(key, prev);
    this.changed();
  }

  /** True if a Pod indexed by {@link upsertPod} has the IP spelt in `fqdn` (`<dashed-ip>.<ns>.pod.<zone>`) in that namespace. */
  hasPodName(fqdn: string): boolean { return this.podNames.has(fqdn); }

  private removePodNames(key: string, names: string[]): void {
    for (const n of names) { const set = this.podNames.get(n); set?.delete(key); if (set && !set.size) this.podNames.delete(n); }
    this.podNamesByKey.delete(key);
  }

  private changed(): void {
    this.serial = Math.floor(Date.now() / 1000);
    for (const fn of this.listeners) fn();
  }

  /** Adds or replaces a Service (core/v1) and recomputes its names. */
  upsertService(svc: Service): void {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    this.services.set(key, svc);
    this.rebuild(key);
  }

  /** Removes a Service and its names (its EndpointSlices stay indexed until deleted). */
  deleteService(svc: Service): void {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    this.services.delete(key);
    this.rebuild(key);
  }

  /** Adds or replaces an EndpointSlice (discovery.k8s.io/v1); the Service named by its label is recomputed. */
  upsertEndpointSlice(slice: EndpointSlice): void {
    const key = `${slice.metadata.namespace}/${slice.metadata.name}`;
    const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    const prev = this.slices.get(key);
    if (prev) this.slicesBySvc.get(prev.svcKey)?.delete(key);
    if (!svcName) {
      this.slices.delete(key);
      if (prev) this.rebuild(prev.svcKey);
      return;
    }
    const svcKey = `${slice.metadata.namespace}/${svcName}`;
    this.slices.set(key, { svcKey, slice });
    let set = this.slicesBySvc.get(svcKey);
    if (!set) this.slicesBySvc.set(svcKey, (set = new Set()));
    set.add(key);
    if (prev && prev.svcKey !== svcKey) this.rebuild(prev.svcKey);
    this.rebuild(svcKey);
  }

  /** Removes an EndpointSlice; its Service is recomputed. */
  deleteEndpointSlice(slice: EndpointSlice): void {
    const key = `${slice.metadata.namespace}/${slice.metadata.name}`;
    const prev = this.slices.get(key);
    if (!prev) return;
    this.slices.delete(key);
    const set = this.slicesBySvc.get(prev.svcKey);
    set?.delete(key);
    if (set && !set.size) this.slicesBySvc.delete(prev.svcKey);
    this.rebuild(prev.svcKey);
  }

  /** Recomputes the names owned by Service `key` and swaps them in. */
  private rebuild(key: string): void {
    const next = this.compute(key);
    const prev = this.owned.get(key);
    if (prev) for (const name of prev.keys()) this.remove(name, key);
    if (next.size) {
      this.owned.set(key, next);
      for (const [name, rec] of next) this.add(name, key, rec);
    } else this.owned.delete(key);
    this.changed();
  }

  private add(name: string, owner: string, rec: OwnedRecords): void {
    let owners = this.names.get(name);
    if (!owners) this.names.set(name, (owners = new Map()));
    owners.set(owner, rec);
    this.walkAncestors(name, 1);
  }

  private remove(name: string, owner: string): void {
    const owners = this.names.get(name);
    if (!owners || !owners.delete(owner)) return;
    if (!owners.size) this.names.delete(name);
    this.walkAncestors(name, -1);
  }

  /** Counts empty non-terminals between `name` and its zone apex (the cluster domain or in-addr.arpa / ip6.arpa). */
  private walkAncestors(name: string, delta: number): void {
    const apex = name.endsWith('.in-addr.arpa') ? 'in-addr.arpa' : name.endsWith('.ip6.arpa') ? 'ip6.arpa' : this.domain;
    let i = name.indexOf('.');
    while (i >= 0) {
      const parent = name.slice(i + 1);
      if (parent === apex || parent.length <= apex.length) break;
      const n = (this.ents.get(parent) ?? 0) + delta;
      if (n > 0) this.ents.set(parent, n); else this.ents.delete(parent);
      i = name.indexOf('.', i + 1);
    }
  }

  /** The records Service `key` owns given its current object and slices (spec §2.3–2.5). */
  private compute(key: string): Map<string, OwnedRecords> {
    const out = new Map<string, OwnedRecords>();
    const svc = this.services.get(key);
    if (!svc) return out;
    const ns = (svc.metadata.namespace ?? 'default').toLowerCase();
    const svcName = `${svc.metadata.name!.toLowerCase()}.${ns}.svc.${this.domain}`;
    const get = (name: string): OwnedRecords => { let r = out.get(name); if (!r) out.set(name, (r = {})); return r; };
    const push = (r: OwnedRecords, k: 'a' | 'aaaa' | 'ptr', v: string): void => { const arr: string[] = (r[k] ??= []); if (!arr.includes(v)) arr.push(v); };
    const addAddr = (name: string, ip: string): void => push(get(name), ip.includes(':') ? 'aaaa' : 'a', ip);
    const addPtr = (ip: string, target: string): void => { const rn = reverseName(ip); if (rn) push(get(rn), 'ptr', target); };
    const spec = svc.spec ?? {};

    if (spec.type === 'ExternalName') {
      if (spec.externalName) get(svcName).cname = spec.externalName.toLowerCase().replace(/\.$/, '');
      return out;
    }
    const clusterIPs = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
    const headless = clusterIPs.length === 0 ? false : clusterIPs[0] === 'None';
    if (!headless) {
      if (!clusterIPs.length) return out; // not yet allocated: no records
      get(svcName);
      for (const ip of clusterIPs) { addAddr(svcName, ip); addPtr(ip, svcName); }
      for (const p of spec.ports ?? []) {
        if (!p.name) continue;
        const srvName = `_${p.name.toLowerCase()}._${(p.protocol ?? 'TCP').toLowerCase()}.${svcName}`;
        (get(srvName).srv ??= []).push({ port: p.port, target: svcName });
      }
      return out;
    }
    // A headless service without ready endpoints has no records: NXDOMAIN (spec §2.4.1).
    const publishNotReady = spec.publishNotReadyAddresses === true;
    for (const sliceKey of this.slicesBySvc.get(key) ?? []) {
      const slice = this.slices.get(sliceKey)!.slice;
      if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
      for (const ep of (slice.endpoints ?? []) as Array<{ addresses?: string[]; hostname?: string; conditions?: { ready?: boolean } }>) {
        if (!publishNotReady && ep.conditions?.ready === false) continue;
        for (const ip of ep.addresses ?? []) {
          const epName = `${ep.hostname ? ep.hostname.toLowerCase() : dashedIP(ip)}.${svcName}`;
          addAddr(svcName, ip);
          addAddr(epName, ip);
          addPtr(ip, epName);
          for (const p of (slice.ports ?? []) as Array<{ name?: string; port?: number; protocol?: string }>) {
            if (!p.name || p.port == null) continue;
            const srvName = `_${p.name.toLowerCase()}._${(p.protocol ?? 'TCP').toLowerCase()}.${svcName}`;
            const srv = (get(srvName).srv ??= []);
            if (!srv.some((s) => s.port === p.port && s.target === epName)) srv.push({ port: p.port, target: epName });
          }
        }
      }
    }
    return out;
  }
}
