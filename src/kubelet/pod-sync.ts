/**
 * Syncs one pod with the runtime (upstream pkg/kubelet/kuberuntime/kuberuntime_manager.go
 * SyncPod and KillPod): sandbox, image, init containers in order, app containers,
 * restarts with CrashLoopBackOff, graceful termination, and the status the API shows.
 * Idempotent: existing sandboxes and containers found by their labels are adopted.
 */
import { hostDnsConfig, podDnsConfig, type DnsConfig } from './dns-config.js';
import { mkdirSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Container, EphemeralContainer, Pod, PodStatus } from '../api/core/v1/pod-types.js';
import { rfc3339 } from '../machinery/time.js';
import { isNotFound } from '../machinery/errors.js';
import { stableJson } from '../machinery/stable-json.js';
import { milliValue, parseQuantity } from '../machinery/quantity.js';
import { resources, type Client } from '../client/interface.js';
import type { EventRecorder } from '../client/events.js';
import type { CriClient } from './cri/cri-client.js';
import type { ContainerStatus as CriContainerStatus, PodSandboxConfig, PodSandboxStatus } from './cri/types.js';
import { CONTAINER_NAME, POD_NAME, POD_NAMESPACE, POD_UID, RESTART_COUNT } from './labels.js';
import { ConfigError, containerEnv, expandAll, SourceCache } from './env.js';
import { containerSecurityContext, needsImageUser } from './security-context.js';
import { MountError } from './volumes.js';
import { terminationLogFile, terminationMessage, TERMINATION_MESSAGE_PATH, TERMINATION_MESSAGE_POLICY } from './termination-message.js';
import { containerMounts, prepareVolumes, removePodDir } from './volumes.js';
import { appContainersStarted, computePodStatus, type PodRuntimeView } from './pod-status.js';
import type { ProbeManager } from './prober.js';
import type { Allocatable } from './resource-field.js';
import { ensureHostsFile } from './etc-hosts.js';
import { machineCapacity } from './node-status.js';
import { runPostStart, runPreStop } from './lifecycle-hooks.js';
import { emptyDirLimitExceeded } from './emptydir-limit.js';
import { isSidecar } from '../api/core/v1/sidecar.js';
import { Backoff } from './backoff.js';
import { TokenManager } from './token-manager.js';

export interface PodSyncContext {
  client: Client;
  cri: CriClient;
  recorder: EventRecorder;
  nodeName: string;
  nodeIP: string;
  /** Kubelet root: pods/<uid> (volumes), logs/<ns>_<name>_<uid> (container logs). */
  rootDir: string;
  clusterDNS: string;
  clusterDomain: string;
  kubernetesService?: { host: string; port: number };
  prober?: ProbeManager;
  /** Node allocatable (resourceFieldRef defaults, Memory emptyDir size); default: the machine's capacity. */
  allocatable?: Allocatable;
  /** Clock for the back-offs (ms since the epoch); default Date.now. */
  now?: () => number;
}

const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

/** Result of a sync: when to look again (ms), if sooner than the periodic resync. */
export interface SyncResult { requeueAfterMs?: number }

export class PodSyncer {
  /** Container key (uid/name) → images pulled or confirmed present during this kubelet's life. */
  private readonly pulled = new Set<string>();
  /**
   * Crash-loop back-off per container (`uid/name/spec hash`, upstream getStableKey): 10 s
   * doubling to 5 min, counted from the last exit; forgotten after 10 min without a restart.
   */
  readonly crashBackOff: Backoff;
  /** Image-pull back-off per `uid/image` (upstream image manager's), same steps as {@link crashBackOff}. */
  readonly imageBackOff: Backoff;
  /** Bound ServiceAccount tokens of projected volumes, per pod. */
  private readonly tokens: TokenManager;
  private readonly now: () => number;
  /** Ended container attempt (uid/name/attempt) → its termination message, read once. */
  private readonly terminationMessages = new Map<string, string>();
  /** The node's resolv.conf, read once (pods with dnsPolicy Default get it). */
  private hostDns?: DnsConfig;
  private readonly allocatable: Allocatable;
  /** Uids this kubelet evicted → the message: terminal even before the informer shows phase Failed. */
  private readonly evicted = new Map<string, string>();
  constructor(private readonly ctx: PodSyncContext) {
    this.allocatable = ctx.allocatable ?? machineCapacity(ctx.rootDir);
    this.now = ctx.now ?? Date.now;
    this.crashBackOff = new Backoff(BACKOFF_BASE_MS, BACKOFF_MAX_MS, this.now);
    this.imageBackOff = new Backoff(BACKOFF_BASE_MS, BACKOFF_MAX_MS, this.now);
    this.tokens = new TokenManager(ctx.client, this.now);
  }

