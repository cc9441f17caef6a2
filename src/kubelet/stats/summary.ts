/**
 * Builds the stats/v1alpha1 Summary (`GET /stats/summary`) the way upstream's CRI stats
 * provider does (pkg/kubelet/stats/cri_stats_provider.go + provider.go):
 * - pods: one entry per ready sandbox (ListPodSandbox, ListPodSandboxStats) with the
 *   latest running container per name (ListContainers for names and start times,
 *   ListContainerStats for usage); pod cpu/memory from the sandbox stats, else the sum of
 *   its containers; `startTime` is the sandbox's creation;
 * - container `logs` from the sizes of the files under the pod's log directory, `rootfs`
 *   from the writable layer; pod `volume` = the bytes under each of the pod's volume dirs
 *   (`pods/<uid>/volumes/<name>`: emptyDir, configMap, secret, downwardAPI, projected);
 *   pod `ephemeral-storage` = Σ rootfs + logs + volumes;
 * - node: /proc (see machine.ts), `fs` = statfs of the kubelet dir, `runtime.imageFs` =
 *   statfs of the runtime's image filesystem with the runtime's used bytes (ImageFsInfo);
 *   `systemContainers`: `kubelet` = this Node.js process (k8ts runs the kubelet inside
 *   the server process, so it counts the whole server): cpu from process.cpuUsage(),
 *   memory from process.memoryUsage().rss.
 * `usageNanoCores` comes from the runtime when it reports it, otherwise from two samples
 * of cumulative cpu: Δ core-ns / Δ ns × 1e9, the previous sample kept per container id
 * (pods: sandbox id; the node: "node"), like upstream's cpuUsageCache.
 * CRI errors propagate (the HTTP handler answers 500).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CriClient } from '../cri/cri-client.js';
import type { CpuUsage, MemoryUsage, FilesystemUsage, ContainerStats as CriContainerStats } from '../cri/types.js';
import { fsUsage, readMachine, type MachineSample, type FsUsage } from './machine.js';
import type { CPUStats, ContainerStats, FsStats, MemoryStats, PodStats, Summary, VolumeStats } from './types.js';

const iso = (ns: number): string => new Date(Math.floor(ns / 1e6)).toISOString().replace(/\.\d+Z$/, 'Z');

/** One cumulative cpu reading: `timestampNs` and `usageCoreNanoSeconds`. */
interface CpuSample { timestampNs: number; usage: number; rate?: number }

/** Keeps the previous cumulative cpu sample per key and derives nanocores from it. */
export class CpuRateCache {
  private samples = new Map<string, CpuSample>();
  private seen = new Set<string>();

  /** Nanocores between the previous sample of `key` and this one (undefined on the first sample or a counter reset). */
  rate(key: string, timestampNs: number, usage: number): number | undefined {
    this.seen.add(key);
    const prev = this.samples.get(key);
    if (prev && timestampNs <= prev.timestampNs) return prev.rate;
    let rate: number | undefined;
    if (prev && usage >= prev.usage) rate = Math.round(((usage - prev.usage) / (timestampNs - prev.timestampNs)) * 1e9);
    this.samples.set(key, { timestampNs, usage, rate });
    return rate;
  }

  /** Forgets keys not used since the last prune (containers that went away). */
  prune(): void {
    for (const k of this.samples.keys()) if (!this.seen.has(k)) this.samples.delete(k);
    this.seen.clear();
  }
}

/** Sums the sizes (bytes) of the files under `dir`, recursively; 0 when missing. */
export function dirBytes(dir: string): number {
  let total = 0;
  let names: string[];
  try { names = readdirSync(dir); } catch { return 0; }
  for (const n of names) {
    try {
      const p = join(dir, n);
      const s = statSync(p);
      total += s.isDirectory() ? dirBytes(p) : s.size;
    } catch { /* vanished */ }
  }
  return total;
}

export interface SummaryOptions {
  cri: CriClient;
  nodeName: string;
  /** Kubelet root dir: node fs, and logs/<ns>_<name>_<uid>/<container>/ for container logs. */
  rootDir: string;
  /** The machine's readings (default: /proc). */
  machine?: () => MachineSample;
  /** statfs (default: the real one). */
  statfs?: (path: string) => FsUsage | undefined;
  now?: () => number;
}

