/**
 * ClusterIP and NodePort allocation of a new Service (upstream
 * pkg/registry/core/service/ipallocator and portallocator, with the static/dynamic bands
 * of KEP-3070 and KEP-3668):
 * - a range is split into a lower band, kept for addresses and ports users ask for, and
 *   an upper band, from which dynamic values are drawn at random; when the upper band is
 *   full, the lower band is used;
 * - ClusterIPs: the service CIDR without its network and broadcast addresses; the first
 *   address (10.96.0.1) is the `kubernetes` Service's; lower band min(max(16, size/16), 256);
 * - NodePorts: 30000–32767; lower band min(max(16, size/32), 128); every port of a
 *   NodePort or LoadBalancer Service (unless `allocateLoadBalancerNodePorts: false`) gets one.
 * What is taken is derived from the stored Services (upstream's repair loop keeps its
 * bitmap the same way), plus the values claimed by creates in progress (the ledger,
 * machinery/allocation-ledger.ts, released when the create is over), so concurrent
 * creates never get the same one — in one API server or across several on one datastore.
 */
import { invalidValue, type FieldError } from '../../../machinery/field-errors.js';
import { invalid } from '../../../machinery/errors.js';
import { intToIp, ipToInt, parseCIDR } from '../../../machinery/cidr.js';
import type { Service } from './types.js';
import type { AllocationLedger } from '../../../machinery/allocation-ledger.js';

/** Size of the lower (static) band of a range of `size` values. */
export const staticBand = (size: number, min: number, max: number, divisor: number): number => Math.min(Math.max(min, Math.floor(size / divisor)), max);

/**
 * A free value of [first, first + size) not in `taken`: random in the upper band
 * [first + offset, first + size), else random in the lower band; undefined when full.
 */
export function pickFree(first: number, size: number, offset: number, taken: Set<number>, random: () => number = Math.random): number | undefined {
  const scan = (from: number, count: number): number | undefined => {
    if (count <= 0) return undefined;
    const start = Math.floor(random() * count);
    for (let i = 0; i < count; i++) {
      const v = from + ((start + i) % count);
      if (!taken.has(v)) return v;
    }
    return undefined;
  };
  return scan(first + offset, size - offset) ?? scan(first, offset);
}

