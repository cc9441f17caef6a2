/**
 * NodeResourcesFit (upstream plugins/noderesources/fit.go): the pod's requests
 * (max of init containers vs sum of app containers, plus overhead) must fit the node's
 * allocatable minus the requests of its pods; also the pod count. Scores by
 * least-allocated.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { parseQuantity } from '../../machinery/quantity.js';
import { success, unschedulable, type FilterPlugin, type NodeInfo, type ScorePlugin } from '../framework/interface.js';

/** Effective requests of a pod: {cpu (cores), memory (bytes), ...}. */
export function podRequests(pod: Pod): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of pod.spec?.containers ?? []) for (const [k, v] of Object.entries(c.resources?.requests ?? {})) sum[k] = (sum[k] ?? 0) + parseQuantity(v);
  for (const c of pod.spec?.initContainers ?? []) for (const [k, v] of Object.entries(c.resources?.requests ?? {})) sum[k] = Math.max(sum[k] ?? 0, parseQuantity(v));
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) sum[k] = (sum[k] ?? 0) + parseQuantity(v);
  return sum;
}

const terminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

function used(n: NodeInfo): Record<string, number> {
  const u: Record<string, number> = {};
  for (const p of n.pods) if (!terminal(p)) for (const [k, v] of Object.entries(podRequests(p))) u[k] = (u[k] ?? 0) + v;
  return u;
}

export const nodeResourcesFit = (): FilterPlugin & ScorePlugin => ({
  name: 'NodeResourcesFit',
  filter(pod, n) {
    const alloc = n.node.status?.allocatable ?? {};
    const active = n.pods.filter((p) => !terminal(p)).length;
    if (alloc.pods !== undefined && active + 1 > parseQuantity(alloc.pods)) return unschedulable('Too many pods');
    const req = podRequests(pod);
    const u = used(n);
    const reasons: string[] = [];
    for (const [k, v] of Object.entries(req)) {
      if (v <= 0) continue;
      const a = alloc[k] !== undefined ? parseQuantity(alloc[k]) : 0;
      if ((u[k] ?? 0) + v > a + 1e-9) reasons.push(`Insufficient ${k}`);
    }
    return reasons.length ? { code: 'Unschedulable', reasons } : success();
  },
  score(pod, n) {
    const alloc = n.node.status?.allocatable ?? {};
    const u = used(n);
    const req = podRequests(pod);
    const frac = (k: string, dflt: number) => {
      const a = alloc[k] !== undefined ? parseQuantity(alloc[k]) : 0;
      return a > 0 ? Math.max(0, (a - (u[k] ?? 0) - (req[k] ?? dflt)) / a) : 0;
    };
    return Math.round(((frac('cpu', 0.1) + frac('memory', 200 * 2 ** 20)) / 2) * 100);
  },
});