export class SummaryProvider {
  private readonly cpu = new CpuRateCache();
  constructor(private readonly opts: SummaryOptions) {}

  private cpuStats(key: string, u: CpuUsage | undefined): CPUStats | undefined {
    if (!u) return undefined;
    const usage = u.usageCoreNanoSeconds?.value;
    let nano = u.usageNanoCores?.value;
    const derived = usage !== undefined ? this.cpu.rate(key, u.timestamp, usage) : undefined;
    nano ??= derived;
    return { time: iso(u.timestamp), ...(nano !== undefined ? { usageNanoCores: nano } : {}), ...(usage !== undefined ? { usageCoreNanoSeconds: usage } : {}) };
  }

  private static memStats(m: MemoryUsage | undefined): MemoryStats | undefined {
    if (!m) return undefined;
    const out: MemoryStats = { time: iso(m.timestamp) };
    for (const k of ['availableBytes', 'usageBytes', 'workingSetBytes', 'rssBytes', 'pageFaults', 'majorPageFaults'] as const) {
      const v = m[k]?.value;
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  private fsStats(nowNs: number, used: number | undefined, fs: FsUsage | undefined, inodesUsed?: number): FsStats {
    return {
      time: iso(nowNs),
      ...(fs ? { availableBytes: fs.availableBytes, capacityBytes: fs.capacityBytes, inodesFree: fs.inodesFree, inodes: fs.inodes } : {}),
      ...(used !== undefined ? { usedBytes: used } : {}),
      ...(inodesUsed !== undefined ? { inodesUsed } : {}),
    };
  }

  /** The Summary now. */
  async get(): Promise<Summary> {
    const { cri, rootDir } = this.opts;
    const statfs = this.opts.statfs ?? fsUsage;
    const nowNs = (this.opts.now?.() ?? Date.now()) * 1e6;
    const [sandboxes, containers, cstats, sbstats, imageFs] = await Promise.all([
      cri.listPodSandbox({ state: { state: 'SANDBOX_READY' } }), cri.listContainers({ state: { state: 'CONTAINER_RUNNING' } }),
      cri.listContainerStats({}), cri.listPodSandboxStats({}).catch(() => []), cri.imageFsInfo().catch(() => undefined),
    ]);
    const nodeFs = statfs(rootDir);
    const imgUsage: FilesystemUsage | undefined = imageFs?.imageFilesystems[0];
    const imgFs = statfs(imgUsage?.fsId?.mountpoint || rootDir);
    const byId = new Map<string, CriContainerStats>(cstats.map((s) => [s.attributes.id, s]));
    const sbById = new Map(sbstats.map((s) => [s.attributes.id, s]));

    const pods: PodStats[] = [];
    for (const sb of sandboxes) {
      const { name, namespace, uid } = sb.metadata;
      const latest = new Map<string, (typeof containers)[number]>();
      for (const c of containers) {
        if (c.podSandboxId !== sb.id) continue;
        const prev = latest.get(c.metadata.name);
        if (!prev || c.createdAt > prev.createdAt) latest.set(c.metadata.name, c);
      }
      const logDir = join(rootDir, 'logs', `${namespace}_${name}_${uid}`);
      let ephemeral = 0;
      const cs: ContainerStats[] = [];
      for (const c of [...latest.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
        const st = byId.get(c.id);
        const cpu = this.cpuStats(c.id, st?.cpu);
        const memory = SummaryProvider.memStats(st?.memory);
        const rootUsed = st?.writableLayer?.usedBytes?.value;
        const logsUsed = dirBytes(join(logDir, c.metadata.name));
        ephemeral += (rootUsed ?? 0) + logsUsed;
        cs.push({
          name: c.metadata.name, startTime: iso(c.createdAt),
          ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}),
          rootfs: this.fsStats(nowNs, rootUsed, imgFs, st?.writableLayer?.inodesUsed?.value),
          logs: this.fsStats(nowNs, logsUsed, nodeFs),
        });
      }
      const volDir = join(rootDir, 'pods', uid, 'volumes');
      let volNames: string[] = [];
      try { volNames = readdirSync(volDir).sort(); } catch { /* no volumes */ }
      const volume: VolumeStats[] = volNames.map((v) => {
        const used = dirBytes(join(volDir, v));
        ephemeral += used;
        return { ...this.fsStats(nowNs, used, nodeFs), name: v };
      });
      const linux = sbById.get(sb.id)?.linux;
      let cpu = this.cpuStats(`pod:${sb.id}`, linux?.cpu);
      let memory = SummaryProvider.memStats(linux?.memory);
      if (!cpu && cs.some((c) => c.cpu)) {
        const sum = (k: 'usageNanoCores' | 'usageCoreNanoSeconds'): number | undefined => cs.some((c) => c.cpu?.[k] !== undefined) ? cs.reduce((a, c) => a + (c.cpu?.[k] ?? 0), 0) : undefined;
        cpu = { time: iso(nowNs) };
        const n = sum('usageNanoCores'); const t = sum('usageCoreNanoSeconds');
        if (n !== undefined) cpu.usageNanoCores = n;
        if (t !== undefined) cpu.usageCoreNanoSeconds = t;
      }
      if (!memory && cs.some((c) => c.memory)) {
        memory = { time: iso(nowNs) };
        for (const k of ['usageBytes', 'workingSetBytes', 'rssBytes', 'pageFaults', 'majorPageFaults'] as const) {
          if (cs.some((c) => c.memory?.[k] !== undefined)) memory[k] = cs.reduce((a, c) => a + (c.memory?.[k] ?? 0), 0);
        }
      }
      const procs = linux?.process?.processCount?.value;
      pods.push({
        podRef: { name, namespace, uid }, startTime: iso(sb.createdAt), containers: cs,
        ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}),
        ...(volume.length ? { volume } : {}),
        'ephemeral-storage': this.fsStats(nowNs, ephemeral, nodeFs),
        ...(procs !== undefined ? { process_stats: { process_count: procs } } : {}),
      });
    }

