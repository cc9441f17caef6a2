/**
 * What kube-proxy needs of a Service and its EndpointSlices, per service port
 * (upstream pkg/proxy/servicechangetracker.go, endpointschangetracker.go,
 * topology.go): the virtual addresses a port answers on, and the endpoints it may
 * send a connection to, already filtered by readiness and traffic policy.
 */
import type { Service } from '../api/core/v1/types.js';
import type { EndpointSlice } from '../api/discovery/v1/endpoint-slice.js';
import { ipToInt } from '../machinery/cidr.js';

export type L4Protocol = 'tcp' | 'udp' | 'sctp';

/** One port of one Service: `key` is `<namespace>/<name>/<protocol>/<port name>` (upstream's ServicePortName). */
export interface ServicePortInfo {
  key: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: L4Protocol;
  /** IPv4 cluster IPs (none for headless). */
  clusterIPs: string[];
  port: number;
  /** 0 when none. */
  nodePort: number;
  /** `status.loadBalancer.ingress[].ip` and `spec.externalIPs` (IPv4). */
  externalAddresses: string[];
  /** ClientIP affinity timeout in seconds; 0 = no affinity. */
  affinitySeconds: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
}

/** One endpoint of a service port. */
export interface EndpointInfo { ip: string; port: number; ready: boolean; serving: boolean; terminating: boolean; nodeName?: string }

const isIPv4 = (s: string | undefined): s is string => !!s && /^\d+\.\d+\.\d+\.\d+$/.test(s);

/**
 * The service ports kube-proxy programs for `svc`: none for ExternalName or headless
 * Services (DNS handles those), one per `spec.ports[]` otherwise.
 */
export function servicePorts(svc: Service): ServicePortInfo[] {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const clusterIPs = (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []).filter(isIPv4);
  if (clusterIPs.length === 0) return [];
  const external = [
    ...(spec.externalIPs ?? []),
    ...((spec.type === 'LoadBalancer' ? svc.status?.loadBalancer?.ingress ?? [] : []) as Array<{ ip?: string }>).map((i) => i.ip),
  ].filter(isIPv4);
  const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig as { clientIP?: { timeoutSeconds?: number } } | undefined)?.clientIP?.timeoutSeconds ?? 10_800 : 0;
  const ns = svc.metadata.namespace ?? 'default';
  return (spec.ports ?? []).map((p) => {
    const protocol = (p.protocol ?? 'TCP').toLowerCase() as L4Protocol;
    return {
      key: `${ns}/${svc.metadata.name}/${protocol}/${p.name ?? ''}`,
      namespace: ns, name: svc.metadata.name!, portName: p.name ?? '', protocol,
      clusterIPs, port: p.port, nodePort: spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? p.nodePort ?? 0 : 0,
      externalAddresses: [...new Set(external)],
      affinitySeconds,
      externalPolicyLocal: spec.externalTrafficPolicy === 'Local' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || external.length > 0),
      internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    };
  });
}

/**
 * The endpoints of `sp` from the Service's IPv4 EndpointSlices: every endpoint address
 * with the slice port of the same name and protocol. A nil `ready` counts as ready,
 * a nil `serving` as ready's value (discovery/v1 EndpointConditions).
 */
export function endpointsFor(sp: ServicePortInfo, slices: Iterable<EndpointSlice>): EndpointInfo[] {
  const out = new Map<string, EndpointInfo>();
  for (const s of slices) {
    if (s.addressType !== 'IPv4') continue;
    const port = (s.ports ?? []).find((p: { name?: string; protocol?: string }) => (p.name ?? '') === sp.portName && (p.protocol ?? 'TCP').toLowerCase() === sp.protocol);
    if (!port?.port) continue;
    for (const e of s.endpoints ?? []) {
      const ready = e.conditions?.ready ?? true;
      const info: EndpointInfo = {
        ip: e.addresses?.[0], port: port.port, ready,
        serving: e.conditions?.serving ?? ready, terminating: e.conditions?.terminating ?? false, nodeName: e.nodeName,
      };
      if (isIPv4(info.ip)) out.set(`${info.ip}:${info.port}`, info);
    }
  }
  return [...out.values()];
}

/**
 * The endpoints a connection may go to (upstream topology.go CategorizeEndpoints):
 * the ready ones, or, when none is ready, the serving terminating ones; restricted to
 * this node's when the policy is Local. Sorted by address for stable rules.
 */
export function usableEndpoints(eps: EndpointInfo[], local: boolean, nodeName: string): EndpointInfo[] {
  const candidates = local ? eps.filter((e) => e.nodeName === nodeName) : eps;
  let use = candidates.filter((e) => e.ready);
  if (use.length === 0) use = candidates.filter((e) => e.serving && e.terminating);
  return use.sort((a, b) => (a.ip === b.ip ? a.port - b.port : ipToInt(a.ip) - ipToInt(b.ip)));
}

