/**
 * A pod's resolv.conf as the kubelet computes it (upstream pkg/kubelet/network/dns/dns.go
 * GetPodDNS; API reference "Pod's DNS Policy" and "Pod's DNS Config"):
 * - `ClusterFirst` (and `ClusterFirstWithHostNet` for host-network pods): the cluster DNS
 *   server, searches `<ns>.svc.<domain>`, `svc.<domain>`, `<domain>` then the node's
 *   own searches, `ndots:5`;
 * - `Default`, or `ClusterFirst` on a host-network pod: the node's resolv.conf;
 * - `None`: nothing but `spec.dnsConfig`;
 * then `spec.dnsConfig` is merged in for every policy: nameservers and searches
 * appended (duplicates dropped), options replaced by name. At most 3 nameservers and
 * 32 search paths are kept, as upstream's limits.
 */
import { readFileSync } from 'node:fs';
import type { Pod } from '../api/core/v1/pod-types.js';

/** resolv.conf content: nameserver addresses, search domains, options (`name` or `name:value`). */
export interface DnsConfig { servers: string[]; searches: string[]; options: string[] }

/** Parses resolv.conf text (`nameserver`, `search`/`domain`, `options` lines). */
export function parseResolvConf(text: string): DnsConfig {
  const out: DnsConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...rest] = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.servers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.searches = rest.filter(Boolean);
    else if (key === 'options') out.options.push(...rest.filter(Boolean));
  }
  return out;
}

/** The node's resolv.conf (`path`, default /etc/resolv.conf); empty when unreadable. */
export function hostDnsConfig(path = '/etc/resolv.conf'): DnsConfig {
  try { return parseResolvConf(readFileSync(path, 'utf8')); } catch { return { servers: [], searches: [], options: [] }; }
}

const mergeOptions = (base: string[], extra: string[]): string[] => {
  const byName = new Map<string, string>();
  for (const o of [...base, ...extra]) byName.set(o.split(':')[0], o);
  return [...byName.values()];
};
const unique = (xs: string[]): string[] => [...new Set(xs)];

/** The DNS configuration of `pod`'s sandbox. */
export function podDnsConfig(pod: Pod, ctx: { clusterDNS: string; clusterDomain: string; host: DnsConfig }): DnsConfig {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const hostNetwork = !!pod.spec?.hostNetwork;
  const ns = pod.metadata.namespace ?? 'default';
  let cfg: DnsConfig;
  if (policy === 'None') cfg = { servers: [], searches: [], options: [] };
  else if (policy === 'Default' || (policy === 'ClusterFirst' && hostNetwork) || !ctx.clusterDNS) cfg = { ...ctx.host };
  else {
    const d = ctx.clusterDomain;
    cfg = { servers: [ctx.clusterDNS], searches: unique([`${ns}.svc.${d}`, `svc.${d}`, d, ...ctx.host.searches]), options: mergeOptions(ctx.host.options, ['ndots:5']) };
  }
  const extra = pod.spec?.dnsConfig as { nameservers?: string[]; searches?: string[]; options?: Array<{ name: string; value?: string }> } | undefined;
  if (extra) {
    cfg = {
      servers: unique([...cfg.servers, ...(extra.nameservers ?? [])]),
      searches: unique([...cfg.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(cfg.options, (extra.options ?? []).map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name))),
    };
  }
  return { servers: cfg.servers.slice(0, 3), searches: cfg.searches.slice(0, 32), options: cfg.options };
}
