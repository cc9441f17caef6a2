/**
 * kube-proxy's nftables rules (upstream pkg/proxy/nftables, KEP-3866), as text for
 * `nft -f`: one table `ip k8ts-proxy` holding
 * - verdict maps from `address . protocol . port` (`service-ips`) and
 *   `protocol . nodePort` (`service-nodeports`) to per-service-port chains, and maps of
 *   the same keys for service ports without usable endpoints (`no-endpoint-*`, which the
 *   filter hooks consult before DNAT: reject, or drop when only other nodes have
 *   endpoints under a Local policy);
 * - per service port a `service-…` chain: masquerade off-cluster clients, then one
 *   `dnat … numgen random mod N map { i : address . port }` rule over the endpoints
 *   and, with a nodePort or external/load-balancer addresses, an `external-…` chain
 *   (masquerade, or the Local policy's own endpoints);
 * - only for ClientIP affinity, per endpoint an `endpoint-…` chain (affinity set
 *   update, DNAT) that the service chain picks from;
 * - hairpin traffic (an endpoint reaching itself through its Service) masqueraded by a
 *   lookup of `source . destination` in the `hairpin-endpoints` set.
 *
 * The ruleset is kept small on purpose: the nft CLI reads the whole ruleset before
 * each transaction, so its cost grows with the rule count, not with the change.
 *
 * Rules are rendered per service port into a {@link Chunk}; {@link planSync} turns the
 * chunks that changed into one transaction, so a change touches only its own chains and
 * map elements (no rebuild per event). Chain names carry a hash of the service port
 * name, as upstream's do, so that names stay unique within nft's 256-byte limit.
 */
import { createHash } from 'node:crypto';
import { usableEndpoints, type EndpointInfo, type ServicePortInfo } from './service-port.js';

export const TABLE = 'k8ts-proxy';
const T = `ip ${TABLE}`;
/** The mark bit kube-proxy sets on packets to masquerade (upstream's 0x4000). */
export const MASQUERADE_MARK = '0x4000';

/** The rules of one service port: chains (name → rule lines), affinity sets and map/set elements. */
export interface Chunk {
  chains: Map<string, string[]>;
  /** Set name → declaration body, e.g. `{ type ipv4_addr; flags dynamic,timeout; timeout 10800s; }`. */
  sets: Map<string, string>;
  /** `map` is a map or set name; `value` is absent for set elements. */
  elements: Array<{ map: string; key: string; value?: string }>;
}

/** Settings of the whole ruleset. */
export interface RulesetConfig {
  nodeName: string;
  /** Pod network; clients outside it are masqueraded on cluster IPs. Undefined: no such rule. */
  clusterCIDR?: string;
  /** Addresses node ports answer on (the node's InternalIP and 127.0.0.1). */
  nodePortAddresses: string[];
}

const hash = (s: string): string => createHash('sha256').update(s).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 8).toUpperCase();
export const serviceChainName = (key: string): string => `service-${hash(key)}-${key}`;
const externalChainName = (key: string): string => `external-${hash(key)}-${key}`;
const endpointChainName = (key: string, e: EndpointInfo): string => `endpoint-${hash(`${key}__${e.ip}/${e.port}`)}-${key}__${e.ip}/${e.port}`;
const affinitySetName = (key: string, e: EndpointInfo): string => `affinity-${hash(`${key}__${e.ip}/${e.port}`)}-${key}__${e.ip}/${e.port}`;

