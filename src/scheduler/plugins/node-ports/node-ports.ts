/**
 * NodePorts (upstream plugins/nodeports): a pod asking for a hostPort fits only nodes
 * where no other pod uses the same (protocol, hostIP, hostPort); hostIP 0.0.0.0 or
 * empty conflicts with every address.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import { skip, success, unschedulable, type FilterPlugin, type PreFilterPlugin } from '../../framework/interface.js';

export const NODE_PORTS = 'NodePorts';
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

interface HostPort { protocol: string; ip: string; port: number }

/** The host ports a pod's containers ask for. */
export function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push({ protocol: p.protocol || 'TCP', ip: p.hostIP || '0.0.0.0', port: p.hostPort });
    }
  }
  return out;
}

const conflicts = (a: HostPort, b: HostPort): boolean =>
  a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');

/** Factory of the NodePorts plugin (PreFilter skips pods without host ports; Filter). */
export const nodePorts = (): PreFilterPlugin & FilterPlugin => ({
  name: NODE_PORTS,
  preFilter: (_state, pod) => (hostPorts(pod).length ? success() : skip()),
  filter(_state, pod, n) {
    const want = hostPorts(pod);
    const used = n.pods.flatMap(hostPorts);
    return want.some((w) => used.some((u) => conflicts(w, u))) ? unschedulable(ERR_REASON_NODE_PORTS) : success();
  },
});
