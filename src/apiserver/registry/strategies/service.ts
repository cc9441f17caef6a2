/**
 * Service strategy (upstream pkg/registry/core/service): ClusterIP allocation from the
 * service CIDR (upstream's ipallocator; here the used set is derived from the stored
 * Services, and 10.96.0.1 — the first address — is reserved for `kubernetes`), and the
 * single-stack IPv4 family fields.
 */
import type { KubeObject } from '../../../api/object.js';
import type { Service } from '../../../api/core/v1/types.js';
import { findKind } from '../../../api/kinds.js';
import { invalidValue } from '../../../machinery/field-errors.js';
import { invalid } from '../../../machinery/errors.js';
import { defaultStrategy, type Strategy } from '../strategy.js';
import { intToIp, ipToInt, parseCIDR } from '../../../machinery/cidr.js';

export function serviceStrategy(serviceCIDR: string, listServices: () => Promise<KubeObject[]>): Strategy {
  const range = parseCIDR(serviceCIDR);
  const inRange = (ip: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(ip) && ipToInt(ip) > range.base && ipToInt(ip) < range.base + range.size - 1;
  return defaultStrategy(findKind('', 'services')!, {
    prepareForCreate(obj) { (obj as Service).status = { loadBalancer: {} }; },
    prepareForUpdate(obj, old) {
      const svc = obj as Service;
      const prev = old as Service;
      svc.status = prev.status;
      svc.spec ??= {};
      if (!svc.spec.clusterIP && prev.spec?.clusterIP) { svc.spec.clusterIP = prev.spec.clusterIP; svc.spec.clusterIPs = prev.spec.clusterIPs; }
      svc.spec.ipFamilies ??= prev.spec?.ipFamilies;
      svc.spec.ipFamilyPolicy ??= prev.spec?.ipFamilyPolicy;
    },
    async beforeCreate(obj) {
      const svc = obj as Service;
      const spec = (svc.spec ??= {});
      if (spec.type === 'ExternalName') { delete spec.clusterIP; return; }
      const name = svc.metadata.name ?? '';
      if (spec.clusterIP === 'None') { spec.clusterIPs = ['None']; }
      else {
        const used = new Set((await listServices()).map((s) => (s as Service).spec?.clusterIP).filter(Boolean) as string[]);
        if (spec.clusterIP) {
          if (!inRange(spec.clusterIP)) throw invalid('', 'Service', name, [invalidValue('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${serviceCIDR}`)]);
          if (used.has(spec.clusterIP)) throw invalid('', 'Service', name, [invalidValue('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`)]);
        } else {
          // Skip the first address (reserved for the `kubernetes` Service) and the broadcast one.
          let ip: string | undefined;
          for (let i = 2; i < range.size - 1; i++) { const c = intToIp(range.base + i); if (!used.has(c)) { ip = c; break; } }
          if (!ip) throw invalid('', 'Service', name, [invalidValue('spec.clusterIPs', [], 'failed to allocate a serviceIP: range is full')]);
          spec.clusterIP = ip;
        }
        spec.clusterIPs = [spec.clusterIP];
      }
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
    },
  });
}
