/**
 * Pods: NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES, with
 * STATUS computed as upstream's printPod (Completed, Error, CrashLoopBackOff,
 * ContainerCreating, Init:x/y, Terminating, ...).
 */
import type { Pod } from '../core/v1/pod-types.js';
import { isSidecar } from '../core/v1/sidecar.js';
import { age, col, humanDuration, type TablePrinter } from './table.js';

/** The STATUS column and counts of a pod. */
export function podStatusSummary(pod: Pod, now: number): { ready: string; reason: string; restarts: string } {
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  let reason = st.reason || st.phase || 'Unknown';
  if ((st.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';
  let restarts = 0;
  let lastRestart = 0;
  // Sidecars (init containers with restartPolicy Always) count in READY and RESTARTS
  // once started, as upstream's printPod does since v1.29.
  const sidecars = new Set((spec.initContainers ?? []).filter(isSidecar).map((c) => c.name));
  const total = (spec.containers ?? []).length + sidecars.size;
  let ready = 0;
  let sidecarRestarts = 0;
  let sidecarLastRestart = 0;
  let initializing = false;
  const inits = st.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += c.restartCount ?? 0;
    const t = c.lastState?.terminated?.finishedAt ? Date.parse(c.lastState.terminated.finishedAt) : 0;
    lastRestart = Math.max(lastRestart, t);
    if (sidecars.has(c.name ?? '')) { sidecarRestarts += c.restartCount ?? 0; sidecarLastRestart = Math.max(sidecarLastRestart, t); }
    if (c.state?.terminated && c.state.terminated.exitCode === 0) continue;
    if (sidecars.has(c.name ?? '') && c.started) { if (c.ready) ready++; continue; }
    if (c.state?.terminated) {
      reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : c.state.terminated.signal ? `Init:Signal:${c.state.terminated.signal}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }
  const initialized = (st.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = sidecarLastRestart;
    let hasRunning = false;
    for (const c of [...(st.containerStatuses ?? [])].reverse()) {
      restarts += c.restartCount ?? 0;
      const t = c.lastState?.terminated?.finishedAt;
      if (t) lastRestart = Math.max(lastRestart, Date.parse(t));
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) { hasRunning = true; ready++; }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = (st.conditions ?? []).find((c) => c.type === 'Ready');
      reason = readyCond?.status === 'True' ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !isTerminal(st.phase)) reason = 'Terminating';
  let restartsText = String(restarts);
  if (lastRestart > 0 && restarts > 0) restartsText = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  return { ready: `${ready}/${total}`, reason, restarts: restartsText };
}

const isTerminal = (phase: string | undefined): boolean => phase === 'Succeeded' || phase === 'Failed';

export const podPrinter: TablePrinter = {
  columns: [
    col('Name', 'string', 0, 'name'), col('Ready', 'string', 0, '', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 0, '', 'The aggregate status of the containers in this pod.'), col('Restarts', 'string', 0, '', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    col('Age', 'string'), col('IP', 'string', 1, '', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    col('Node', 'string', 1, '', 'Name of the node this pod is assigned to.'), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1),
  ],
  cells(obj, now) {
    const pod = obj as Pod;
    const s = podStatusSummary(pod, now);
    const gates = pod.spec?.readinessGates ?? [];
    const gateText = gates.length
      ? `${gates.filter((g) => (pod.status?.conditions ?? []).some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`
      : '<none>';
    return [pod.metadata.name, s.ready, s.reason, s.restarts, age(pod, now), pod.status?.podIP || '<none>', pod.spec?.nodeName || '<none>', pod.status?.nominatedNodeName || '<none>', gateText];
  },
};