/** The static part: table, maps, sets, hook chains and helper chains. */
export function baseRuleset(cfg: RulesetConfig): string[] {
  const lines = [
    `add table ${T}`,
    `add set ${T} cluster-ips { type ipv4_addr; comment "Active ClusterIPs"; }`,
    `add set ${T} nodeport-ips { type ipv4_addr; comment "IPs that accept NodePort traffic"; }`,
    `add set ${T} hairpin-endpoints { type ipv4_addr . ipv4_addr; comment "endpoint . endpoint: a pod reaching itself through a Service"; }`,
    `add map ${T} service-ips { type ipv4_addr . inet_proto . inet_service : verdict; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"; }`,
    `add map ${T} service-nodeports { type inet_proto . inet_service : verdict; comment "NodePort traffic"; }`,
    `add map ${T} no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict; comment "vmap to drop or reject packets to services with no endpoints"; }`,
    `add map ${T} no-endpoint-nodeports { type inet_proto . inet_service : verdict; comment "vmap to drop or reject packets to service nodeports with no endpoints"; }`,
    `add chain ${T} reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports"; }`,
    `add rule ${T} reject-chain reject`,
    `add chain ${T} mark-for-masquerade`,
    `add rule ${T} mark-for-masquerade meta mark set meta mark or ${MASQUERADE_MARK}`,
    `add chain ${T} masquerading`,
    `add rule ${T} masquerading ip saddr . ip daddr @hairpin-endpoints masquerade fully-random`,
    `add rule ${T} masquerading meta mark & ${MASQUERADE_MARK} == 0 return`,
    `add rule ${T} masquerading meta mark set meta mark xor ${MASQUERADE_MARK}`,
    `add rule ${T} masquerading masquerade fully-random`,
    `add chain ${T} services`,
    `add rule ${T} services ip daddr . meta l4proto . th dport vmap @service-ips`,
    `add rule ${T} services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports`,
    `add chain ${T} endpoints-check`,
    `add rule ${T} endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services`,
    `add rule ${T} endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports`,
    `add chain ${T} cluster-ips-check`,
    `add rule ${T} cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"`,
    `add chain ${T} nat-prerouting { type nat hook prerouting priority dstnat; policy accept; }`,
    `add rule ${T} nat-prerouting jump services`,
    `add chain ${T} nat-output { type nat hook output priority -100; policy accept; }`,
    `add rule ${T} nat-output jump services`,
    `add chain ${T} nat-postrouting { type nat hook postrouting priority srcnat; policy accept; }`,
    `add rule ${T} nat-postrouting jump masquerading`,
    `add chain ${T} filter-prerouting-pre-dnat { type filter hook prerouting priority -110; policy accept; }`,
    `add rule ${T} filter-prerouting-pre-dnat ct state new jump endpoints-check`,
    `add chain ${T} filter-output-pre-dnat { type filter hook output priority -110; policy accept; }`,
    `add rule ${T} filter-output-pre-dnat ct state new jump endpoints-check`,
    `add chain ${T} filter-forward { type filter hook forward priority -110; policy accept; }`,
    `add rule ${T} filter-forward ct state new jump cluster-ips-check`,
    `add chain ${T} filter-output-post-dnat { type filter hook output priority -90; policy accept; }`,
    `add rule ${T} filter-output-post-dnat ct state new jump cluster-ips-check`,
  ];
  if (cfg.nodePortAddresses.length) lines.push(`add element ${T} nodeport-ips { ${cfg.nodePortAddresses.join(', ')} }`);
  return lines;
}

/** `numgen random` over endpoint chains, or nothing for an empty list. */
const balance = (chains: string[]): string[] => (chains.length === 0 ? [] : chains.length === 1 ? [`goto ${chains[0]}`]
  : [`numgen random mod ${chains.length} vmap { ${chains.map((c, i) => `${i} : goto ${c}`).join(', ')} }`]);

