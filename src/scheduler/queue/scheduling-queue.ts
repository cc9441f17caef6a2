/**
 * The scheduling queue (upstream pkg/scheduler/internal/queue/scheduling_queue.go,
 * PriorityQueue): three places a pending pod can wait —
 *   activeQ        ready to be scheduled; in the profile's QueueSort order (default
 *                  PrioritySort: spec.priority, higher first, then by when it was queued);
 *   backoffQ       failed recently; moves to activeQ when its backoff expires
 *                  (initial 1 s, doubling per attempt, capped at 10 s);
 *   unschedulable  failed because no node fit; waits for a cluster event that may make
 *                  it fit (node added/changed, assigned pod deleted...) —
 *                  `moveAllToActiveOrBackoff` — or at most 5 minutes.
 * A pod is in at most one place, or "in flight" between pop() and done()/requeue. A
 * move request that arrives while a pod is in flight sends that pod to backoffQ instead
 * of the unschedulable pool when it fails (upstream's moveRequestCycle), so no event
 * that might have made it fit is lost.
 * Time comes from an injected clock (`now`); timers only trigger flushes and keep the
 * process alive until close().
 */
import { isDeepStrictEqual } from 'node:util';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { metaNamespaceKey } from '../../client/informers/types.js';
import { prioritySortLess } from '../plugins/priority-sort/priority-sort.js';

/** A queued pod with its scheduling history. Times in ms from `now()`. */
export interface QueuedPodInfo {
  key: string;
  pod: Pod;
  /** Scheduling attempts so far (incremented by pop()). */
  attempts: number;
  /** When it was last (re)queued; PrioritySort's tie-breaker and the backoff's start. */
  timestamp: number;
  /** When it was first queued. */
  initialAttemptTimestamp: number;
}

export interface SchedulingQueueOptions {
  /** Backoff after the first failed attempt, ms (default 1000). */
  initialBackoffMs?: number;
  /** Backoff cap, ms (default 10000). */
  maxBackoffMs?: number;
  /** Longest stay in the unschedulable pool before a retry anyway, ms (default 300000). */
  maxInUnschedulableMs?: number;
  /** Clock, ms (default Date.now). */
  now?: () => number;
  /** activeQ's order, the profile's QueueSort plugin: true when `a` pops before `b` (default PrioritySort's). */
  less?: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
}

export class SchedulingQueue {
  private readonly active: QueuedPodInfo[] = [];
  /** The keys in `active`, for O(1) membership (the array keeps the priority order). */
  private readonly activeKeys = new Map<string, QueuedPodInfo>();
  private readonly backoff = new Map<string, QueuedPodInfo>();
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  /** In-flight pods that were updated or deleted meanwhile (key → latest pod, or null when deleted). */
  private readonly changedInFlight = new Map<string, Pod | null>();
  private cycle = 0;
  private moveRequestCycle = -1;
  private waiters: Array<(info: QueuedPodInfo | undefined) => void> = [];
  private closed = false;
  private backoffTimer?: NodeJS.Timeout;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private readonly now: () => number;
  private readonly less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;

