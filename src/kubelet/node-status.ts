/**
 * The kubelet's Node (upstream pkg/kubelet/kubelet_node_status.go and nodestatus/):
 * registration, capacity from the machine, conditions, addresses, node info and the
 * kubelet endpoint.
 */
import { readFileSync, statfsSync } from 'node:fs';
import { cpus, hostname, release, arch } from 'node:os';
import type { Node } from '../api/core/v1/types.js';
import type { Condition } from '../api/meta/v1/types.js';
import { rfc3339 } from '../machinery/time.js';
import type { Image } from './cri/types.js';
import { allocatable, type Pressure } from './eviction.js';

export const KUBELET_VERSION = 'v1.32.4-k8ts';

const readOr = (path: string, fallback: string): string => { try { return readFileSync(path, 'utf8').trim(); } catch { return fallback; } };

/** Capacity of this machine: cpu (cores), memory (Ki), pods, ephemeral-storage (Ki) of `dataDir`. */
export function machineCapacity(dataDir: string): Record<string, string> {
  const memKi = Number(/MemTotal:\s+(\d+)/.exec(readOr('/proc/meminfo', 'MemTotal: 0'))?.[1] ?? 0);
  let storageKi = 0;
  try { const s = statfsSync(dataDir); storageKi = Math.floor((s.blocks * s.bsize) / 1024); } catch { /* unknown */ }
  return { cpu: String(cpus().length), memory: `${memKi}Ki`, pods: '110', 'ephemeral-storage': `${storageKi}Ki`, 'hugepages-2Mi': '0', 'hugepages-1Gi': '0' };
}

function osImage(): string {
  return /PRETTY_NAME="?([^"\n]*)"?/.exec(readOr('/etc/os-release', ''))?.[1] ?? 'Linux';
}

/**
 * `nodeIP` is unknown (undefined) until the pod network is set up: the Node then has only
 * its Hostname address. `images`: `status.images` (see nodeImages); `pressure`: the
 * eviction manager's view (eviction.ts), all False when unknown.
 */
export interface NodeStatusInput {
  nodeName: string; nodeIP?: string; port: number; dataDir: string; runtimeVersion: string; ready: boolean; notReadyMessage?: string; previous?: Condition[];
  images?: Array<{ names: string[]; sizeBytes: number }>; pressure?: Pressure;
}

/** Upstream's limits (nodestatus/setters.go): the 50 largest images, 5 names each. */
export const MAX_IMAGES_IN_NODE_STATUS = 50;
export const MAX_NAMES_PER_IMAGE = 5;

/** `status.images` from CRI ListImages: largest first, names = repoDigests then repoTags. */
export function nodeImages(images: Image[]): Array<{ names: string[]; sizeBytes: number }> {
  return [...images].sort((a, b) => Number(b.size) - Number(a.size)).slice(0, MAX_IMAGES_IN_NODE_STATUS)
    .map((img) => ({ names: [...(img.repoDigests ?? []), ...(img.repoTags ?? [])].slice(0, MAX_NAMES_PER_IMAGE), sizeBytes: Number(img.size) }))
    .filter((img) => img.names.length > 0);
}


/** The Node's status as the kubelet reports it. */
export function nodeStatus(i: NodeStatusInput): NonNullable<Node['status']> {
  const cap = machineCapacity(i.dataDir);
  const t = rfc3339();
  const cond = (type: string, status: string, reason: string, message: string): Condition => {
    const prev = i.previous?.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: t, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : t, reason, message };
  };
  return {
    capacity: cap, allocatable: allocatable(cap),
    conditions: [
      i.pressure?.memory ? cond('MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available')
        : cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      i.pressure?.disk ? cond('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure')
        : cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      i.pressure?.pid ? cond('PIDPressure', 'True', 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available')
        : cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      i.ready ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : cond('Ready', 'False', 'KubeletNotReady', i.notReadyMessage ?? 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'),
    ],
    addresses: [...(i.nodeIP ? [{ type: 'InternalIP', address: i.nodeIP }] : []), { type: 'Hostname', address: i.nodeName }],
    daemonEndpoints: { kubeletEndpoint: { Port: i.port } },
    ...(i.images ? { images: i.images } : {}),
    nodeInfo: {
      machineID: readOr('/etc/machine-id', ''), systemUUID: readOr('/sys/class/dmi/id/product_uuid', ''), bootID: readOr('/proc/sys/kernel/random/boot_id', ''),
      kernelVersion: release(), osImage: osImage(), containerRuntimeVersion: i.runtimeVersion, kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '', operatingSystem: 'linux', architecture: arch() === 'x64' ? 'amd64' : arch(),
    },
  };
}

/** Labels of a newly registered Node. */
export function nodeLabels(nodeName: string, extra: Record<string, string> = {}): Record<string, string> {
  const a = arch() === 'x64' ? 'amd64' : arch();
  return { 'beta.kubernetes.io/arch': a, 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': a, 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', ...extra };
}

export const defaultNodeName = (): string => hostname().toLowerCase();
