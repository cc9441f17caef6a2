/**
 * Container probes (upstream pkg/kubelet/prober): readiness, liveness and startup
 * probes of running containers, each run by its own timer every `periodSeconds` after
 * `initialDelaySeconds`, with `timeoutSeconds` and success/failure thresholds. Handlers:
 * exec (CRI ExecSync), httpGet (to the pod IP), tcpSocket, grpc (grpc.health.v1 Check to
 * the pod IP, grpc-health.ts). Readiness results feed the
 * pod's Ready condition; a failed liveness or startup probe kills the container (the pod
 * worker then restarts it per restartPolicy).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, Pod, Probe } from '../api/core/v1/pod-types.js';
import type { CriClient } from './cri/cri-client.js';
import { grpcHealthCheck } from './grpc-health.js';
import { isSidecar } from '../api/core/v1/sidecar.js';

export type ProbeKind = 'readiness' | 'liveness' | 'startup';

interface Worker { timer?: NodeJS.Timeout; stopped: boolean; successes: number; failures: number; result?: boolean }

export interface ProberHooks {
  /** A result changed: the pod's status needs a sync. */
  changed(pod: Pod): void;
  /** Liveness or startup failed past its threshold: kill the container. */
  kill(pod: Pod, container: Container, containerId: string, kind: ProbeKind, message: string): void;
  /** A probe failed (event Unhealthy). */
  unhealthy(pod: Pod, container: Container, kind: ProbeKind, message: string): void;
}

