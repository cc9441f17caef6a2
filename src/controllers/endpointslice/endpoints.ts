/**
 * Desired endpoints of a Service for one address type (upstream
 * pkg/controller/endpointslice reconciler.go reconcileByAddressType, first half, and
 * utils.go podToEndpoint/getEndpointPorts): pods grouped by the port set they resolve.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node, Service } from '../../api/core/v1/types.js';
import { findPort } from '../util/service-ports.js';
import { canonicalIP, isIPv6, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from '../util/endpoints-util.js';
import { isPodReady } from '../pod-util.js';

export type AddressType = 'IPv4' | 'IPv6';
/** discovery/v1 EndpointPort: `{name, port, protocol, appProtocol?}` (name '' for unnamed, as upstream). */
export interface SlicePort { name?: string; port?: number; protocol?: string; appProtocol?: string }
/** discovery/v1 Endpoint as this controller writes it. */
export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string };
  nodeName?: string;
  zone?: string;
  hints?: unknown;
}
/** Endpoints sharing one port set: `ports` in service order, `endpoints` keyed by {@link endpointKey}. */
export interface PortGroup { ports: SlicePort[]; endpoints: Map<string, SliceEndpoint> }

/** Node label giving the endpoint's zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** Upstream getAddressTypesForService: from ipFamilies; else clusterIP's family; headless without families: both. */
export function addressTypesForService(svc: Service): AddressType[] {
  const fams = (svc.spec?.ipFamilies ?? []).filter((f): f is AddressType => f === 'IPv4' || f === 'IPv6');
  if (fams.length) return [...new Set(fams)];
  const ip = svc.spec?.clusterIP;
  if (ip && ip !== 'None') return [isIPv6(ip) ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

/** The ports of `pod` for `svc` (upstream getEndpointPorts): service ports the pod resolves, in service order. */
export function endpointPorts(svc: Service, pod: Pod): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: SlicePort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** Order-independent key of a port set (upstream NewPortMapKey). */
export const portsKey = (ports: SlicePort[] | undefined): string =>
  (ports ?? []).map((p) => JSON.stringify([p.name ?? '', p.port ?? 0, p.protocol ?? '', p.appProtocol ?? ''])).sort().join('|');

/** Identity of an endpoint (upstream hashEndpoint): sorted addresses, hostname, targetRef namespace/name. */
export const endpointKey = (e: SliceEndpoint): string =>
  JSON.stringify([[...e.addresses].sort(), e.hostname ?? '', e.targetRef?.namespace ?? '', e.targetRef?.name ?? '']);

/** Upstream EndpointsEqualBeyondHash: conditions, zone, nodeName, hints, targetRef (ignoring resourceVersion). */
export function endpointsEqualBeyondKey(a: SliceEndpoint, b: SliceEndpoint): boolean {
  const v = (e: SliceEndpoint) => JSON.stringify([e.conditions?.ready ?? null, e.conditions?.serving ?? null, e.conditions?.terminating ?? null,
    e.zone ?? null, e.nodeName ?? null, e.hints ?? null, e.targetRef?.kind ?? '', e.targetRef?.uid ?? '']);
  return v(a) === v(b);
}

/**
 * Upstream podToEndpoint: the pod's IP(s) of `addressType` (IPv6 in canonical form); serving = pod Ready,
 * terminating = deletionTimestamp set, ready = publishNotReadyAddresses || (serving &&
 * !terminating); nodeName, zone from the node's topology label, hostname as for Endpoints.
 */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service, addressType: AddressType): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')).map(canonicalIP),
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname;
  return ep;
}

/**
 * Desired endpoints of `addressType`, grouped by port set. Terminating pods are
 * included. As upstream, a pod whose Node is unknown is skipped (reported in
 * `missingNodes`, so the caller retries) unless publishNotReadyAddresses is set.
 */
export function desiredPortGroups(svc: Service, pods: Pod[], nodeOf: (name: string) => Node | undefined, addressType: AddressType): { groups: Map<string, PortGroup>; missingNodes: string[] } {
  const groups = new Map<string, PortGroup>();
  const missingNodes: string[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(svc, pod);
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) { g = { ports, endpoints: new Map() }; groups.set(key, g); }
    const node = pod.spec?.nodeName ? nodeOf(pod.spec.nodeName) : undefined;
    if (!node && !svc.spec?.publishNotReadyAddresses) { missingNodes.push(`${pod.metadata.name}@${pod.spec?.nodeName ?? ''}`); continue; }
    const ep = podToEndpoint(pod, node, svc, addressType);
    if (ep.addresses.length) g.endpoints.set(endpointKey(ep), ep);
  }
  return { groups, missingNodes };
}
