/**
 * Pods held by Permit plugins (upstream pkg/scheduler/framework/runtime/waiting_pods_map.go):
 * a pod for which at least one Permit plugin returned Wait waits in its binding cycle
 * until every waiting plugin allowed it (Success), one rejected it (Unschedulable,
 * attributed to that plugin), or a plugin's timeout passed (Unschedulable
 * "rejected due to timeout after waiting <d> at plugin <p>").
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { success, unschedulable, type Status } from './status.js';

/** Upstream's cap on a Permit plugin's wait (maxTimeout): 15 minutes. */
export const MAX_PERMIT_TIMEOUT_MS = 15 * 60 * 1000;

/** Go's time.Duration %v form for whole milliseconds: "500ms", "2s", "1.5s", "1m30s", "1h0m0s". */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const secs = `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')}s`;
  if (h) return `${h}h${m}m${secs}`;
  if (m) return `${m}m${secs}`;
  return secs;
}

/** One pod waiting on Permit plugins. `result` settles once: Success, or Unschedulable from reject/timeout. */
export class WaitingPod {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private settle!: (s: Status) => void;
  private settled = false;
  /** Resolves when the pod is allowed by every waiting plugin or rejected. */
  readonly result: Promise<Status>;

  /** `waits`: plugin name → timeout in ms (capped at MAX_PERMIT_TIMEOUT_MS). */
  constructor(readonly pod: Pod, readonly nodeName: string, waits: Map<string, number>) {
    this.result = new Promise((resolve) => { this.settle = resolve; });
    for (const [plugin, timeout] of waits) {
      const ms = Math.max(0, Math.min(timeout, MAX_PERMIT_TIMEOUT_MS));
      const timer = setTimeout(() => this.reject(plugin, `rejected due to timeout after waiting ${goDuration(ms)} at plugin ${plugin}`), ms);
      this.pending.set(plugin, timer);
    }
  }

  /** Plugins that have not allowed the pod yet. */
  pendingPlugins(): string[] { return [...this.pending.keys()]; }

  /** `plugin` allows the pod; once no plugin is pending the pod proceeds. No-op for a plugin not waiting. */
  allow(plugin: string): void {
    const t = this.pending.get(plugin);
    if (!t || this.settled) return;
    clearTimeout(t);
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.finish(success());
  }

  /** Rejects the pod (Unschedulable with `message`, attributed to `plugin`); stops every timer. */
  reject(plugin: string, message: string): void {
    if (this.settled) return;
    this.finish({ ...unschedulable(message), plugin });
  }

  private finish(s: Status): void {
    this.settled = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    this.settle(s);
  }
}
