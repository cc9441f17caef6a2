/**
 * Service port → pod port resolution shared by the Endpoints and EndpointSlice
 * controllers (upstream pkg/api/v1/pod FindPort).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Service } from '../../api/core/v1/types.js';

/** One entry of `service.spec.ports`. */
export type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

/**
 * The pod port a service port targets, or undefined when the pod has none:
 * a numeric targetPort is used as is; a named one is looked up among the ports (same
 * name and protocol, protocol defaulting to TCP) of the pod's containers and of its
 * restartable (sidecar) init containers; an unset targetPort means `port`.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const proto = sp.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  }
  return undefined;
}
