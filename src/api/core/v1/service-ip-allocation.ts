/**
 * ClusterIP allocation of a new Service (upstream pkg/registry/core/service/ipallocator):
 * the used set is derived from the stored Services; 10.96.0.1 — the first address of the
 * range — is reserved for the `kubernetes` Service, the broadcast address is never used.
 * Single-stack IPv4: ipFamilies [IPv4], ipFamilyPolicy SingleStack.
 */
import { invalidValue } from '../../../machinery/field-errors.js';
import { invalid } from '../../../machinery/errors.js';
import { intToIp, ipToInt, parseCIDR } from '../../../machinery/cidr.js';
import type { Service } from './types.js';

/**
 * Sets spec.clusterIP/clusterIPs of `svc` (none for ExternalName, `None` kept for
 * headless); `listServices` gives every stored Service. Throws StatusError 422 when a requested IP is outside the range or taken,
 * or when the range is full.
 */
export async function allocateClusterIP(svc: Service, serviceCIDR: string, listServices: () => Promise<Service[]>): Promise<void> {
  const spec = (svc.spec ??= {});
  if (spec.type === 'ExternalName') { delete spec.clusterIP; return; }
  const name = svc.metadata.name ?? '';
  const range = parseCIDR(serviceCIDR);
  const inRange = (ip: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(ip) && ipToInt(ip) > range.base && ipToInt(ip) < range.base + range.size - 1;
  const fail = (value: unknown, detail: string) => invalid('', 'Service', name, [invalidValue('spec.clusterIPs', value, detail)]);
  if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
  else {
    const used = new Set((await listServices()).map((s) => s.spec?.clusterIP).filter(Boolean) as string[]);
    if (spec.clusterIP) {
      if (!inRange(spec.clusterIP)) throw fail([spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${serviceCIDR}`);
      if (used.has(spec.clusterIP)) throw fail([spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`);
    } else {
      let ip: string | undefined;
      for (let i = 2; i < range.size - 1; i++) { const c = intToIp(range.base + i); if (!used.has(c)) { ip = c; break; } }
      if (!ip) throw fail([], 'failed to allocate a serviceIP: range is full');
      spec.clusterIP = ip;
    }
    spec.clusterIPs = [spec.clusterIP];
  }
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
}