/** The chunk of one service port given its endpoints (all of them; readiness and policy are applied here). */
export function renderServicePort(sp: ServicePortInfo, eps: EndpointInfo[], cfg: RulesetConfig): Chunk {
  const chains = new Map<string, string[]>();
  const sets = new Map<string, string>();
  const elements: Chunk['elements'] = [];
  const key = sp.key;
  const hairpin = new Set<string>();
  const endpointChain = (e: EndpointInfo): string => {
    const name = endpointChainName(key, e);
    if (!chains.has(name)) {
      const set = affinitySetName(key, e);
      sets.set(set, `{ type ipv4_addr; flags dynamic,timeout; timeout ${sp.affinitySeconds}s; }`);
      chains.set(name, [`update @${set} { ip saddr }`, `meta l4proto ${sp.protocol} dnat ip to ${e.ip}:${e.port}`]);
    }
    return name;
  };
  /** Rules sending a connection to one of `list`: a DNAT map, or affinity then endpoint chains. */
  const select = (list: EndpointInfo[]): string[] => {
    for (const e of list) hairpin.add(`${e.ip} . ${e.ip}`);
    if (sp.affinitySeconds) return [...list.map((e) => `ip saddr @${affinitySetName(key, e)} goto ${endpointChain(e)}`), ...balance(list.map(endpointChain))];
    if (list.length === 0) return [];
    if (list.length === 1) return [`meta l4proto ${sp.protocol} dnat ip to ${list[0].ip}:${list[0].port}`];
    return [`meta l4proto ${sp.protocol} dnat ip to numgen random mod ${list.length} map { ${list.map((e, i) => `${i} : ${e.ip} . ${e.port}`).join(', ')} }`];
  };
  const all = eps;
  const internal = usableEndpoints(all, sp.internalPolicyLocal, cfg.nodeName);
  const clusterEps = usableEndpoints(all, false, cfg.nodeName);
  const noEndpoints = (some: EndpointInfo[]): string => (some.length === 0 ? 'goto reject-chain' : 'drop');
  const proto = sp.protocol;

  // The cluster-IP path.
  const svcChain = serviceChainName(key);
  if (internal.length) {
    const rules: string[] = [];
    if (cfg.clusterCIDR) for (const ip of sp.clusterIPs) rules.push(`ip daddr ${ip} ip saddr != ${cfg.clusterCIDR} jump mark-for-masquerade`);
    rules.push(...select(internal));
    chains.set(svcChain, rules);
  }
  for (const ip of sp.clusterIPs) {
    elements.push({ map: 'cluster-ips', key: ip });
    elements.push(internal.length ? { map: 'service-ips', key: `${ip} . ${proto} . ${sp.port}`, value: `goto ${svcChain}` }
      : { map: 'no-endpoint-services', key: `${ip} . ${proto} . ${sp.port}`, value: noEndpoints(all.filter((e) => e.ready || e.serving)) });
  }

  // The external path: node ports, external IPs, load-balancer addresses.
  if (sp.nodePort || sp.externalAddresses.length) {
    const extChain = externalChainName(key);
    let usable: boolean;
    if (!sp.externalPolicyLocal) {
      usable = clusterEps.length > 0;
      // Cluster policy: same endpoints as the cluster IP (or all of them when the internal policy is Local).
      const target = internal.length && !sp.internalPolicyLocal ? svcChain : undefined;
      if (usable) chains.set(extChain, ['jump mark-for-masquerade', ...(target ? [`goto ${target}`] : select(clusterEps))]);
    } else {
      const local = usableEndpoints(all, true, cfg.nodeName);
      usable = local.length > 0;
      const rules: string[] = [];
      // Traffic from the node itself is cluster traffic (upstream: "short-circuit pods/node to external IPs").
      if (internal.length && !sp.internalPolicyLocal) rules.push('fib saddr type local jump mark-for-masquerade', `fib saddr type local goto ${svcChain}`);
      else rules.push('ip saddr 127.0.0.0/8 jump mark-for-masquerade');
      rules.push(...select(local));
      if (usable) chains.set(extChain, rules);
    }
    const verdict = usable ? `goto ${extChain}` : noEndpoints(all.filter((e) => e.ready || e.serving));
    for (const ip of sp.externalAddresses) {
      elements.push(usable ? { map: 'service-ips', key: `${ip} . ${proto} . ${sp.port}`, value: verdict } : { map: 'no-endpoint-services', key: `${ip} . ${proto} . ${sp.port}`, value: verdict });
    }
    if (sp.nodePort) {
      elements.push(usable ? { map: 'service-nodeports', key: `${proto} . ${sp.nodePort}`, value: verdict } : { map: 'no-endpoint-nodeports', key: `${proto} . ${sp.nodePort}`, value: verdict });
    }
  }
  for (const h of hairpin) elements.push({ map: 'hairpin-endpoints', key: h });
  return { chains, sets, elements };
}

