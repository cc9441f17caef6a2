/**
 * Pod resource arithmetic (upstream pkg/api/v1/resource/helpers.go PodRequests and
 * scheduler/util/pod_resources.go): the effective request of a pod is, per resource,
 * max(sum of app containers and sidecars, max of any init container with the sidecars
 * started before it) plus spec.overhead.
 * Units: cpu in cores, memory and ephemeral-storage in bytes, others as counted.
 */
import type { Container, Pod } from '../../api/core/v1/pod-types.js';
import { isSidecar } from '../../api/core/v1/sidecar.js';
import type { Node } from '../../api/core/v1/types.js';
import { parseQuantity } from '../../machinery/quantity.js';

export type Resources = Record<string, number>;

/** Default requests assumed for scoring a container that requests none (upstream DefaultMilliCPURequest/DefaultMemoryRequest). */
export const DEFAULT_CPU_REQUEST = 0.1;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * Per resource, upstream PodRequests' arithmetic over `each` container's amounts: app
 * containers and sidecars (init containers with restartPolicy Always, KEP-753) add up;
 * each plain init container counts with the sidecars started before it; the pod needs
 * the larger of the two, plus spec.overhead.
 */
function effective(pod: Pod, each: (c: Container) => Resources): Resources {
  const reqs: Resources = {};
  const add = (into: Resources, r: Resources): void => { for (const [k, v] of Object.entries(r)) into[k] = (into[k] ?? 0) + v; };
  for (const c of pod.spec?.containers ?? []) add(reqs, each(c));
  const sidecars: Resources = {};
  const init: Resources = {};
  for (const c of pod.spec?.initContainers ?? []) {
    let r = each(c);
    if (isSidecar(c)) { add(reqs, r); add(sidecars, r); r = sidecars; } else { const tmp = { ...r }; add(tmp, sidecars); r = tmp; }
    for (const [k, v] of Object.entries(r)) init[k] = Math.max(init[k] ?? 0, v);
  }
  for (const [k, v] of Object.entries(init)) reqs[k] = Math.max(reqs[k] ?? 0, v);
  return reqs;
}

// Memos by pod object: informer objects are replaced, never changed in place, so one
// parse per pod version serves every node and every cycle.
const requestsMemo = new WeakMap<Pod, Resources>();
const nonZeroMemo = new WeakMap<Pod, { cpu: number; memory: number }>();

/** The pod's effective requests (see module doc and `effective`). Do not mutate the result. */
export function podRequests(pod: Pod): Resources {
  let r = requestsMemo.get(pod);
  if (!r) { r = computePodRequests(pod); requestsMemo.set(pod, r); }
  return r;
}

function computePodRequests(pod: Pod): Resources {
  const sum = effective(pod, (c) => Object.fromEntries(Object.entries(c.resources?.requests ?? {}).map(([k, v]) => [k, parseQuantity(v)])));
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) sum[k] = (sum[k] ?? 0) + parseQuantity(v);
  return sum;
}

/** cpu and memory requests for scoring: containers without a request count the defaults (upstream GetNonzeroRequests). Do not mutate the result. */
export function nonZeroRequests(pod: Pod): { cpu: number; memory: number } {
  let r = nonZeroMemo.get(pod);
  if (!r) { r = computeNonZeroRequests(pod); nonZeroMemo.set(pod, r); }
  return r;
}

function computeNonZeroRequests(pod: Pod): { cpu: number; memory: number } {
  const r = effective(pod, (c) => {
    const q = c.resources?.requests ?? {};
    return { cpu: q.cpu !== undefined ? parseQuantity(q.cpu) : DEFAULT_CPU_REQUEST, memory: q.memory !== undefined ? parseQuantity(q.memory) : DEFAULT_MEMORY_REQUEST };
  });
  let cpu = r.cpu ?? 0;
  let memory = r.memory ?? 0;
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
