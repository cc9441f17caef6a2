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
 * bitmap the same way), plus the values held by creates in progress (the ledger, released
 * when the create is over), so concurrent creates in one API server never get the same one.
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
 * the nodePorts of `svc`. `listServices` gives every stored Service. Throws StatusError
 * 422 when a requested IP or port is outside its range or taken, or a range is full.
 */
export async function allocateServiceAddresses(svc: Service, serviceCIDR: string, listServices: () => Promise<Service[]>, ledger: AllocationLedger, random: () => number = Math.random): Promise<void> {
  const owner = serviceOwner(svc);
  const spec = (svc.spec ??= {});
  const name = svc.metadata.name ?? '';
  const needsIP = spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
  const needsPorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (spec.type === 'ExternalName') { delete spec.clusterIP; return; }
  if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  if (!needsIP && !needsPorts) return;
  const services = await listServices();
  const errs: FieldError[] = [];
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
      else if (taken.has(v)) errs.push(invalidValue('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`));
      else ledger.hold(rangeKey, v, owner);
    } else {
      // The first address is the `kubernetes` Service's, never handed out dynamically.
      taken.add(first);
      const v = pickFree(first, size, staticBand(size, 16, 256, 16), taken, random);
      if (v === undefined) errs.push(invalidValue('spec.clusterIPs', [], 'failed to allocate a serviceIP: range is full'));
      else { ledger.hold(rangeKey, v, owner); spec.clusterIP = intToIp(v); }
    }
    if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  }
  if (needsPorts && !errs.length) {
    const { first, size } = NODE_PORT_RANGE;
    const taken = ledger.held('nodeport');
    for (const s of services) for (const p of s.spec?.ports ?? []) if (p.nodePort) taken.add(p.nodePort);
    const ports = spec.ports ?? [];
    // Requested ports first, so that a dynamic one never takes a port asked for later in the list.
    ports.forEach((p, i) => {
      if (!p.nodePort) return;
      if (taken.has(p.nodePort) && !ports.slice(0, i).some((q) => q.nodePort === p.nodePort && q.protocol !== p.protocol)) errs.push(invalidValue(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
      else { taken.add(p.nodePort); ledger.hold('nodeport', p.nodePort, owner); }
    });
    ports.forEach((p, i) => {
      if (p.nodePort) return;
      const v = pickFree(first, size, staticBand(size, 16, 128, 32), taken, random);
      if (v === undefined) { errs.push(invalidValue(`spec.ports[${i}].nodePort`, p.nodePort ?? null, 'failed to allocate a nodePort: range is full')); return; }
      taken.add(v); ledger.hold('nodeport', v, owner); p.nodePort = v;
    });
  }
  if (errs.length) throw invalid('', 'Service', name, errs);
}