  logDir(pod: Pod): string { return join(this.ctx.rootDir, 'logs', `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`); }
  podDir(uid: string): string { return join(this.ctx.rootDir, 'pods', uid); }

  /** The runtime's view of one pod uid. */
  async view(uid: string): Promise<PodRuntimeView> {
    const { cri } = this.ctx;
    const sbs = await cri.listPodSandbox({ labelSelector: { [POD_UID]: uid } });
    const sandboxes: PodSandboxStatus[] = [];
    for (const sb of sbs.sort((a, b) => b.createdAt - a.createdAt)) sandboxes.push(await cri.podSandboxStatus(sb.id).catch(() => sb as PodSandboxStatus));
    const containers = new Map<string, CriContainerStatus[]>();
    for (const c of await cri.listContainers({ labelSelector: { [POD_UID]: uid } })) {
      const st = await cri.containerStatus(c.id).catch(() => undefined);
      if (!st) continue;
      if (st.state === 'CONTAINER_EXITED' && !st.message) {
        // An ended container's message never changes: read its file (or log) once.
        const key = `${uid}/${st.metadata.name}/${st.metadata.attempt}`;
        let message = this.terminationMessages.get(key);
        if (message === undefined) this.terminationMessages.set(key, (message = terminationMessage(this.podDir(uid), st)));
        st.message = message;
      }
      const name = c.labels[CONTAINER_NAME];
      containers.set(name, [...(containers.get(name) ?? []), st]);
    }
    for (const list of containers.values()) list.sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
    return { sandboxes, containers, waiting: new Map(), hostIP: this.ctx.nodeIP };
  }

