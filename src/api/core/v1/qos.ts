/**
 * Pod QoS class, set by the apiserver on create and by the kubelet in status
 * (upstream pkg/apis/core/v1/helper/qos ComputePodQOS, v1.32 without
 * pod-level resources): only `cpu` and `memory` count, over app and init containers.
 * - BestEffort: no container requests or limits any cpu/memory (zero quantities ignored);
 * - Guaranteed: every container limits both cpu and memory, and the summed requests
 *   equal the summed limits for each of them;
 * - Burstable: anything else.
 * A limit without a request counts as that request (the API server's defaulting, which
 * k8ts applies here since a stored pod may lack it).
 */
import type { Pod } from './pod-types.js';
import { parseQuantity } from '../../../machinery/quantity.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'];

export function podQosClass(pod: Pod): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const add = (m: Map<string, number>, k: string, v: number): void => { m.set(k, (m.get(k) ?? 0) + v); };
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const lim = c.resources?.limits ?? {};
    const req = { ...lim, ...(c.resources?.requests ?? {}) };
    for (const r of QOS_RESOURCES) {
      if (req[r] !== undefined && parseQuantity(req[r]) > 0) add(requests, r, parseQuantity(req[r]));
    }
    const found = new Set<string>();
    for (const r of QOS_RESOURCES) {
      if (lim[r] !== undefined && parseQuantity(lim[r]) > 0) { found.add(r); add(limits, r, parseQuantity(lim[r])); }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) for (const [r, v] of requests) if (limits.get(r) === undefined || Math.abs(limits.get(r)! - v) > 1e-9) { guaranteed = false; break; }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