/** Element identity in the table: `map|key`. */
const elementId = (e: { map: string; key: string }): string => `${e.map}|${e.key}`;

/**
 * The table as programmed: chunks per service port key and reference-counted elements
 * (a cluster IP is in `cluster-ips` once for all of its ports).
 */
export class ProgrammedState {
  chunks = new Map<string, Chunk>();
  elements = new Map<string, { map: string; key: string; value?: string; count: number }>();
}

/**
 * The transaction moving `state` to `next` (service port key → new chunk, or undefined
 * for a removed port), and the state after it. `full` renders the whole table from
 * nothing (delete and re-add), as at start or after a failed transaction.
 */
export function planSync(state: ProgrammedState, next: Map<string, Chunk | undefined>, cfg: RulesetConfig, full = false): { script: string; state: ProgrammedState } {
  const out = new ProgrammedState();
  const prev: ProgrammedState = full ? new ProgrammedState() : state;
  out.chunks = new Map(prev.chunks);
  out.elements = new Map([...prev.elements].map(([k, v]) => [k, { ...v }]));
  const addSets: string[] = []; const declare: string[] = []; const delElements: string[] = []; const rules: string[] = [];
  const addElements: string[] = []; const dropChains: string[] = []; const dropSets: string[] = [];
  const touched = new Map<string, { value?: string; present: boolean }>();
  const touch = (id: string): void => { if (!touched.has(id)) { const e = out.elements.get(id); touched.set(id, { value: e?.value, present: !!e }); } };

  const changes: Array<[string, Chunk | undefined]> = full ? [...new Map([...state.chunks, ...next])] : [...next];
  for (const [key, chunk] of changes) {
    const old = out.chunks.get(key);
    for (const e of old?.elements ?? []) {
      const id = elementId(e); touch(id);
      const cur = out.elements.get(id)!;
      if (--cur.count === 0) out.elements.delete(id);
    }
    for (const e of chunk?.elements ?? []) {
      const id = elementId(e); touch(id);
      const cur = out.elements.get(id);
      if (cur) { cur.count++; cur.value = e.value; } else out.elements.set(id, { ...e, count: 1 });
    }
    for (const [name, body] of chunk?.sets ?? []) if (!old?.sets.has(name)) addSets.push(`add set ${T} ${name} ${body}`);
    for (const [name, lines] of chunk?.chains ?? []) {
      const was = old?.chains.get(name);
      if (!was) declare.push(`add chain ${T} ${name}`);
      else if (was.join('\n') === lines.join('\n')) continue;
      else rules.push(`flush chain ${T} ${name}`);
      for (const l of lines) rules.push(`add rule ${T} ${name} ${l}`);
    }
    for (const name of old?.chains.keys() ?? []) if (!chunk?.chains.has(name)) dropChains.push(name);
    for (const name of old?.sets.keys() ?? []) if (!chunk?.sets.has(name)) dropSets.push(name);
    if (chunk) out.chunks.set(key, chunk); else out.chunks.delete(key);
  }
  for (const [id, before] of touched) {
    const now = out.elements.get(id);
    const [map, key] = [id.slice(0, id.indexOf('|')), id.slice(id.indexOf('|') + 1)];
    if (before.present && (!now || now.value !== before.value)) delElements.push(`delete element ${T} ${map} { ${key} }`);
    if (now && (!before.present || now.value !== before.value)) addElements.push(`add element ${T} ${map} { ${key}${now.value ? ` : ${now.value}` : ''} }`);
  }
  const script = [
    ...(full ? [`add table ${T}`, `delete table ${T}`, ...baseRuleset(cfg)] : []),
    ...addSets, ...declare, ...delElements, ...rules, ...addElements,
    ...dropChains.map((c) => `flush chain ${T} ${c}`), ...dropChains.map((c) => `delete chain ${T} ${c}`),
    ...dropSets.map((s) => `delete set ${T} ${s}`),
  ];
  return { script: script.length ? `${script.join('\n')}\n` : '', state: out };
}