    const m = (this.opts.machine ?? readMachine)();
    const pu = process.cpuUsage();
    const rss = process.memoryUsage().rss;
    const selfCpu = this.cpuStats('kubelet', { timestamp: nowNs, usageCoreNanoSeconds: { value: (pu.user + pu.system) * 1000 } });
    const nodeCpu = m.cpuCoreNanoSeconds !== undefined ? this.cpuStats('node', { timestamp: nowNs, usageCoreNanoSeconds: { value: m.cpuCoreNanoSeconds } }) : undefined;
    this.cpu.prune();
    return {
      node: {
        nodeName: this.opts.nodeName,
        systemContainers: [{
          name: 'kubelet', startTime: iso((Date.now() - process.uptime() * 1000) * 1e6),
          ...(selfCpu ? { cpu: selfCpu } : {}), memory: { time: iso(nowNs), usageBytes: rss, workingSetBytes: rss, rssBytes: rss },
        }],
        startTime: iso((m.bootTimeMs ?? 0) * 1e6),
        ...(nodeCpu ? { cpu: nodeCpu } : {}),
        memory: {
          time: iso(nowNs), availableBytes: m.memory.availableBytes, usageBytes: m.memory.usageBytes, workingSetBytes: m.memory.workingSetBytes,
          rssBytes: m.memory.rssBytes, ...(m.memory.pageFaults !== undefined ? { pageFaults: m.memory.pageFaults } : {}),
          ...(m.memory.majorPageFaults !== undefined ? { majorPageFaults: m.memory.majorPageFaults } : {}),
        },
        fs: this.fsStats(nowNs, nodeFs?.usedBytes, nodeFs, nodeFs?.inodesUsed),
        runtime: {
          imageFs: this.fsStats(nowNs, imgUsage?.usedBytes?.value, imgFs, imgUsage?.inodesUsed?.value),
        },
        rlimit: { time: iso(nowNs), ...(m.maxPid !== undefined ? { maxpid: m.maxPid } : {}), ...(m.curProc !== undefined ? { curproc: m.curProc } : {}) },
      },
      pods,
    };
  }
}
