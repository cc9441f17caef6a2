/**
 * Container lifecycle hooks (upstream pkg/kubelet/lifecycle/handlers.go and
 * kuberuntime_container.go startContainer / executePreStopHook / killContainer).
 *
 * Handlers: `exec` (CRI ExecSync in the container; a non-zero exit fails),
 * `httpGet` (GET to `host` or the pod IP; any HTTP response succeeds — upstream checks
 * no status code, only transport errors fail), `sleep` (`seconds`). `tcpSocket` is not a
 * runnable lifecycle handler (upstream: "Cannot run handler").
 *
 * - postStart runs right after StartContainer; the pod worker waits for it. On failure the
 *   caller records Warning `FailedPostStartHook` "PostStartHook failed" (the handler's
 *   message is not put in the event: it may hold secrets), kills the container (Killing
 *   "FailedPostStartHook", preStop included) and reports waiting reason
 *   `PostStartHookError` with the handler's message.
 * - preStop runs before StopContainer and is given at most the grace period (seconds);
 *   its elapsed whole seconds are taken off the grace period, leaving at least 2 s
 *   (minimumGracePeriodInSeconds). A failure is Warning `FailedPreStopHook`
 *   "PreStopHook failed"; running out of time is only logged.
 */
import http from 'node:http';
import https from 'node:https';
import type { Container, Pod } from '../api/core/v1/pod-types.js';
import type { CriClient } from './cri/cri-client.js';

export interface LifecycleHandler {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port?: number | string; host?: string; scheme?: string; httpHeaders?: Array<{ name?: string; value?: string }> };
  tcpSocket?: { port?: number | string; host?: string };
  sleep?: { seconds?: number };
}

/** Upstream minimumGracePeriodInSeconds: containers always get this long after SIGTERM. */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;
/** Upper bound on a postStart hook (upstream has none; k8ts bounds the blocked pod worker). */
export const POST_START_TIMEOUT_SECONDS = 300;

/** `name_namespace(uid)`, upstream format.Pod. */
export const formatPod = (pod: Pod): string => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

export interface HookContext { cri: CriClient; pod: Pod; container: Container; containerId: string; podIP: string }

function resolvePort(c: Container, p: number | string | undefined): number {
  if (typeof p === 'number') return p;
  const named = (c.ports ?? []).find((x) => x.name === p);
  return named ? named.containerPort : Number(p);
}

/**
 * Runs `handler` with at most `timeoutSeconds`. Resolves to an error message ('' on
 * success); rejects only with `HookTimeout` when the time ran out.
 */
export async function runHandler(handler: LifecycleHandler, ctx: HookContext, timeoutSeconds: number): Promise<string> {
  const { pod, container: c } = ctx;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => { timer = setTimeout(() => reject(new HookTimeout()), timeoutSeconds * 1000); });
  try {
    return await Promise.race([run(handler, ctx, timeoutSeconds), timeout]);
  } catch (err) {
    if (err instanceof HookTimeout) throw err;
    const e = (err as Error).message;
    if (handler.exec) return `Exec lifecycle hook ([${(handler.exec.command ?? []).join(' ')}]) for Container "${c.name}" in Pod "${formatPod(pod)}" failed - error: ${e}, message: ${JSON.stringify((err as { output?: string }).output ?? '')}`;
    if (handler.httpGet) return `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) for Container "${c.name}" in Pod "${formatPod(pod)}" failed - error: ${e}`;
    return e;
  } finally { clearTimeout(timer); }
}

export class HookTimeout extends Error { constructor() { super('hook did not complete in time'); } }

async function run(h: LifecycleHandler, ctx: HookContext, timeoutSeconds: number): Promise<string> {
  if (h.exec) {
    const r = await ctx.cri.execSync(ctx.containerId, h.exec.command ?? [], Math.max(1, Math.ceil(timeoutSeconds)));
    if (r.exitCode !== 0) {
      const err = new Error(`command '${(h.exec.command ?? []).join(' ')}' exited with ${r.exitCode}: ${Buffer.from(r.stderr).toString()}`) as Error & { output?: string };
      err.output = Buffer.concat([Buffer.from(r.stdout), Buffer.from(r.stderr)]).toString();
      throw err;
    }
    return '';
  }
  if (h.httpGet) {
    const g = h.httpGet;
    const lib = (g.scheme ?? 'HTTP').toUpperCase() === 'HTTPS' ? https : http;
    const path = g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
    await new Promise<void>((resolve, reject) => {
      const headers: Record<string, string> = { 'User-Agent': 'kube-lifecycle/1.32', Accept: '*/*' };
      for (const x of g.httpHeaders ?? []) if (x.name) headers[x.name] = x.value ?? '';
      const req = lib.get({ host: g.host || ctx.podIP, port: resolvePort(ctx.container, g.port), path, headers, rejectUnauthorized: false, agent: false }, (res) => { res.resume(); res.on('end', () => resolve()); res.on('error', () => resolve()); });
      req.on('error', reject);
    });
    return '';
  }
  if (h.sleep) {
    await new Promise((r) => setTimeout(r, Math.max(0, h.sleep!.seconds ?? 0) * 1000));
    return '';
  }
  throw new Error(`Cannot run handler: invalid handler: ${JSON.stringify(h)}`);
}

/**
 * Runs the container's preStop hook (if any) within `graceSeconds` and returns the grace
 * period left for StopContainer (≥ 2 s when a grace period was given; 0 stays 0).
 * `event(type, reason, message)` records FailedPreStopHook.
 */
export async function runPreStop(ctx: HookContext, graceSeconds: number, event: (type: string, reason: string, message: string) => void, log: (m: string) => void = () => undefined): Promise<number> {
  const hook = (ctx.container.lifecycle as { preStop?: LifecycleHandler } | undefined)?.preStop;
  if (graceSeconds <= 0) return 0;
  let grace = graceSeconds;
  if (hook) {
    const t0 = Date.now();
    try {
      const msg = await runHandler(hook, ctx, graceSeconds);
      if (msg) { log(msg); event('Warning', 'FailedPreStopHook', 'PreStopHook failed'); }
    } catch (err) {
      if (!(err instanceof HookTimeout)) throw err;
      log(`PreStop hook not completed in grace period: pod ${formatPod(ctx.pod)} container ${ctx.container.name} gracePeriod ${graceSeconds}`);
    }
    grace -= Math.floor((Date.now() - t0) / 1000);
  }
  return Math.max(MINIMUM_GRACE_PERIOD_SECONDS, grace);
}

/** Runs the container's postStart hook (if any); '' on success, else the handler's message. */
export async function runPostStart(ctx: HookContext): Promise<string> {
  const hook = (ctx.container.lifecycle as { postStart?: LifecycleHandler } | undefined)?.postStart;
  if (!hook) return '';
  try { return await runHandler(hook, ctx, POST_START_TIMEOUT_SECONDS); } catch (err) {
    if (err instanceof HookTimeout) return `PostStart hook did not complete within ${POST_START_TIMEOUT_SECONDS}s`;
    throw err;
  }
}
