/**
 * Pods the scheduler has placed but the informer has not yet shown bound (upstream
 * pkg/scheduler/internal/cache "assumed pods"). Assuming happens right after a
 * successful scheduling cycle, before the asynchronous Binding returns, so the next cycle
 * counts the pod's requests on its node. An entry leaves when the informer shows the
 * pod bound (confirm), when binding fails or the pod is deleted (forget), or `ttlMs`
 * after binding finished without the informer confirming it (expiry).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';

interface Entry { pod: Pod; nodeName: string; deadline?: number }

export class AssumedPods {
  private readonly byUid = new Map<string, Entry>();

  constructor(private readonly ttlMs = 30_000, private readonly now: () => number = Date.now) {}

  /** Records `pod` as placed on `nodeName` (its spec.nodeName set in the stored copy). */
  assume(pod: Pod, nodeName: string): void {
    this.byUid.set(pod.metadata.uid!, { pod: { ...pod, spec: { ...pod.spec!, nodeName } }, nodeName });
  }

  /** Binding succeeded: the entry now expires after the TTL unless confirmed. */
  finishBinding(uid: string): void {
    const e = this.byUid.get(uid);
    if (e) e.deadline = this.now() + this.ttlMs;
  }

  /** The informer shows the pod bound (or deleted): drop the entry. */
  confirm(uid: string): void { this.byUid.delete(uid); }

  /** Binding failed or the pod is gone: drop the entry. */
  forget(uid: string): void { this.byUid.delete(uid); }

  isAssumed(uid: string): boolean { this.expire(); return this.byUid.has(uid); }

  /** Assumed pods on `nodeName` (copies with spec.nodeName set). */
  onNode(nodeName: string): Pod[] {
    this.expire();
    return [...this.byUid.values()].filter((e) => e.nodeName === nodeName).map((e) => e.pod);
  }

  private expire(): void {
    const now = this.now();
    for (const [uid, e] of this.byUid) if (e.deadline !== undefined && e.deadline <= now) this.byUid.delete(uid);
  }
}
