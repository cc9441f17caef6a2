/** TypeScript shapes of the CRI v1 messages k8ts uses (camelCase, as proto-loader decodes them). */
export interface VersionResponse { version: string; runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }
export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface PortMapping { protocol: 'TCP' | 'UDP' | 'SCTP'; containerPort: number; hostPort: number; hostIp?: string }
export interface NamespaceOption { network?: NamespaceMode; pid?: NamespaceMode; ipc?: NamespaceMode; /** The container whose namespace TARGET means. */ targetId?: string }
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata; hostname?: string; logDirectory?: string;
  dnsConfig?: { servers?: string[]; searches?: string[]; options?: string[] };
  portMappings?: PortMapping[]; labels?: Record<string, string>; annotations?: Record<string, string>;
  linux?: { cgroupParent?: string; securityContext?: { namespaceOptions?: NamespaceOption; privileged?: boolean; runAsUser?: { value: number } }; sysctls?: Record<string, string> };
}
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export interface PodSandbox { id: string; metadata: PodSandboxMetadata; state: PodSandboxState; createdAt: number; labels: Record<string, string>; annotations: Record<string, string> }
export interface PodSandboxStatus extends PodSandbox { network?: { ip: string; additionalIps?: Array<{ ip: string }> } }
export interface PodSandboxFilter { id?: string; state?: { state: PodSandboxState }; labelSelector?: Record<string, string> }
export interface Mount { containerPath: string; hostPath: string; readonly?: boolean }
export interface ContainerConfig {
  metadata: { name: string; attempt: number }; image: { image: string }; command?: string[]; args?: string[]; workingDir?: string;
  envs?: Array<{ key: string; value: string }>; mounts?: Mount[]; labels?: Record<string, string>; annotations?: Record<string, string>;
  logPath?: string; stdin?: boolean; stdinOnce?: boolean; tty?: boolean;
  linux?: {
    resources?: { cpuPeriod?: number; cpuQuota?: number; cpuShares?: number; memoryLimitInBytes?: number; oomScoreAdj?: number };
    securityContext?: { namespaceOptions?: NamespaceOption; privileged?: boolean; runAsUser?: { value: number }; runAsGroup?: { value: number }; readonlyRootfs?: boolean; capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[] }; noNewPrivs?: boolean; supplementalGroups?: number[]; maskedPaths?: string[]; readonlyPaths?: string[] };
  };
}
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export interface Container { id: string; podSandboxId: string; metadata: { name: string; attempt: number }; image: { image: string }; imageRef: string; state: ContainerState; createdAt: number; labels: Record<string, string>; annotations: Record<string, string> }
export interface ContainerFilter { id?: string; state?: { state: ContainerState }; podSandboxId?: string; labelSelector?: Record<string, string> }
export interface ContainerStatus {
  id: string; metadata: { name: string; attempt: number }; state: ContainerState; createdAt: number; startedAt: number; finishedAt: number;
  exitCode: number; image: { image: string }; imageRef: string; reason: string; message: string; labels: Record<string, string>; annotations: Record<string, string>; logPath: string;
}
/** `uid`: the user the image runs as when numeric (CRI Image.uid); `username` otherwise. */
export interface Image { id: string; repoTags: string[]; repoDigests: string[]; size: number; uid?: { value: number }; username?: string }

/** A CRI UInt64Value: absent when the runtime does not know the value. */
export interface UInt64Value { value: number }
/** Filesystem usage; `timestamp` in ns since the epoch; bytes and inodes. */
export interface FilesystemUsage { timestamp: number; fsId?: { mountpoint: string }; usedBytes?: UInt64Value; inodesUsed?: UInt64Value }
/** CPU usage; `timestamp` in ns since the epoch; `usageCoreNanoSeconds` cumulative; `usageNanoCores` (containerd computes it, often absent). */
export interface CpuUsage { timestamp: number; usageCoreNanoSeconds?: UInt64Value; usageNanoCores?: UInt64Value }
/** Memory usage in bytes; `timestamp` in ns since the epoch. */
export interface MemoryUsage {
  timestamp: number; workingSetBytes?: UInt64Value; availableBytes?: UInt64Value; usageBytes?: UInt64Value;
  rssBytes?: UInt64Value; pageFaults?: UInt64Value; majorPageFaults?: UInt64Value;
}
export interface ContainerAttributes { id: string; metadata: { name: string; attempt: number }; labels: Record<string, string>; annotations: Record<string, string> }
export interface ContainerStats { attributes: ContainerAttributes; cpu?: CpuUsage; memory?: MemoryUsage; writableLayer?: FilesystemUsage }
export interface ContainerStatsFilter { id?: string; podSandboxId?: string; labelSelector?: Record<string, string> }
export interface NetworkInterfaceUsage { name: string; rxBytes?: UInt64Value; rxErrors?: UInt64Value; txBytes?: UInt64Value; txErrors?: UInt64Value }
export interface PodSandboxStats {
  attributes: { id: string; metadata: PodSandboxMetadata; labels: Record<string, string>; annotations: Record<string, string> };
  linux?: {
    cpu?: CpuUsage; memory?: MemoryUsage;
    network?: { timestamp: number; defaultInterface?: NetworkInterfaceUsage; interfaces?: NetworkInterfaceUsage[] };
    process?: { timestamp: number; processCount?: UInt64Value };
    containers?: ContainerStats[];
  };
}
export interface PodSandboxStatsFilter { id?: string; labelSelector?: Record<string, string> }
export interface ImageFsInfo { imageFilesystems: FilesystemUsage[]; containerFilesystems: FilesystemUsage[] }
