/**
 * The kubelet's stats/v1alpha1 Summary API shapes (upstream
 * k8s.io/kubelet/pkg/apis/stats/v1alpha1/types.go), as served by `GET /stats/summary`.
 * Times are RFC 3339 strings; cpu in nanocores / core-nanoseconds; memory and
 * filesystems in bytes. Optional fields are omitted when unknown (upstream `omitempty`).
 */
export interface CPUStats { time: string; usageNanoCores?: number; usageCoreNanoSeconds?: number }
export interface MemoryStats {
  time: string; availableBytes?: number; usageBytes?: number; workingSetBytes?: number;
  rssBytes?: number; pageFaults?: number; majorPageFaults?: number;
}
export interface FsStats {
  time: string; availableBytes?: number; capacityBytes?: number; usedBytes?: number;
  inodesFree?: number; inodes?: number; inodesUsed?: number;
}
export interface InterfaceStats { name: string; rxBytes?: number; rxErrors?: number; txBytes?: number; txErrors?: number }
export interface NetworkStats extends Partial<InterfaceStats> { time: string; interfaces?: InterfaceStats[] }
export interface RlimitStats { time: string; maxpid?: number; curproc?: number }
export interface ContainerStats {
  name: string; startTime: string; cpu?: CPUStats; memory?: MemoryStats; rootfs?: FsStats; logs?: FsStats;
}
export interface NodeStats {
  nodeName: string; systemContainers?: ContainerStats[]; startTime: string; cpu?: CPUStats; memory?: MemoryStats;
  network?: NetworkStats; fs?: FsStats; runtime?: { imageFs?: FsStats; containerFs?: FsStats }; rlimit?: RlimitStats;
}
export interface VolumeStats extends FsStats { name: string; pvcRef?: { name: string; namespace: string } }
export interface PodStats {
  podRef: { name: string; namespace: string; uid: string }; startTime: string; containers: ContainerStats[];
  cpu?: CPUStats; memory?: MemoryStats; network?: NetworkStats; volume?: VolumeStats[];
  'ephemeral-storage'?: FsStats; process_stats?: { process_count?: number };
}
export interface Summary { node: NodeStats; pods: PodStats[] }