  constructor(opts: SchedulingQueueOptions = {}) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = opts.maxInUnschedulableMs ?? 300_000;
    this.now = opts.now ?? Date.now;
    this.less = opts.less ?? prioritySortLess;
    this.flushTimer = setInterval(() => this.flushUnschedulableLeftover(), Math.min(30_000, Math.max(10, this.maxInUnschedulableMs / 2)));
  }

  /** The number of pops so far (the current scheduling cycle). */
  schedulingCycle(): number { return this.cycle; }

  /** Sizes, for tests and logs. */
  stats(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.active.length, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  /** A new pending pod (or one seen again): queued in activeQ unless already queued somewhere. */
  add(pod: Pod): void {
    const key = metaNamespaceKey(pod);
    if (this.inFlight.has(key)) { this.changedInFlight.set(key, pod); return; }
    if (this.refresh(key, pod)) return;
    const t = this.now();
    this.pushActive({ key, pod, attempts: 0, timestamp: t, initialAttemptTimestamp: t });
  }

  /** A pending pod changed: refreshed in place; an unschedulable one gets another try (after its backoff). */
  update(pod: Pod): void {
    const key = metaNamespaceKey(pod);
    if (this.inFlight.has(key)) { this.changedInFlight.set(key, pod); return; }
    const u = this.unschedulable.get(key);
    if (u) {
      // Only a change that may make it schedulable moves it (upstream isPodUpdated): its
      // own status writes (PodScheduled=False) leave it parked.
      const moved = isPodUpdated(u.pod, pod);
      u.pod = pod;
      if (!moved) return;
      this.unschedulable.delete(key);
      this.requeueAfterMove(u);
      return;
    }
    if (!this.refresh(key, pod)) this.add(pod);
  }

  /** The pod was deleted or bound: forget it wherever it waits. */
  delete(pod: Pod): void {
    const key = metaNamespaceKey(pod);
    if (this.inFlight.has(key)) this.changedInFlight.set(key, null);
    this.removeQueued(key);
  }

  private removeQueued(key: string): void {
    this.unschedulable.delete(key);
    this.backoff.delete(key);
    const queued = this.activeKeys.get(key);
    if (!queued) return;
    this.activeKeys.delete(key);
    const i = this.active.indexOf(queued);
    if (i >= 0) this.active.splice(i, 1);
  }

  /**
   * The next pod to schedule, waiting until one is ready; undefined once closed (or when
   * `signal` aborts). The pod is in flight until done(), addUnschedulable() or addBackoff().
   */
  pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    const next = this.active.shift();
    if (next) { this.activeKeys.delete(next.key); return Promise.resolve(this.startFlight(next)); }
    return new Promise((resolve) => {
      const onAbort = (): void => { this.waiters = this.waiters.filter((w) => w !== waiter); resolve(undefined); };
      const waiter = (info: QueuedPodInfo | undefined): void => { signal?.removeEventListener('abort', onAbort); resolve(info); };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The in-flight pod was scheduled (or dropped): it leaves the queue. */
  done(key: string): void {
    this.inFlight.delete(key);
    this.changedInFlight.delete(key);
  }

  /**
   * The in-flight pod fits no node. It waits in the unschedulable pool for a cluster
   * event — unless a move request or an update of the pod arrived since it was popped
   * in `podCycle`, then it goes to backoffQ. A pod deleted meanwhile is dropped.
   */
  addUnschedulable(info: QueuedPodInfo, podCycle: number): void {
    const changed = this.finishFlight(info);
    if (changed === null) return;
    info.timestamp = this.now();
    if (changed || this.moveRequestCycle >= podCycle) this.addToBackoff(info);
    else { this.removeQueued(info.key); this.unschedulable.set(info.key, info); }
  }

  /** The in-flight (or already done) pod failed for another reason (error, bind failure): retried after its backoff. */
  addBackoff(info: QueuedPodInfo): void {
    if (this.finishFlight(info) === null) return;
    info.timestamp = this.now();
    this.addToBackoff(info);
  }

  /**
   * A cluster event (`event` names it for logs, e.g. NodeAdd) may make unschedulable pods
   * fit: each moves to backoffQ if still backing off, else to activeQ.
   */
  moveAllToActiveOrBackoff(_event: string): void {
    for (const info of this.unschedulable.values()) this.requeueAfterMove(info);
    this.unschedulable.clear();
    this.moveRequestCycle = this.cycle;
  }

  /** Ends pending pops (they resolve undefined) and stops the timers. */
  close(): void {
    this.closed = true;
    clearInterval(this.flushTimer);
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** When `info`'s backoff ends: timestamp + initial * 2^(attempts-1), capped. */
  backoffExpiry(info: QueuedPodInfo): number {
    const n = Math.max(0, info.attempts - 1);
    const d = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(n, 30));
    return info.timestamp + d;
  }

  private refresh(key: string, pod: Pod): boolean {
    const a = this.activeKeys.get(key) ?? this.backoff.get(key) ?? this.unschedulable.get(key);
    if (a) a.pod = pod;
    return a !== undefined;
  }

  private startFlight(info: QueuedPodInfo): QueuedPodInfo {
    this.cycle++;
    info.attempts++;
    this.inFlight.set(info.key, info);
    return info;
  }

  /** Ends the flight; returns the pod's change while in flight: null deleted, true updated, false none. */
  private finishFlight(info: QueuedPodInfo): boolean | null {
    const changed = this.changedInFlight.get(info.key);
    this.done(info.key);
    if (this.closed || changed === null) return null;
    if (changed) { info.pod = changed; return true; }
    return false;
  }

  private requeueAfterMove(info: QueuedPodInfo): void {
    if (this.backoffExpiry(info) > this.now()) this.addToBackoff(info);
    else this.pushActive(info);
  }

  private pushActive(info: QueuedPodInfo): void {
    const w = this.waiters.shift();
    if (w) { w(this.startFlight(info)); return; }
    // From the back, past every pod `info` pops before (equal ones keep their order).
    let i = this.active.length;
    while (i > 0 && this.less(info, this.active[i - 1])) i--;
    this.active.splice(i, 0, info);
    this.activeKeys.set(info.key, info);
  }

  private addToBackoff(info: QueuedPodInfo): void {
    this.removeQueued(info.key);
    this.backoff.set(info.key, info);
    this.scheduleBackoffFlush();
  }

  /** Moves expired backoffs to activeQ and re-arms the timer for the next expiry. */
  private flushBackoff(): void {
    this.backoffTimer = undefined;
    const now = this.now();
    const ready = [...this.backoff.values()].filter((i) => this.backoffExpiry(i) <= now);
    for (const info of ready) { this.backoff.delete(info.key); this.pushActive(info); }
    this.scheduleBackoffFlush();
  }

  private scheduleBackoffFlush(): void {
    if (this.closed || this.backoff.size === 0) return;
    let next = Infinity;
    for (const i of this.backoff.values()) next = Math.min(next, this.backoffExpiry(i));
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = setTimeout(() => this.flushBackoff(), Math.max(0, next - this.now()));
  }

  private flushUnschedulableLeftover(): void {
    const now = this.now();
    for (const [key, info] of this.unschedulable) {
      if (now - info.timestamp >= this.maxInUnschedulableMs) { this.unschedulable.delete(key); this.requeueAfterMove(info); }
    }
  }
}

/**
 * Whether an update may change where the pod fits (upstream isPodUpdated): anything but
 * resourceVersion, generation, status, managedFields and finalizers differs.
 */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod): unknown => {
    const { resourceVersion: _rv, generation: _g, managedFields: _m, finalizers: _f, ...metadata } = p.metadata;
    return { ...p, metadata, status: undefined };
  };
  return !isDeepStrictEqual(strip(oldPod), strip(newPod));
}
