/**
 * Pod/Service predicates shared by the Endpoints and EndpointSlice controllers
 * (upstream pkg/controller/util/endpoint and staging endpointslice/util).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Service } from '../../api/core/v1/types.js';
import type { Lister } from '../../client/informers/types.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { isPodReady } from '../pod-util.js';

/** Label set on Endpoints/EndpointSlices of headless services (v1.IsHeadlessService). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** Annotation with the time of the oldest change that led to this write (v1.EndpointsLastChangeTriggerTime). */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

/** The pod's IPs: status.podIPs, else status.podIP. */
export const podIPs = (p: Pod): string[] => {
  const ips = (p.status?.podIPs ?? []).map((x) => x.ip).filter((ip): ip is string => !!ip);
  return ips.length ? ips : p.status?.podIP ? [p.status.podIP] : [];
};

/**
 * Upstream ShouldPodBeInEndpoints: false for terminal pods (Succeeded/Failed), pods
 * without an IP, and — unless `includeTerminating` — pods with a deletionTimestamp.
 */
export function shouldPodBeInEndpoints(p: Pod, includeTerminating: boolean): boolean {
  if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return false;
  if (podIPs(p).length === 0) return false;
  return includeTerminating || !p.metadata.deletionTimestamp;
}

/** Upstream ShouldSetHostname: pod.spec.hostname set and pod.spec.subdomain is the service (same namespace). */
export const shouldSetHostname = (p: Pod, svc: Service): boolean =>
  !!p.spec?.hostname && p.spec.subdomain === svc.metadata.name && p.metadata.namespace === svc.metadata.namespace;

/** A selector-based service this controller family manages: has a non-empty selector and is not ExternalName. */
export const isManagedService = (svc: Service): boolean =>
  svc.spec?.type !== 'ExternalName' && Object.keys(svc.spec?.selector ?? {}).length > 0;

/** Whether `svc` selects `pod` (same namespace, selector matches labels). */
export const serviceSelects = (svc: Service, p: Pod): boolean =>
  svc.metadata.namespace === p.metadata.namespace && isManagedService(svc)
  && selectorFromLabelSelector({ matchLabels: svc.spec!.selector }).matches(p.metadata.labels ?? {});

/** Keys `ns/name` of the services that select `pod` (upstream GetPodServiceMemberships). */
export function podServiceKeys(services: Lister<Service>, p: Pod): string[] {
  return services.list({ namespace: p.metadata.namespace }).filter((s) => serviceSelects(s, p)).map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
}

/**
 * Whether a pod update can change endpoints (upstream podEndpointsChanged): labels,
 * deletionTimestamp, readiness, IPs, phase, nodeName, hostname/subdomain or container ports.
 */
export function podEndpointsChanged(a: Pod, b: Pod): boolean {
  const view = (p: Pod) => JSON.stringify([p.metadata.labels ?? {}, !!p.metadata.deletionTimestamp, isPodReady(p), podIPs(p), p.status?.phase,
    p.spec?.nodeName, p.spec?.hostname, p.spec?.subdomain, (p.spec?.containers ?? []).map((c) => c.ports ?? [])]);
  return view(a) !== view(b);
}

/**
 * Services to resync on a pod update (upstream GetServicesToUpdateOnPodChange): none when
 * nothing endpoint-relevant changed, else those selecting the new or the old pod.
 */
export function servicesForPodUpdate(services: Lister<Service>, old: Pod, cur: Pod): string[] {
  if (old.metadata.resourceVersion === cur.metadata.resourceVersion || !podEndpointsChanged(old, cur)) return [];
  return [...new Set([...podServiceKeys(services, cur), ...podServiceKeys(services, old)])];
}

/** Upstream IsServiceIPSet: clusterIP set and not "None". */
export const isServiceIPSet = (svc: Service): boolean => !!svc.spec?.clusterIP && svc.spec.clusterIP !== 'None';

/** Whether `ip` is an IPv6 address. */
export const isIPv6 = (ip: string): boolean => ip.includes(':');

/** Canonical text of an IP (IPv6 lower-case and compressed, as Go's net.IP String); IPv4 and unparsable text unchanged. */
export function canonicalIP(ip: string): string {
  if (!isIPv6(ip)) return ip;
  try { return new URL(`http://[${ip}]/`).hostname.slice(1, -1); } catch { return ip; }
}
