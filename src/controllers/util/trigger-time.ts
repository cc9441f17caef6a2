/**
 * The last-change trigger time tracker (upstream pkg/controller/util/endpoint
 * trigger_time_tracker.go): per service, remembers the pods' Ready-condition transition
 * times and the service's creation time seen at the last sync, and returns the
 * earliest of those that changed since — the value of
 * `endpoints.kubernetes.io/last-change-trigger-time` — or undefined when none did.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Service } from '../../api/core/v1/types.js';

interface State { service: number; pods: Map<string, number> }

export class TriggerTimeTracker {
  private readonly states = new Map<string, State>();

  /** Earliest changed trigger time (ms since epoch) of `svc` and `pods`, updating the state. */
  compute(key: string, svc: Service, pods: Pod[]): number | undefined {
    const last = this.states.get(key);
    const next: State = { service: 0, pods: new Map() };
    let min: number | undefined;
    const consider = (t: number) => { min = min === undefined ? t : Math.min(min, t); };
    for (const p of pods) {
      const c = (p.status?.conditions ?? []).find((x) => x.type === 'Ready');
      const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
      if (!Number.isFinite(t)) continue;
      next.pods.set(p.metadata.name!, t);
      if (t > (last?.pods.get(p.metadata.name!) ?? -Infinity)) consider(t);
    }
    const st = svc.metadata.creationTimestamp ? Date.parse(svc.metadata.creationTimestamp) : NaN;
    if (Number.isFinite(st)) {
      next.service = st;
      if (st > (last?.service ?? -Infinity)) consider(st);
    }
    this.states.set(key, next);
    return min;
  }

  delete(key: string): void { this.states.delete(key); }
}

/** RFC 3339 (Go's RFC3339Nano drops zero fractions) of a trigger time. */
export const formatTriggerTime = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
