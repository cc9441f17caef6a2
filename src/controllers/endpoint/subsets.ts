/**
 * The pure part of the Endpoints controller (upstream pkg/controller/endpoint
 * endpoints_controller.go syncService, and pkg/api/v1/endpoints RepackSubsets):
 * pods → subsets, repacking, truncation to 1000 addresses, and the desired object.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Endpoints, Service } from '../../api/core/v1/types.js';
import { findPort } from '../util/service-ports.js';
import { HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION, isIPv6, isServiceIPSet, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from '../util/endpoints-util.js';
import { formatTriggerTime } from '../util/trigger-time.js';
import { isPodReady } from '../pod-util.js';

/** `{ip, nodeName?, hostname?, targetRef: {kind: 'Pod', namespace, name, uid}}`. */
export interface EndpointAddress { ip: string; nodeName?: string; hostname?: string; targetRef?: { kind: string; namespace?: string; name?: string; uid?: string } }
/** `{name?, port, protocol, appProtocol?}`. */
export interface EndpointPort { name?: string; port: number; protocol?: string; appProtocol?: string }
/** One subset: addresses ready / not ready sharing the same ports. */
export interface EndpointSubset { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] }

/** Most addresses an Endpoints object holds (upstream maxCapacity). */
export const MAX_ENDPOINTS_CAPACITY = 1000;
/** Annotation set when addresses were dropped (v1.EndpointsOverCapacity). */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/**
 * The address of `pod` for `svc` (upstream podToEndpointAddressForService): the pod IP
 * of the service's family (clusterIP's family; for headless, ipFamilies[0], IPv4 when unset).
 */
export function podAddress(svc: Service, pod: Pod): EndpointAddress | undefined {
  const wantV6 = isServiceIPSet(svc) ? isIPv6(svc.spec!.clusterIP!) : svc.spec?.ipFamilies?.[0] === 'IPv6';
  const ip = podIPs(pod).find((x) => isIPv6(x) === wantV6);
  if (!ip) return undefined;
  const a: EndpointAddress = { ip };
  if (pod.spec?.nodeName) a.nodeName = pod.spec.nodeName;
  if (shouldSetHostname(pod, svc)) a.hostname = pod.spec!.hostname;
  a.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  return a;
}

/**
 * The subsets for `svc` over `pods` (already selected): each eligible pod contributes,
 * per service port it resolves, an address ready (pod Ready, or publishNotReadyAddresses)
 * or not ready; headless services without ports get port-less subsets. Terminating
 * pods count only with publishNotReadyAddresses (as upstream). Result is repacked.
 */
export function computeSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const tolerate = !!svc.spec?.publishNotReadyAddresses;
  const raw: EndpointSubset[] = [];
  const add = (pod: Pod, a: EndpointAddress, ports: EndpointPort[] | undefined) =>
    raw.push(tolerate || isPodReady(pod) ? { addresses: [a], ports } : { notReadyAddresses: [a], ports });
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerate)) continue;
    const a = podAddress(svc, pod);
    if (!a) continue;
    const sps = svc.spec?.ports ?? [];
    if (sps.length === 0) { if (svc.spec?.clusterIP === 'None') add(pod, a, undefined); continue; }
    for (const sp of sps) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      add(pod, a, [ep]);
    }
  }
  return repackSubsets(raw);
}

const addrKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort | undefined) => (p ? JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? '']) : '');
const cmpAddr = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? ''));
const cmpPort = (a: EndpointPort, b: EndpointPort) => portKey(a).localeCompare(portKey(b));

