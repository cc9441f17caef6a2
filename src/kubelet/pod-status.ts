/**
 * Pod status from the runtime's view (upstream pkg/kubelet/kubelet_pods.go
 * generateAPIPodStatus, getPhase, and status/generate.go): container states, restart
 * counts, phase, and the conditions PodReadyToStartContainers, Initialized,
 * ContainersReady, Ready (PodScheduled is kept as the scheduler set it; conditions the
 * kubelet does not own — readiness gates' — are kept as others set them). Ready also
 * needs every `spec.readinessGates` condition True (upstream status/generate.go
 * GeneratePodReadyCondition, reason ReadinessGatesNotReady). `qosClass` per qos.ts.
 */
import type { ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from '../api/core/v1/pod-types.js';
import type { ContainerStatus as CriContainerStatus, PodSandboxStatus } from './cri/types.js';
import { rfc3339 } from '../machinery/time.js';
import { podQosClass } from '../api/core/v1/qos.js';
import { isSidecar } from '../api/core/v1/sidecar.js';

/** Pod condition types the kubelet owns (upstream kubetypes.PodConditionsByKubelet). */
const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

/**
 * Why the readiness gates keep a pod unready: upstream's messages joined by ", "; '' when
 * every gate's condition (looked up in `conditions`) is True.
 */
export function readinessGatesMessage(pod: Pod, conditions: PodCondition[]): string {
  const out: string[] = [];
  for (const g of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) out.push(`corresponding condition of pod readiness gate ${JSON.stringify(g.conditionType)} does not exist.`);
    else if (c.status !== 'True') out.push(`the status of pod readiness gate ${JSON.stringify(g.conditionType)} is not "True", but ${c.status}`);
  }
  return out.join(', ');
}

/** What the kubelet knows about one pod at one moment. */
export interface PodRuntimeView {
  /** Newest first. */
  sandboxes: PodSandboxStatus[];
  /** Container name → CRI statuses, newest attempt first. */
  containers: Map<string, CriContainerStatus[]>;
  /** Container name → why it waits (ErrImagePull, CrashLoopBackOff, CreateContainerConfigError, ...). */
  waiting: Map<string, { reason: string; message?: string }>;
  hostIP: string;
  /** Probe results by container id (undefined: the container has no such probe). */
  probes?: { ready(id: string): boolean | undefined; started(id: string): boolean | undefined };
}

const time = (ns: number): string => rfc3339(new Date(ns / 1e6));

function terminated(s: CriContainerStatus): NonNullable<ContainerState['terminated']> {
  const reason = s.reason && s.reason !== 'Completed' && s.reason !== 'Error' ? s.reason : s.exitCode === 0 ? 'Completed' : 'Error';
  return { exitCode: s.exitCode, reason, ...(s.message ? { message: s.message } : {}), startedAt: s.startedAt ? time(s.startedAt) : undefined, finishedAt: s.finishedAt ? time(s.finishedAt) : undefined, containerID: `containerd://${s.id}` };
}

function stateOf(s: CriContainerStatus): ContainerState {
  if (s.state === 'CONTAINER_RUNNING') return { running: { startedAt: time(s.startedAt) } };
  if (s.state === 'CONTAINER_EXITED') return { terminated: terminated(s) };
  if (s.state === 'CONTAINER_CREATED') return { waiting: { reason: 'ContainerCreating' } };
  return { waiting: { reason: 'ContainerStatusUnknown' } };
}

/** One container's API status. */
function containerStatus(name: string, image: string, list: CriContainerStatus[] | undefined, waiting: { reason: string; message?: string } | undefined, initializing: boolean, probes?: PodRuntimeView['probes']): ContainerStatus {
  const latest = list?.[0];
  const previous = list?.[1];
  const st: ContainerStatus = { name, image, imageID: latest?.imageRef ?? '', ready: false, restartCount: latest ? Number(latest.annotations?.['io.kubernetes.container.restartCount'] ?? latest.metadata.attempt) : 0, started: false };
  if (latest) st.containerID = `containerd://${latest.id}`;
  if (waiting) {
    st.state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
    if (latest?.state === 'CONTAINER_EXITED') st.lastState = { terminated: terminated(latest) };
    else if (previous?.state === 'CONTAINER_EXITED') st.lastState = { terminated: terminated(previous) };
    else st.lastState = {};
    return st;
  }
  if (!latest) { st.state = { waiting: { reason: initializing ? 'PodInitializing' : 'ContainerCreating' } }; st.lastState = {}; return st; }
  st.state = stateOf(latest);
  st.lastState = previous?.state === 'CONTAINER_EXITED' ? { terminated: terminated(previous) } : {};
  const running = latest.state === 'CONTAINER_RUNNING';
  st.started = running && (probes?.started(latest.id) ?? true);
  st.ready = running && st.started && (probes?.ready(latest.id) ?? true);
  return st;
}