  private sandboxConfig(pod: Pod, attempt: number): PodSandboxConfig {
    const ns = pod.metadata.namespace!;
    const hostPorts = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []).filter((p) => p.hostPort);
    const hostNetwork = !!pod.spec?.hostNetwork;
    const dnsConfig = podDnsConfig(pod, { clusterDNS: this.ctx.clusterDNS, clusterDomain: this.ctx.clusterDomain, host: this.hostDns ??= hostDnsConfig() });
    return {
      metadata: { name: pod.metadata.name!, uid: pod.metadata.uid!, namespace: ns, attempt },
      hostname: (pod.spec?.hostname || pod.metadata.name!).slice(0, 63),
      logDirectory: this.logDir(pod),
      dnsConfig,
      portMappings: hostPorts.map((p) => ({ protocol: (p.protocol ?? 'TCP') as 'TCP', containerPort: p.containerPort, hostPort: p.hostPort!, hostIp: p.hostIP })),
      labels: { [POD_NAME]: pod.metadata.name!, [POD_NAMESPACE]: ns, [POD_UID]: pod.metadata.uid!, ...(pod.metadata.labels ?? {}) },
      annotations: { ...(pod.metadata.annotations ?? {}) },
      linux: { cgroupParent: '', securityContext: { namespaceOptions: { network: hostNetwork ? 'NODE' : 'POD', pid: pod.spec?.hostPID ? 'NODE' : pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER', ipc: pod.spec?.hostIPC ? 'NODE' : 'POD' } } },
    };
  }

  /** Brings the runtime in line with `pod` and writes its status. */
  async sync(pod: Pod): Promise<SyncResult> {
    if (pod.metadata.deletionTimestamp) { await this.terminate(pod); return {}; }
    const view = await this.view(pod.metadata.uid!);
    const phase = pod.status?.phase;
    const evicted = this.evicted.get(pod.metadata.uid!);
    if (evicted !== undefined && phase !== 'Failed') { await this.evict(pod, view, evicted); return {}; }
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Terminal: sidecars still running stop gracefully, last first (KEP-753), and the
      // pod's status shows them ended; containers stay for their logs; the sandbox's
      // resources are released.
      let stopped = false;
      for (const c of [...(pod.spec?.initContainers ?? [])].reverse()) {
        const latest = isSidecar(c) ? view.containers.get(c.name)?.[0] : undefined;
        if (latest?.state !== 'CONTAINER_RUNNING') continue;
        await this.killContainer(pod, c.name, latest.id, undefined, undefined, pod.spec?.terminationGracePeriodSeconds ?? 30);
        stopped = true;
      }
      for (const sb of view.sandboxes) if (sb.state === 'SANDBOX_READY') await this.ctx.cri.stopPodSandbox(sb.id).catch(() => undefined);
      if (stopped) await this.writeStatus(pod, await this.view(pod.metadata.uid!));
      return {};
    }
    let requeue: number | undefined;
    const policy = pod.spec?.restartPolicy ?? 'Always';
    let sandbox = view.sandboxes.find((s) => s.state === 'SANDBOX_READY');
    const everythingDone = (pod.spec?.containers ?? []).every((c) => {
      const l = view.containers.get(c.name)?.[0];
      return l?.state === 'CONTAINER_EXITED' && (policy === 'Never' || (policy === 'OnFailure' && l.exitCode === 0));
    });
    const sbConfig = this.sandboxConfig(pod, view.sandboxes.length ? view.sandboxes[0].metadata.attempt + (sandbox ? 0 : 1) : 0);
    if (!sandbox && !everythingDone) {
      // A new sandbox means new containers: stale ones of the old sandbox are removed.
      for (const sb of view.sandboxes) { await this.ctx.cri.stopPodSandbox(sb.id).catch(() => undefined); }
      mkdirSync(sbConfig.logDirectory!, { recursive: true });
      let id: string;
      try {
        id = await this.ctx.cri.runPodSandbox(sbConfig);
      } catch (err) {
        // Upstream kubelet's event; the pod worker retries with back-off.
        this.ctx.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(err as Error).message}`);
        throw err;
      }
      sandbox = await this.ctx.cri.podSandboxStatus(id);
      view.sandboxes.unshift(sandbox);
      for (const [name, list] of view.containers) view.containers.set(name, list.filter((c) => c.state !== 'CONTAINER_RUNNING'));
    }
    if (sandbox) {
      const sources = new SourceCache(this.ctx.client, pod.metadata.namespace!);
      let volumes: Map<string, string> | undefined;
      const volumesFn = async (): Promise<Map<string, string>> => (volumes ??= await prepareVolumes(pod, this.podDir(pod.metadata.uid!), sources, {
        allocatable: this.allocatable, serviceAccountToken: (spec) => this.tokens.podToken(pod, spec),
      }));
      const podIP = pod.spec?.hostNetwork ? this.ctx.nodeIP : sandbox.network?.ip ?? '';
      // Init containers run one at a time, in order, each to success; a sidecar
      // (restartPolicy Always, KEP-753) only has to have started (its startup probe
      // passed) before the next one starts, and is restarted whenever it exits.
      let initDone = true;
      const appStarted = appContainersStarted(pod, view);
      for (const c of pod.spec?.initContainers ?? []) {
        const latest = view.containers.get(c.name)?.[0];
        if (isSidecar(c)) {
          if (latest?.state === 'CONTAINER_RUNNING') {
            // Started: running, and its startup probe (if any) has succeeded.
            if (appStarted || !c.startupProbe || !this.ctx.prober || this.ctx.prober.started(latest.id) === true) continue;
            initDone = false;
            break;
          }
          const r = await this.ensureContainer(pod, c, latest, sandbox.id, sbConfig, sources, podIP, view, true, volumesFn);
          requeue = minDefined(requeue, r);
          if (appStarted) continue;
          initDone = false;
          break;
        }
        if (latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
        if (appStarted && !latest) continue;
        initDone = false;
        if (latest?.state === 'CONTAINER_RUNNING') break;
        if (latest?.state === 'CONTAINER_EXITED' && policy === 'Never') break;
        const r = await this.ensureContainer(pod, c, latest, sandbox.id, sbConfig, sources, podIP, view, true, volumesFn);
        requeue = minDefined(requeue, r);
        break;
      }
      if (initDone) {
        for (const c of pod.spec?.containers ?? []) {
          const latest = view.containers.get(c.name)?.[0];
          if (latest?.state === 'CONTAINER_RUNNING') continue;
          if (latest?.state === 'CONTAINER_EXITED') {
            const restart = policy === 'Always' || (policy === 'OnFailure' && latest.exitCode !== 0);
            if (!restart) continue;
          }
          const r = await this.ensureContainer(pod, c, latest, sandbox.id, sbConfig, sources, podIP, view, false, volumesFn);
          requeue = minDefined(requeue, r);
        }
        // Ephemeral containers (kubectl debug) start once and are never restarted; with
        // targetContainerName they share that container's process namespace.
        for (const c of (pod.spec?.ephemeralContainers ?? []) as EphemeralContainer[]) {
          const latest = view.containers.get(c.name)?.[0];
          if (latest && latest.state !== 'CONTAINER_CREATED') continue;
          const target = c.targetContainerName ? view.containers.get(c.targetContainerName)?.[0] : undefined;
          if (c.targetContainerName && target?.state !== 'CONTAINER_RUNNING') continue;
          const r = await this.ensureContainer(pod, c, latest, sandbox.id, sbConfig, sources, podIP, view, false, volumesFn, { ephemeral: true, pidTarget: target?.id });
          requeue = minDefined(requeue, r);
        }
      }
      // ConfigMap/Secret/downward-API volumes of running containers follow their sources
      // (upstream remounts periodically; here every sync, i.e. at least every 10 s). A
      // source that vanished keeps the last content.
      if ([...view.containers.values()].some((l) => l[0]?.state === 'CONTAINER_RUNNING') && (pod.spec?.volumes ?? []).some((v) => v.configMap || v.secret || v.downwardAPI || v.projected)) {
        await volumesFn().catch(() => undefined);
      }
      // Disk emptyDirs over their sizeLimit evict the pod (upstream emptyDirLimitEviction).
      const evictMessage = [...view.containers.values()].some((l) => l[0]?.state === 'CONTAINER_RUNNING') ? emptyDirLimitExceeded(pod, this.podDir(pod.metadata.uid!)) : undefined;
      if (evictMessage) { await this.evict(pod, view, evictMessage); return {}; }
    }
    if (this.ctx.prober) {
      const running = new Map<string, { id: string; startedAtMs: number }>();
      for (const [name, list] of view.containers) if (list[0]?.state === 'CONTAINER_RUNNING') running.set(name, { id: list[0].id, startedAtMs: list[0].startedAt / 1e6 });
      // Probes go to the pod IP; a host-network pod's is the node's (upstream).
      this.ctx.prober.sync(pod, running, pod.spec?.hostNetwork ? this.ctx.nodeIP : sandbox?.network?.ip ?? '');
      view.probes = this.ctx.prober;
    }
    await this.writeStatus(pod, view);
    return { requeueAfterMs: requeue };
  }

  /** Creates/starts (or restarts after back-off) one container. Returns a requeue delay when waiting. */
  private async ensureContainer(pod: Pod, c: Container, latest: CriContainerStatus | undefined, sandboxId: string, sbConfig: PodSandboxConfig,
    sources: SourceCache, podIP: string, view: PodRuntimeView, isInit: boolean, volumesFn: () => Promise<Map<string, string>>,
    opts: { ephemeral?: boolean; pidTarget?: string } = {}): Promise<number | undefined> {
    const { cri, recorder } = this.ctx;
    const fieldPath = `spec.${isInit ? 'initContainers' : opts.ephemeral ? 'ephemeralContainers' : 'containers'}{${c.name}}`;
    if (latest?.state === 'CONTAINER_CREATED') {
      await cri.startContainer(latest.id);
      recorder.event(pod, 'Normal', 'Started', `Started container ${c.name}`, fieldPath);
      return this.postStart(pod, c, latest.id, podIP, view, fieldPath);
    }
    const attempt = latest ? latest.metadata.attempt + 1 : 0;
    if (latest?.state === 'CONTAINER_EXITED') {
      // CrashLoopBackOff as upstream's doBackOff: the first restart is immediate, then
      // 10 s doubling to 5 min, counted from the last exit; a container that ran for more
      // than 10 min since its last restart starts over at an immediate restart.
      const key = crashBackOffKey(pod, c);
      const finishedMs = latest.finishedAt / 1e6;
      const wait = this.crashBackOff.remainingSince(key, finishedMs);
      if (wait > 0) {
        const delay = this.crashBackOff.get(key);
        view.waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` });
        recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', fieldPath);
        return wait;
      }
      this.crashBackOff.next(key, finishedMs);
    }
    // Image.
    const image = c.image!;
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    const present = await cri.imageStatus(image).catch(() => undefined);
    if (policy === 'Never' && !present) {
      view.waiting.set(c.name, { reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` });
      recorder.event(pod, 'Warning', 'ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`, fieldPath);
      return 10_000;
    }
    const key = `${pod.metadata.uid}/${c.name}/${attempt}`;
    const pullKey = `${pod.metadata.uid}/${image}`;
    const pullWait = this.imageBackOff.remainingSinceUpdate(pullKey, this.now());
    if (!this.pulled.has(key) && pullWait > 0) {
      // Upstream's image puller back-off: ImagePullBackOff until the next attempt.
      const msg = `Back-off pulling image "${image}"`;
      view.waiting.set(c.name, { reason: 'ImagePullBackOff', message: msg });
      recorder.event(pod, 'Normal', 'BackOff', msg, fieldPath);
      recorder.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', fieldPath);
      return pullWait;
    }
    if (!this.pulled.has(key)) {
      if (present && policy !== 'Always') {
        recorder.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, fieldPath);
      } else {
        recorder.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, fieldPath);
        const t0 = Date.now();
        try {
          await cri.pullImage(image);
          const s = ((Date.now() - t0) / 1000).toFixed(3);
          recorder.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${s}s (${s}s including waiting)`, fieldPath);
        } catch (err) {
          if (!present) {
            const msg = `Failed to pull image "${image}": ${(err as Error).message}`;
            view.waiting.set(c.name, { reason: 'ErrImagePull', message: msg });
            recorder.event(pod, 'Warning', 'Failed', msg, fieldPath);
            recorder.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', fieldPath);
            // 10 s doubling to 5 min between attempts (upstream's image back-off).
            this.imageBackOff.next(pullKey, this.now());
            return this.imageBackOff.get(pullKey);
          }
          // Air-gapped (k3s image tarballs): the registry is unreachable but the image was imported.
          recorder.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, fieldPath);
        }
      }
      this.pulled.add(key);
      this.imageBackOff.reset(pullKey);
    }
    // Config.
    let envs: Array<{ key: string; value: string }>;
    let mounts;
    let securityContext;
    try {
      envs = await containerEnv(pod, c, sources, { hostIP: this.ctx.nodeIP, podIP }, this.ctx.kubernetesService, this.allocatable);
      mounts = containerMounts(c, await volumesFn(), ensureHostsFile(this.podDir(pod.metadata.uid!), pod, podIP, this.ctx.clusterDomain));
      const messagePath = c.terminationMessagePath ?? '/dev/termination-log';
      if (!mounts.some((m) => m.containerPath === messagePath)) mounts.push({ containerPath: messagePath, hostPath: terminationLogFile(this.podDir(pod.metadata.uid!), c.name, attempt) });
      const imageUid = needsImageUser(pod, c) ? (await cri.imageStatus(image).catch(() => undefined))?.uid?.value : undefined;
      securityContext = containerSecurityContext(pod, c, imageUid);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      if (err instanceof MountError) {
        // Upstream's volume manager: the pod waits in ContainerCreating and says why in events.
        view.waiting.set(c.name, { reason: 'ContainerCreating' });
        recorder.event(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${err.volume}" : ${err.message}`);
        return 5_000;
      }
      view.waiting.set(c.name, { reason: 'CreateContainerConfigError', message: err.message });
      recorder.event(pod, 'Warning', 'Failed', `Error: ${err.message}`, fieldPath);
      return 5_000;
    }
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    const cpuShares = Math.max(2, Math.floor((milliValue(requests.cpu ?? limits.cpu ?? 0) * 1024) / 1000));
    const linuxResources: NonNullable<NonNullable<Parameters<CriClient['createContainer']>[1]['linux']>['resources']> = { cpuShares, oomScoreAdj: 0 };
    if (limits.cpu !== undefined) { linuxResources.cpuPeriod = 100_000; linuxResources.cpuQuota = Math.max(1000, Math.floor(milliValue(limits.cpu) * 100)); }
    if (limits.memory !== undefined) linuxResources.memoryLimitInBytes = Math.floor(parseQuantity(limits.memory));
    const id = await cri.createContainer(sandboxId, {
      metadata: { name: c.name, attempt }, image: { image },
      command: expandAll(c.command, envs), args: expandAll(c.args, envs), workingDir: c.workingDir, envs, mounts,
      labels: { [POD_NAME]: pod.metadata.name!, [POD_NAMESPACE]: pod.metadata.namespace!, [POD_UID]: pod.metadata.uid!, [CONTAINER_NAME]: c.name },
      annotations: { [RESTART_COUNT]: String(attempt), [TERMINATION_MESSAGE_PATH]: c.terminationMessagePath ?? '/dev/termination-log', [TERMINATION_MESSAGE_POLICY]: c.terminationMessagePolicy ?? 'File' },
      logPath: `${c.name}/${attempt}.log`, stdin: !!c.stdin, stdinOnce: !!c.stdinOnce, tty: !!c.tty,
      linux: {
        resources: linuxResources,
        securityContext: {
          ...securityContext,
          namespaceOptions: opts.pidTarget ? { ...sbConfig.linux?.securityContext?.namespaceOptions, pid: 'TARGET', targetId: opts.pidTarget } : sbConfig.linux?.securityContext?.namespaceOptions,
        },
      },
    }, sbConfig);
    recorder.event(pod, 'Normal', 'Created', `Created container: ${c.name}`, fieldPath);
    await cri.startContainer(id);
    recorder.event(pod, 'Normal', 'Started', `Started container ${c.name}`, fieldPath);
    // Keep the previous attempt (for `logs --previous`); remove older ones.
    for (const old of (view.containers.get(c.name) ?? []).slice(1)) await cri.removeContainer(old.id).catch(() => undefined);
    const st = await cri.containerStatus(id);
    view.containers.set(c.name, [st, ...(view.containers.get(c.name) ?? []).slice(0, 1)]);
    return this.postStart(pod, c, id, podIP, view, fieldPath);
  }

  /**
   * Runs the postStart hook of a just-started container (lifecycle-hooks.ts). On failure:
   * Warning FailedPostStartHook, the container is killed (preStop included; Killing
   * "FailedPostStartHook") and waits with reason PostStartHookError; the pod worker then
   * restarts it per restartPolicy with back-off. Returns a requeue delay on failure.
   */
  private async postStart(pod: Pod, c: Container, id: string, podIP: string, view: PodRuntimeView, fieldPath: string): Promise<number | undefined> {
    if (!(c.lifecycle as { postStart?: unknown } | undefined)?.postStart) return undefined;
    const msg = await runPostStart({ cri: this.ctx.cri, pod, container: c, containerId: id, podIP });
    if (!msg) return undefined;
    this.ctx.recorder.event(pod, 'Warning', 'FailedPostStartHook', 'PostStartHook failed', fieldPath);
    await this.killContainer(pod, c.name, id, 'FailedPostStartHook', podIP);
    view.waiting.set(c.name, { reason: 'PostStartHookError', message: msg });
    const st = await this.ctx.cri.containerStatus(id).catch(() => undefined);
    if (st) view.containers.set(c.name, [st, ...(view.containers.get(c.name) ?? []).slice(1)]);
    return 1000;
  }

  /**
   * Kills one container as upstream's killContainer: event Killing (`message`, default
   * "Stopping container <name>"), the preStop hook within the grace period, then
   * StopContainer with what is left of it (≥ 2 s). Grace: `graceSeconds`, else the pod's
   * deletionGracePeriodSeconds or terminationGracePeriodSeconds (30). Errors of
   * StopContainer are swallowed (the container may be gone); `runHook` false skips preStop
   * (a container that never started). Meant for the prober's kill
   * too (kubelet.ts), so a liveness failure runs preStop like upstream.
   */
  async killContainer(pod: Pod, name: string, id: string, message?: string, podIP?: string, graceSeconds?: number, runHook = true): Promise<void> {
    const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...((pod.spec?.ephemeralContainers ?? []) as Container[])].find((x) => x.name === name);
    const kind = (pod.spec?.initContainers ?? []).some((x) => x.name === name) ? 'initContainers' : (pod.spec?.ephemeralContainers ?? []).some((x) => x.name === name) ? 'ephemeralContainers' : 'containers';
    const fieldPath = `spec.${kind}{${name}}`;
    this.ctx.recorder.event(pod, 'Normal', 'Killing', message || `Stopping container ${name}`, fieldPath);
    let grace = Math.max(0, graceSeconds ?? pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    if (spec && grace > 0 && runHook) {
      const ip = podIP ?? (pod.spec?.hostNetwork ? this.ctx.nodeIP : pod.status?.podIP ?? '');
      grace = await runPreStop({ cri: this.ctx.cri, pod, container: spec, containerId: id, podIP: ip }, grace,
        (type, reason, msg) => this.ctx.recorder.event(pod, type as 'Warning', reason, msg, fieldPath)).catch(() => grace);
    }
    await this.ctx.cri.stopContainer(id, grace).catch(() => undefined);
  }

  /**
   * Evicts `pod` (upstream eviction manager evictPod, grace period 0): Warning Evicted
   * event, every running container stopped, then phase Failed with reason Evicted, the
   * message and a DisruptionTarget condition (reason TerminationByKubelet). Called again
   * by later syncs until the API shows phase Failed (a status write lost to a conflict).
   */
  private async evict(pod: Pod, view: PodRuntimeView, message: string): Promise<void> {
    if (!this.evicted.has(pod.metadata.uid!)) this.ctx.recorder.event(pod, 'Warning', 'Evicted', message);
    this.evicted.set(pod.metadata.uid!, message);
    for (const [name, list] of view.containers) {
      const running = list[0];
      if (running?.state !== 'CONTAINER_RUNNING') continue;
      await this.killContainer(pod, name, running.id, undefined, undefined, 0);
      const st = await this.ctx.cri.containerStatus(running.id).catch(() => undefined);
      if (st) list[0] = st;
    }
    this.ctx.prober?.stopPod(pod.metadata.uid!);
    await this.writeStatus(pod, view, (st) => {
      st.phase = 'Failed'; st.reason = 'Evicted'; st.message = message;
      st.conditions = [...(st.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'),
        { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message, lastProbeTime: null, lastTransitionTime: rfc3339() }];
    });
  }

  private async writeStatus(pod: Pod, view: PodRuntimeView, amend?: (s: PodStatus) => void): Promise<void> {
    const status = computePodStatus(pod, view);
    amend?.(status);
    if (stableJson(status) === stableJson(pod.status)) return;
    // The resourceVersion makes the write conditional: the status carries conditions others
    // own (readiness gates) as this copy of the pod had them, and a merge patch replaces the
    // whole list. On a conflict the pod changed: its update event syncs it again.
    const metadata = pod.metadata.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : undefined;
    try {
      await this.ctx.client.resource(resources.pods).patch(pod.metadata.name!, { ...(metadata ? { metadata } : {}), status }, 'application/merge-patch+json', { namespace: pod.metadata.namespace, subresource: 'status' });
    } catch (err) { if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err; }
  }

  /**
   * Graceful termination: every running container's preStop hook, SIGTERM, SIGKILL after
   * the grace period (killContainer), stop and remove the sandbox, then remove the Pod object (grace 0, uid
   * precondition) — the last step of a graceful delete.
   */
  async terminate(pod: Pod): Promise<void> {
    const view = await this.view(pod.metadata.uid!);
    // As upstream's killPod: the grace period the deletion asked for (not what is left of it).
    const grace = Math.max(0, pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    // App containers stop first, all at once; then the sidecars one by one in reverse
    // order with what is left of the grace period (KEP-753, upstream killPodWithSyncResult).
    const started = Date.now();
    const sidecars = (pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => c.name);
    const kill = async (name: string, list: CriContainerStatus[], seconds: number): Promise<void> => {
      const running = list.filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED');
      // preStop hooks run in parallel across containers, each within the grace period
      // (only in running containers: a created one has no process to run them in).
      for (const c of running) await this.killContainer(pod, name, c.id, undefined, undefined, seconds, c.state === 'CONTAINER_RUNNING');
    };
    await Promise.all([...view.containers].filter(([name]) => !sidecars.includes(name)).map(([name, list]) => kill(name, list, grace)));
    for (const name of [...sidecars].reverse()) {
      const list = view.containers.get(name);
      if (list) await kill(name, list, Math.max(0, Math.ceil(grace - (Date.now() - started) / 1000)));
    }
    await this.removeAll(pod.metadata.uid!, view);
    try {
      await this.ctx.client.resource(resources.pods).delete(pod.metadata.name!, { namespace: pod.metadata.namespace, gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (err) { if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err; }
  }

  /**
   * Removes the dirs under `<root>/pods` of uids not in `known` (unmounting Memory
   * emptyDirs first; upstream cleanupOrphanedPodDirs), e.g. pods deleted while the
   * kubelet was down whose sandboxes were already gone. Returns the uids removed. For
   * kubelet.ts's housekeeping, with the informer's uids.
   */
  cleanupOrphanedPodDirs(known: Set<string>): string[] {
    let uids: string[] = [];
    try { uids = readdirSync(join(this.ctx.rootDir, 'pods')); } catch { return []; }
    const removed: string[] = [];
    for (const uid of uids) {
      if (known.has(uid)) continue;
      try { removePodDir(this.podDir(uid)); removed.push(uid); } catch { /* retried next time */ }
    }
    return removed;
  }

  /**
   * Back-off housekeeping (upstream HandlePodCleanups' backOff.GC()): drops the entries not
   * updated for more than 2×max (10 min) and those of pods whose uid is not in `known`.
   */
  gcBackOff(known: Set<string>): void {
    for (const b of [this.crashBackOff, this.imageBackOff]) {
      b.gc();
      b.retain((k) => known.has(k.slice(0, k.indexOf('/'))));
    }
    this.tokens.retain((uid) => known.has(uid));
  }

  /** Stops and removes every sandbox and container of `uid` (and its volumes). */
  async removeAll(uid: string, view?: PodRuntimeView): Promise<void> {
    for (const k of this.terminationMessages.keys()) if (k.startsWith(`${uid}/`)) this.terminationMessages.delete(k);
    for (const b of [this.crashBackOff, this.imageBackOff]) b.retain((k) => !k.startsWith(`${uid}/`));
    this.tokens.forgetPod(uid);
    for (const k of this.pulled) if (k.startsWith(`${uid}/`)) this.pulled.delete(k);
    this.evicted.delete(uid);
    this.ctx.prober?.stopPod(uid);
    const v = view ?? await this.view(uid);
    for (const list of v.containers.values()) for (const c of list) {
      if (c.state === 'CONTAINER_RUNNING') await this.ctx.cri.stopContainer(c.id, 0).catch(() => undefined);
      await this.ctx.cri.removeContainer(c.id).catch(() => undefined);
    }
    for (const sb of v.sandboxes) {
      await this.ctx.cri.stopPodSandbox(sb.id).catch(() => undefined);
      await this.ctx.cri.removePodSandbox(sb.id).catch(() => undefined);
    }
    removePodDir(this.podDir(uid));
  }
}

/**
 * The crash back-off key of a container: `uid/name/hash`, the hash covering the container's
 * spec so that changing it starts the back-off over (upstream getStableKey).
 */
export function crashBackOffKey(pod: Pod, c: Container): string {
  return `${pod.metadata.uid}/${c.name}/${createHash('sha256').update(stableJson(c)).digest('hex').slice(0, 16)}`;
}

const minDefined = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