/**
 * Upstream RepackSubsets + SortSubsets: one subset per distinct set of addresses
 * (with readiness) sharing the same ports; an address ready for a port wins over not
 * ready; addresses, ports and subsets in a canonical order.
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const ports = new Map<string, EndpointPort | undefined>();
  const addrs = new Map<string, EndpointAddress>();
  const byPort = new Map<string, Map<string, boolean>>(); // port → addrKey → ready
  for (const ss of subsets) {
    for (const p of ss.ports?.length ? ss.ports : [undefined]) {
      const pk = portKey(p); ports.set(pk, p);
      const m = byPort.get(pk) ?? new Map<string, boolean>(); byPort.set(pk, m);
      for (const a of ss.addresses ?? []) { addrs.set(addrKey(a), a); m.set(addrKey(a), true); }
      for (const a of ss.notReadyAddresses ?? []) { addrs.set(addrKey(a), a); if (!m.get(addrKey(a))) m.set(addrKey(a), false); }
    }
  }
  const groups = new Map<string, { set: Map<string, boolean>; ports: string[] }>();
  for (const [pk, set] of byPort) {
    const gk = JSON.stringify([...set].sort(([a], [b]) => a.localeCompare(b)));
    const g = groups.get(gk) ?? { set, ports: [] }; groups.set(gk, g); g.ports.push(pk);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ss: EndpointSubset = {};
    const ready = [...g.set].filter(([, r]) => r).map(([k]) => addrs.get(k)!).sort(cmpAddr);
    const notReady = [...g.set].filter(([, r]) => !r).map(([k]) => addrs.get(k)!).sort(cmpAddr);
    if (ready.length) ss.addresses = ready;
    if (notReady.length) ss.notReadyAddresses = notReady;
    const ps = g.ports.map((k) => ports.get(k)).filter((p): p is EndpointPort => !!p).sort(cmpPort);
    if (ps.length) ss.ports = ps;
    out.push(ss);
  }
  return out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Total addresses, ready and not ready. */
export const countAddresses = (subsets: EndpointSubset[]): number =>
  subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);

/**
 * Upstream truncateEndpoints: over {@link MAX_ENDPOINTS_CAPACITY} addresses, keeps ready
 * ones first — each subset keeping its proportional share (rounded up, bounded by what
 * is left); if ready alone exceed capacity, not-ready ones are all dropped. Returns
 * the (new) subsets and whether it truncated.
 */
export function truncateSubsets(subsets: EndpointSubset[], max = MAX_ENDPOINTS_CAPACITY): { subsets: EndpointSubset[]; truncated: boolean } {
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (ready + notReady <= max) return { subsets, truncated: false };
  const truncateReady = ready > max;
  const budget = truncateReady ? max : max - ready;
  const total = truncateReady ? ready : notReady;
  let left = budget;
  const out = subsets.map((s) => {
    const n = (truncateReady ? s.addresses : s.notReadyAddresses)?.length ?? 0;
    const take = Math.min(Math.ceil((n / total) * budget), left);
    if (truncateReady) {
      const addresses = (s.addresses ?? []).slice(0, take); left -= addresses.length;
      return { ...s, addresses, notReadyAddresses: [] };
    }
    const notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, take); left -= notReadyAddresses.length;
    return { ...s, notReadyAddresses };
  });
  return { subsets: out, truncated: true };
}

/** The labels upstream puts on a service's Endpoints: the service's, plus the headless label when no cluster IP. */
export function endpointsLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = ''; else delete labels[HEADLESS_LABEL];
  return labels;
}

const canonical = (v: unknown) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).filter(([, y]) => y !== undefined).sort(([a], [b]) => a.localeCompare(b))) : x));

/**
 * The Endpoints object to write for `svc` given the `current` one (from the cache), or
 * undefined when nothing needs writing. As upstream, the write is skipped when the
 * subsets, the labels (ignoring the headless label) and the over-capacity annotation
 * already match; otherwise the trigger-time annotation is set (or cleared when
 * `triggerTime` is undefined).
 */
export function desiredEndpoints(svc: Service, pods: Pod[], current: Endpoints | undefined, triggerTime: number | undefined): Endpoints | undefined {
  const { subsets, truncated } = truncateSubsets(computeSubsets(svc, pods));
  if (current?.metadata.resourceVersion) {
    const curLabels = { ...(current.metadata.labels ?? {}) }; delete curLabels[HEADLESS_LABEL];
    const svcLabels = { ...(svc.metadata.labels ?? {}) }; delete svcLabels[HEADLESS_LABEL];
    const capOk = (current.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] === 'truncated') === truncated;
    if (capOk && canonical(current.subsets ?? []) === canonical(subsets) && canonical(curLabels) === canonical(svcLabels)) return undefined;
  }
  const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
  if (triggerTime !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = formatTriggerTime(triggerTime); else delete annotations[TRIGGER_TIME_ANNOTATION];
  if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated'; else delete annotations[OVER_CAPACITY_ANNOTATION];
  const base: Endpoints = current ? structuredClone(current) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace } };
  base.metadata = { ...base.metadata, labels: endpointsLabels(svc), annotations };
  if (Object.keys(annotations).length === 0) delete base.metadata.annotations;
  return { ...base, subsets: subsets as Endpoints['subsets'] };
}