/** Runs one probe; resolves to {ok, message}. Exported for tests. */
export async function runProbe(probe: Probe, c: Container, podIP: string, containerId: string, cri: CriClient): Promise<{ ok: boolean; message: string }> {
  const timeout = (probe.timeoutSeconds ?? 1) * 1000;
  const port = (p: number | string | undefined): number => {
    if (typeof p === 'number') return p;
    const named = (c.ports ?? []).find((x) => x.name === p);
    return named ? named.containerPort : Number(p);
  };
  try {
    if (probe.exec?.command) {
      const r = await cri.execSync(containerId, probe.exec.command, Math.ceil(timeout / 1000));
      // The event carries the command's output, as upstream's exec prober reports it.
      return { ok: r.exitCode === 0, message: `${Buffer.from(r.stdout).toString()}${Buffer.from(r.stderr).toString()}` };
    }
    if (probe.httpGet) {
      const g = probe.httpGet;
      const lib = (g.scheme ?? 'HTTP').toUpperCase() === 'HTTPS' ? https : http;
      const host = g.host || podIP;
      const code = await new Promise<number>((resolve, reject) => {
        const req = lib.get({ host, port: port(g.port), path: g.path ?? '/', timeout, rejectUnauthorized: false, headers: Object.fromEntries((g.httpHeaders ?? []).map((h) => [h.name ?? '', h.value ?? ''])) }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
        req.on('timeout', () => req.destroy(new Error(`context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)));
        req.on('error', reject);
      });
      return { ok: code >= 200 && code < 400, message: `HTTP probe failed with statuscode: ${code}` };
    }
    if (probe.tcpSocket) {
      const p = port(probe.tcpSocket.port);
      const host = probe.tcpSocket.host || podIP;
      await new Promise<void>((resolve, reject) => {
        const s = net.connect({ host, port: p, timeout }, () => { s.destroy(); resolve(); });
        s.on('timeout', () => { s.destroy(); reject(new Error(`dial tcp ${host}:${p}: i/o timeout`)); });
        s.on('error', reject);
      });
      return { ok: true, message: '' };
    }
    if (probe.grpc) return await grpcHealthCheck(podIP, probe.grpc.port ?? 0, probe.grpc.service ?? '', timeout / 1000);
    return { ok: true, message: 'no probe handler k8ts knows; treated as success' };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** Keeps one worker per (container id, probe kind). */
export class ProbeManager {
  private readonly workers = new Map<string, Worker>();
  constructor(private readonly cri: CriClient, private readonly hooks: ProberHooks) {}

  /** The readiness result of a container (undefined: no readiness probe). */
  ready(containerId: string): boolean | undefined { return this.result(containerId, 'readiness'); }
  /** Whether the startup probe passed (undefined: no startup probe). */
  started(containerId: string): boolean | undefined { return this.result(containerId, 'startup'); }
  private result(containerId: string, kind: ProbeKind): boolean | undefined {
    const w = this.workers.get(`${containerId}/${kind}`);
    return w ? w.result === true : undefined;
  }

  private readonly byPod = new Map<string, Set<string>>();

  /** Starts workers for the running containers of `pod` (id by name); stops this pod's others. */
  sync(pod: Pod, running: Map<string, { id: string; startedAtMs: number }>, podIP: string): void {
    const uid = pod.metadata.uid!;
    const wanted = new Set<string>();
    // App containers and sidecars (init containers with restartPolicy Always) are probed.
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter(isSidecar)]) {
      const r = running.get(c.name);
      if (!r) continue;
      for (const [kind, probe] of [['startup', c.startupProbe], ['readiness', c.readinessProbe], ['liveness', c.livenessProbe]] as const) {
        if (!probe) continue;
        const key = `${r.id}/${kind}`;
        wanted.add(key);
        if (!this.workers.has(key)) this.start(key, kind, probe, pod, c, r.id, r.startedAtMs, podIP);
      }
    }
    for (const key of this.byPod.get(uid) ?? []) if (!wanted.has(key)) { const w = this.workers.get(key); if (w) this.stopWorker(key, w); }
    if (wanted.size) this.byPod.set(uid, wanted); else this.byPod.delete(uid);
  }

  /** Stops every worker of a pod. */
  stopPod(uid: string): void {
    for (const key of this.byPod.get(uid) ?? []) { const w = this.workers.get(key); if (w) this.stopWorker(key, w); }
    this.byPod.delete(uid);
  }
  stopAll(): void { for (const [key, w] of this.workers) this.stopWorker(key, w); this.byPod.clear(); }

  private stopWorker(key: string, w: Worker): void {
    w.stopped = true;
    if (w.timer) clearTimeout(w.timer);
    this.workers.delete(key);
  }

  private start(key: string, kind: ProbeKind, probe: Probe, pod: Pod, c: Container, containerId: string, startedAtMs: number, podIP: string): void {
    const w: Worker = { stopped: false, successes: 0, failures: 0 };
    this.workers.set(key, w);
    const period = (probe.periodSeconds ?? 10) * 1000;
    const successThreshold = probe.successThreshold ?? 1;
    const failureThreshold = probe.failureThreshold ?? 3;
    const tick = async (): Promise<void> => {
      if (w.stopped) return;
      // Liveness and readiness wait for the startup probe.
      const startup = this.workers.get(`${containerId}/startup`);
      const startupPending = kind !== 'startup' && !!startup && startup.result !== true;
      if (!startupPending && !(kind === 'startup' && w.result)) {
        const r = await runProbe(probe, c, podIP, containerId, this.cri);
        if (w.stopped) return;
        if (r.ok) { w.successes++; w.failures = 0; } else { w.failures++; w.successes = 0; }
        const before = w.result;
        if (r.ok && w.successes >= (kind === 'readiness' ? successThreshold : 1)) w.result = true;
        if (!r.ok) {
          this.hooks.unhealthy(pod, c, kind, `${kind[0].toUpperCase()}${kind.slice(1)} probe failed: ${r.message}`);
          if (w.failures >= failureThreshold) {
            w.result = false;
            if (kind !== 'readiness') {
              this.hooks.kill(pod, c, containerId, kind, `Container ${c.name} failed ${kind} probe, will be restarted`);
              this.stopWorker(key, w);
              return;
            }
          }
        }
        if (before !== w.result) this.hooks.changed(pod);
      }
      w.timer = setTimeout(() => { void tick(); }, period);
    };
    const delay = Math.max(0, startedAtMs + (probe.initialDelaySeconds ?? 0) * 1000 - Date.now());
    w.timer = setTimeout(() => { void tick(); }, delay);
  }
}
