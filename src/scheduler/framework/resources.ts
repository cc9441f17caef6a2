/**
 * Pod resource arithmetic (upstream pkg/api/v1/resource/helpers.go PodRequests and
 * scheduler/util/pod_resources.go): the effective request of a pod is, per resource,
 * max(sum of app containers, max of any init container) plus spec.overhead.
 * Units: cpu in cores, memory and ephemeral-storage in bytes, others as counted.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { parseQuantity } from '../../machinery/quantity.js';

export type Resources = Record<string, number>;

/** Default requests assumed for scoring a container that requests none (upstream DefaultMilliCPURequest/DefaultMemoryRequest). */
export const DEFAULT_CPU_REQUEST = 0.1;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** The pod's effective requests (see module doc). */
export function podRequests(pod: Pod): Resources {
  const sum: Resources = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.requests ?? {})) sum[k] = (sum[k] ?? 0) + parseQuantity(v);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.requests ?? {})) sum[k] = Math.max(sum[k] ?? 0, parseQuantity(v));
  }
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) sum[k] = (sum[k] ?? 0) + parseQuantity(v);
  return sum;
}

/** cpu and memory requests for scoring: containers without a request count the defaults (upstream GetNonzeroRequests). */
export function nonZeroRequests(pod: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec?.containers ?? []) {
    const r = c.resources?.requests ?? {};
    cpu += r.cpu !== undefined ? parseQuantity(r.cpu) : DEFAULT_CPU_REQUEST;
    memory += r.memory !== undefined ? parseQuantity(r.memory) : DEFAULT_MEMORY_REQUEST;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = c.resources?.requests ?? {};
    cpu = Math.max(cpu, r.cpu !== undefined ? parseQuantity(r.cpu) : DEFAULT_CPU_REQUEST);
    memory = Math.max(memory, r.memory !== undefined ? parseQuantity(r.memory) : DEFAULT_MEMORY_REQUEST);
  }
  const o = pod.spec?.overhead ?? {};
  if (o.cpu !== undefined) cpu += parseQuantity(o.cpu);
  if (o.memory !== undefined) memory += parseQuantity(o.memory);
  return { cpu, memory };
}

/** node.status.allocatable parsed (falls back to capacity per resource). */
export function allocatable(node: Node): Resources {
  const out: Resources = {};
  for (const [k, v] of Object.entries(node.status?.capacity ?? {})) out[k] = parseQuantity(v);
  for (const [k, v] of Object.entries(node.status?.allocatable ?? {})) out[k] = parseQuantity(v);
  return out;
}