/** Who holds a Service's values in the ledger while it is being created. */
export const serviceOwner = (svc: Service): string => `services/${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;

/** The NodePort range (upstream --service-node-port-range default). */
export const NODE_PORT_RANGE = { first: 30000, size: 2768 };

/**
 * Sets spec.clusterIP/clusterIPs (none for ExternalName, `None` kept for headless) and
 * the nodePorts of `svc`. `listServices` gives every stored Service (a consistent read).
 * Each value is claimed in the ledger (shared by every apiserver of the datastore), then
 * checked against a second list: a value another apiserver stored meanwhile is given back
 * and another one drawn (at most 5 rounds). Throws StatusError 422 when a requested IP
 * or port is outside its range or taken, or a range is full.
 */
export async function allocateServiceAddresses(svc: Service, serviceCIDR: string, listServices: () => Promise<Service[]>, ledger: AllocationLedger, random: () => number = Math.random): Promise<void> {
  const owner = serviceOwner(svc);
  const spec = (svc.spec ??= {});
  const needsIP = spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
  const needsPorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (spec.type === 'ExternalName') { delete spec.clusterIP; return; }
  if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  if (!needsIP && !needsPorts) return;
  const requestedIP = spec.clusterIP;
  const requestedPorts = (spec.ports ?? []).map((p) => p.nodePort);
  for (let round = 1; ; round++) {
    const claimed = await allocateOnce(svc, serviceCIDR, await listServices(), ledger, owner, needsIP, needsPorts, random);
    const stored = await listServices();
    const ipRange = `ip:${serviceCIDR}`;
    const lost = claimed.filter(([range, v]) => stored.some((s) => (range === ipRange ? s.spec?.clusterIP === intToIp(v) : (s.spec?.ports ?? []).some((p) => p.nodePort === v))));
    if (!lost.length) return;
    for (const [range, v] of claimed) await ledger.unclaim(range, v, owner);
    spec.clusterIP = requestedIP;
    (spec.ports ?? []).forEach((p, i) => { p.nodePort = requestedPorts[i]; });
    if (round === 5) throw invalid('', 'Service', svc.metadata.name ?? '', [invalidValue('spec.clusterIPs', [], 'failed to allocate: values taken concurrently by other API servers, try again')]);
  }
}

/** One round of allocation against `services`; returns the [range, value] pairs it claimed. Throws 422 (claims given back) as allocateServiceAddresses. */
async function allocateOnce(svc: Service, serviceCIDR: string, services: Service[], ledger: AllocationLedger, owner: string, needsIP: boolean, needsPorts: boolean, random: () => number): Promise<Array<[string, number]>> {
  const spec = svc.spec!;
  const claimed: Array<[string, number]> = [];
  const errs: FieldError[] = [];
  /** Claims a free value of the range, drawing again while others hold the ones drawn; undefined when full. */
  const claimFree = async (range: string, first: number, size: number, offset: number, taken: Set<number>): Promise<number | undefined> => {
    for (;;) {
      const v = pickFree(first, size, offset, taken, random);
      if (v === undefined) return undefined;
      taken.add(v);
      if (await ledger.claim(range, v, owner)) { claimed.push([range, v]); return v; }
    }
  };
  if (needsIP) {
    const range = parseCIDR(serviceCIDR);
    const first = range.base + 1;
    const size = range.size - 2;
    const rangeKey = `ip:${serviceCIDR}`;
    const taken = ledger.held(rangeKey);
    for (const s of services) if (s.spec?.clusterIP && /^\d+\.\d+\.\d+\.\d+$/.test(s.spec.clusterIP)) taken.add(ipToInt(s.spec.clusterIP));
    if (spec.clusterIP) {
      const ip = spec.clusterIP;
      const v = /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? ipToInt(ip) : NaN;
      if (!(v >= first && v < first + size)) errs.push(invalidValue('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${serviceCIDR}`));
      else if (taken.has(v) || !(await ledger.claim(rangeKey, v, owner))) errs.push(invalidValue('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`));
      else claimed.push([rangeKey, v]);
    } else {
      // The first address is the `kubernetes` Service's, never handed out dynamically.
      taken.add(first);
      const v = await claimFree(rangeKey, first, size, staticBand(size, 16, 256, 16), taken);
      if (v === undefined) errs.push(invalidValue('spec.clusterIPs', [], 'failed to allocate a serviceIP: range is full'));
      else spec.clusterIP = intToIp(v);
    }
    if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  }
  if (needsPorts && !errs.length) {
    const { first, size } = NODE_PORT_RANGE;
    const taken = ledger.held('nodeport');
    for (const s of services) for (const p of s.spec?.ports ?? []) if (p.nodePort) taken.add(p.nodePort);
    const ports = spec.ports ?? [];
    // Requested ports first, so that a dynamic one never takes a port asked for later in the list.
    for (const [i, p] of ports.entries()) {
      if (!p.nodePort) continue;
      const sharedWithEarlier = ports.slice(0, i).some((q) => q.nodePort === p.nodePort && q.protocol !== p.protocol);
      if (sharedWithEarlier) continue;
      if (taken.has(p.nodePort) || !(await ledger.claim('nodeport', p.nodePort, owner))) errs.push(invalidValue(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
      else { taken.add(p.nodePort); claimed.push(['nodeport', p.nodePort]); }
    }
    for (const [i, p] of ports.entries()) {
      if (p.nodePort) continue;
      const v = await claimFree('nodeport', first, size, staticBand(size, 16, 128, 32), taken);
      if (v === undefined) { errs.push(invalidValue(`spec.ports[${i}].nodePort`, p.nodePort ?? null, 'failed to allocate a nodePort: range is full')); break; }
      p.nodePort = v;
    }
  }
  if (errs.length) {
    for (const [range, v] of claimed) await ledger.unclaim(range, v, owner);
    throw invalid('', 'Service', svc.metadata.name ?? '', errs);
  }
  return claimed;
}
