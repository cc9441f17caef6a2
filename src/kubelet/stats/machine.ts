/**
 * The node's own usage from /proc and statfs (upstream gets it from cAdvisor's root
 * cgroup; k8ts reads the same quantities from the kernel directly):
 * - cpu: `/proc/stat` first line, busy ticks (user nice system irq softirq steal) at
 *   USER_HZ=100 → core-nanoseconds;
 * - memory: `/proc/meminfo` (kB) with the root cgroup's definitions: usage = total − free,
 *   workingSet = usage − Inactive(file), available = total − workingSet; `/proc/vmstat`
 *   pgfault/pgmajfault;
 * - filesystems: statfs of a path (bytes, inodes);
 * - rlimit: `/proc/sys/kernel/pid_max` and the scheduling entities of `/proc/loadavg`.
 * Every reader returns undefined fields rather than throwing when a file is missing.
 */
import { readFileSync, statfsSync } from 'node:fs';

const read = (path: string): string => { try { return readFileSync(path, 'utf8'); } catch { return ''; } };

const USER_HZ = 100;

/** Cumulative busy cpu time of the machine in core-nanoseconds, from `/proc/stat` text. */
export function parseProcStatCpu(text: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + (irq || 0) + (softirq || 0) + (steal || 0)) * 1e9) / USER_HZ;
}

/** Boot time (ms since the epoch) from `/proc/stat`'s `btime`. */
export function parseBootTime(text: string): number | undefined {
  const m = /^btime\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}

export interface MachineMemory { capacityBytes: number; usageBytes: number; workingSetBytes: number; availableBytes: number; rssBytes: number; pageFaults?: number; majorPageFaults?: number }

/** Memory of the machine in bytes from `/proc/meminfo` (and `/proc/vmstat`) text. */
export function parseMeminfo(meminfo: string, vmstat = ''): MachineMemory {
  const kb = (k: string): number => Number(new RegExp(`^${k.replace(/[()]/g, '\\$&')}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
  const total = kb('MemTotal');
  const usage = Math.max(0, total - kb('MemFree'));
  const workingSet = Math.max(0, usage - kb('Inactive(file)'));
  const num = (k: string): number | undefined => { const m = new RegExp(`^${k}\\s+(\\d+)`, 'm').exec(vmstat); return m ? Number(m[1]) : undefined; };
  return {
    capacityBytes: total, usageBytes: usage, workingSetBytes: workingSet, availableBytes: Math.max(0, total - workingSet),
    rssBytes: Math.max(0, usage - kb('Buffers') - kb('Cached')), pageFaults: num('pgfault'), majorPageFaults: num('pgmajfault'),
  };
}

export interface FsUsage { capacityBytes: number; availableBytes: number; usedBytes: number; inodes: number; inodesFree: number; inodesUsed: number }

/** statfs of `path`; undefined when it cannot be read. */
export function fsUsage(path: string): FsUsage | undefined {
  try {
    const s = statfsSync(path);
    return {
      capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize, usedBytes: (s.blocks - s.bfree) * s.bsize,
      inodes: s.files, inodesFree: s.ffree, inodesUsed: s.files - s.ffree,
    };
  } catch { return undefined; }
}

/** The machine's current readings. */
export interface MachineSample { cpuCoreNanoSeconds?: number; bootTimeMs?: number; memory: MachineMemory; maxPid?: number; curProc?: number }

export function readMachine(): MachineSample {
  const stat = read('/proc/stat');
  const pidMax = Number(read('/proc/sys/kernel/pid_max').trim());
  const procs = /\d+\/(\d+)/.exec(read('/proc/loadavg'))?.[1];
  return {
    cpuCoreNanoSeconds: parseProcStatCpu(stat), bootTimeMs: parseBootTime(stat),
    memory: parseMeminfo(read('/proc/meminfo'), read('/proc/vmstat')),
    maxPid: pidMax > 0 ? pidMax : undefined, curProc: procs ? Number(procs) : undefined,
  };
}
