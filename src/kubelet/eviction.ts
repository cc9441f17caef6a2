/**
 * Eviction signals and hard thresholds (upstream pkg/kubelet/eviction: api/types.go,
 * defaults_linux.go, helpers.go), used for the node's pressure conditions and its
 * allocatable. k8ts observes; it does not evict pods yet.
 *
 * Defaults (upstream's DefaultEvictionHard on Linux): memory.available<100Mi,
 * nodefs.available<10%, nodefs.inodesFree<5%, imagefs.available<15%,
 * imagefs.inodesFree<5%; plus pid.available<10% (a k8ts default: upstream has no PID
 * threshold unless configured, so PIDPressure would never be True).
 * Signals (bytes, inodes, pids): memory.available = capacity − working set;
 * nodefs = the kubelet dir's filesystem; imagefs = the runtime's image filesystem;
 * pid.available = pid_max − current processes.
 */
import type { MachineSample, FsUsage } from './stats/machine.js';

export type Signal = 'memory.available' | 'nodefs.available' | 'nodefs.inodesFree' | 'imagefs.available' | 'imagefs.inodesFree' | 'pid.available';

/** A hard threshold: `signal` < `quantity` (absolute) or < `percentage` (0–1) of the capacity. */
export interface Threshold { signal: Signal; quantity?: number; percentage?: number }

export const DEFAULT_HARD_EVICTION: Threshold[] = [
  { signal: 'memory.available', quantity: 100 * 1024 * 1024 },
  { signal: 'nodefs.available', percentage: 0.1 },
  { signal: 'nodefs.inodesFree', percentage: 0.05 },
  { signal: 'imagefs.available', percentage: 0.15 },
  { signal: 'imagefs.inodesFree', percentage: 0.05 },
  { signal: 'pid.available', percentage: 0.1 },
];

/** One observed signal: what is available and out of what capacity. */
export interface Observation { available: number; capacity: number }
export type Observations = Partial<Record<Signal, Observation>>;

/** Observations from the machine's readings and the node / image filesystems (either may be unknown). */
export function observe(m: MachineSample, nodefs?: FsUsage, imagefs?: FsUsage): Observations {
  const o: Observations = {};
  if (m.memory.capacityBytes > 0) o['memory.available'] = { available: m.memory.availableBytes, capacity: m.memory.capacityBytes };
  if (nodefs) {
    o['nodefs.available'] = { available: nodefs.availableBytes, capacity: nodefs.capacityBytes };
    if (nodefs.inodes > 0) o['nodefs.inodesFree'] = { available: nodefs.inodesFree, capacity: nodefs.inodes };
  }
  const img = imagefs ?? nodefs;
  if (img) {
    o['imagefs.available'] = { available: img.availableBytes, capacity: img.capacityBytes };
    if (img.inodes > 0) o['imagefs.inodesFree'] = { available: img.inodesFree, capacity: img.inodes };
  }
  if (m.maxPid !== undefined && m.curProc !== undefined) o['pid.available'] = { available: m.maxPid - m.curProc, capacity: m.maxPid };
  return o;
}

/** The threshold's value in the signal's unit for `capacity`. */
export const thresholdValue = (t: Threshold, capacity: number): number => t.quantity ?? Math.round((t.percentage ?? 0) * capacity);

/** Signals whose threshold is met (available below it). Unobserved signals are never met. */
export function thresholdsMet(obs: Observations, thresholds: Threshold[] = DEFAULT_HARD_EVICTION): Set<Signal> {
  const met = new Set<Signal>();
  for (const t of thresholds) {
    const o = obs[t.signal];
    if (o && o.available < thresholdValue(t, o.capacity)) met.add(t.signal);
  }
  return met;
}

/** Node pressure per upstream's signal → condition map. */
export interface Pressure { memory: boolean; disk: boolean; pid: boolean }

export function pressure(met: Set<Signal>): Pressure {
  return {
    memory: met.has('memory.available'),
    disk: ['nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree'].some((s) => met.has(s as Signal)),
    pid: met.has('pid.available'),
  };
}

/**
 * Allocatable = capacity − hard eviction threshold (upstream
 * ContainerManager.GetNodeAllocatableReservation with no kube/system reserved): memory
 * less memory.available, ephemeral-storage less nodefs.available. Quantities in the
 * capacity map are `<n>Ki` or plain numbers; the results are in Ki for those two.
 */
export function allocatable(capacity: Record<string, string>, thresholds: Threshold[] = DEFAULT_HARD_EVICTION): Record<string, string> {
  const out = { ...capacity };
  const bytes = (q: string): number => (q.endsWith('Ki') ? Number(q.slice(0, -2)) * 1024 : Number(q));
  const reduce = (resource: string, signal: Signal): void => {
    const t = thresholds.find((x) => x.signal === signal);
    if (!t || capacity[resource] === undefined) return;
    const cap = bytes(capacity[resource]);
    out[resource] = `${Math.floor(Math.max(0, cap - thresholdValue(t, cap)) / 1024)}Ki`;
  };
  reduce('memory', 'memory.available');
  reduce('ephemeral-storage', 'nodefs.available');
  return out;
}