/** upstream getPhase. */
export function podPhase(pod: Pod, init: ContainerStatus[], app: ContainerStatus[], initDone: boolean): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (!initDone) {
    const failedInit = init.some((s) => s.state?.terminated && s.state.terminated.exitCode !== 0);
    return failedInit && policy === 'Never' ? 'Failed' : 'Pending';
  }
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const s of app) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) { stopped++; if (s.state.terminated.exitCode === 0) succeeded++; }
    else if (s.state?.waiting) { if (s.lastState?.terminated) { stopped++; if (s.lastState.terminated.exitCode === 0) succeeded++; } else waiting++; }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (policy === 'OnFailure') return stopped === succeeded ? 'Succeeded' : 'Running';
    return stopped === succeeded ? 'Succeeded' : 'Failed';
  }
  return 'Pending';
}

/** Whether any app container of `pod` was ever created: initialization is then over (upstream HasAnyRegularContainerStarted). */
export const appContainersStarted = (pod: Pod, view: Pick<PodRuntimeView, 'containers'>): boolean =>
  (pod.spec?.containers ?? []).some((c) => view.containers.get(c.name)?.length);

/** The full status the kubelet reports for `pod`. */
export function computePodStatus(pod: Pod, view: PodRuntimeView): PodStatus {
  const old = pod.status ?? {};
  const sandbox = view.sandboxes[0];
  const sandboxReady = sandbox?.state === 'SANDBOX_READY';
  const initSpecs = pod.spec?.initContainers ?? [];
  // A sidecar's status is a running container's (started, ready from its probes); a
  // plain init container is ready once it exited 0.
  const init = initSpecs.map((c) => containerStatus(c.name, c.image ?? '', view.containers.get(c.name), view.waiting.get(c.name), false, isSidecar(c) ? view.probes : undefined));
  init.forEach((s, i) => { if (!isSidecar(initSpecs[i])) { s.ready = !!s.state?.terminated && s.state.terminated.exitCode === 0; delete s.started; } });
  const sidecars = init.filter((_, i) => isSidecar(initSpecs[i]));
  // Initialized: every plain init container exited 0 and every sidecar started — or an
  // app container already ran (upstream: initialization is not re-evaluated after).
  const initDone = appContainersStarted(pod, view) || init.every((s, i) => (isSidecar(initSpecs[i]) ? !!s.started : s.state?.terminated?.exitCode === 0));
  const app = (pod.spec?.containers ?? []).map((c) => containerStatus(c.name, c.image ?? '', view.containers.get(c.name), view.waiting.get(c.name), !initDone, view.probes));
  const phase = podPhase(pod, init.filter((_, i) => !isSidecar(initSpecs[i])), app, initDone);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const allReady = app.length > 0 && app.every((s) => s.ready) && sidecars.every((s) => s.ready) && !terminal;
  const t = rfc3339();
  const cond = (type: string, ok: boolean, reason?: string): PodCondition => {
    const prev = (old.conditions ?? []).find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    return { type, status, lastProbeTime: null, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : t, ...(reason && !ok ? { reason } : {}) };
  };
  const notReadyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const foreign = (old.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type ?? ''));
  const gates = allReady ? readinessGatesMessage(pod, foreign) : '';
  const ready = cond('Ready', allReady && !gates, allReady ? 'ReadinessGatesNotReady' : notReadyReason);
  if (gates) ready.message = gates;
  const conditions: PodCondition[] = [
    cond('PodReadyToStartContainers', sandboxReady),
    cond('Initialized', initDone, terminal ? 'PodCompleted' : 'ContainersNotInitialized'),
    ready,
    cond('ContainersReady', allReady, notReadyReason),
    ...(old.conditions ?? []).filter((c) => c.type === 'PodScheduled'),
    ...foreign,
  ];
  const notReady = [...sidecars, ...app].filter((s) => !s.ready).map((s) => s.name);
  for (const c of conditions) if ((c.type === 'Ready' || c.type === 'ContainersReady') && c.status === 'False' && !terminal && !allReady) c.message = `containers with unready status: [${notReady.join(' ')}]`;
  // A host-network pod has the node's address (upstream kubelet_pods.go).
  const podIP = (pod.spec?.hostNetwork ? view.hostIP : sandbox?.network?.ip) || old.podIP;
  const status: PodStatus = {
    ...old,
    phase, conditions, hostIP: view.hostIP, hostIPs: [{ ip: view.hostIP }],
    startTime: old.startTime ?? t,
    containerStatuses: app,
    ...(init.length ? { initContainerStatuses: init } : {}),
    qosClass: podQosClass(pod),
  };
  // Ephemeral containers are never ready and never restarted (upstream convertToAPIContainerStatuses).
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => containerStatus(c.name, c.image ?? '', view.containers.get(c.name), view.waiting.get(c.name), false));
  for (const s of ephemeral) { s.ready = false; delete s.started; }
  if (ephemeral.length) status.ephemeralContainerStatuses = ephemeral;
  if (podIP) { status.podIP = podIP; status.podIPs = [{ ip: podIP }]; }
  return status;
}
