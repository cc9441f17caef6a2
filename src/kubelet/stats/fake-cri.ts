/**
 * A fake CRI client for unit tests of the stats, metrics and API code: fixed sandboxes,
 * containers, images and mutable usage. Methods not listed throw.
 */
import type { CriClient } from '../cri/cri-client.js';
import type { Container, ContainerStats, Image, PodSandbox, PodSandboxStats } from '../cri/types.js';

export interface FakeCriState {
  sandboxes: PodSandbox[]; containers: Container[]; containerStats: ContainerStats[]; sandboxStats: PodSandboxStats[]; images: Image[];
}

export function fakeStatsCri(state: FakeCriState): CriClient {
  const fail = (): never => { throw new Error('not in the fake'); };
  const match = (labels: Record<string, string>, sel?: Record<string, string>): boolean => Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);
  return new Proxy({
    listPodSandbox: async (f?: { state?: { state: string }; labelSelector?: Record<string, string> }) => state.sandboxes.filter((s) => (!f?.state || s.state === f.state.state) && match(s.labels, f?.labelSelector)),
    listContainers: async (f?: { state?: { state: string }; labelSelector?: Record<string, string> }) => state.containers.filter((c) => (!f?.state || c.state === f.state.state) && match(c.labels, f?.labelSelector)),
    listContainerStats: async () => state.containerStats,
    listPodSandboxStats: async () => state.sandboxStats,
    imageFsInfo: async () => ({ imageFilesystems: [{ timestamp: 0, fsId: { mountpoint: '/' }, usedBytes: { value: 1000 }, inodesUsed: { value: 10 } }], containerFilesystems: [] }),
    listImages: async () => state.images,
    close: () => undefined,
  } as Partial<CriClient>, { get: (t, k) => (t as Record<string | symbol, unknown>)[k] ?? fail }) as CriClient;
}

/** A sandbox `ns/name` with uid `uid`, created at `createdAtNs`. */
export const sandbox = (id: string, ns: string, name: string, uid: string, createdAtNs = 1_700_000_000e9): PodSandbox => ({
  id, metadata: { name, namespace: ns, uid, attempt: 0 }, state: 'SANDBOX_READY', createdAt: createdAtNs,
  labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': ns, 'io.kubernetes.pod.uid': uid }, annotations: {},
});

export const container = (id: string, sb: PodSandbox, name: string, createdAtNs = 1_700_000_001e9, state: Container['state'] = 'CONTAINER_RUNNING'): Container => ({
  id, podSandboxId: sb.id, metadata: { name, attempt: 0 }, image: { image: 'busybox' }, imageRef: 'sha256:x', state, createdAt: createdAtNs,
  labels: { ...sb.labels, 'io.kubernetes.container.name': name }, annotations: {},
});

export const usage = (id: string, name: string, tsNs: number, cpuNs: number, workingSet: number): ContainerStats => ({
  attributes: { id, metadata: { name, attempt: 0 }, labels: {}, annotations: {} },
  cpu: { timestamp: tsNs, usageCoreNanoSeconds: { value: cpuNs } },
  memory: { timestamp: tsNs, workingSetBytes: { value: workingSet }, usageBytes: { value: workingSet + 100 } },
  writableLayer: { timestamp: tsNs, fsId: { mountpoint: '/' }, usedBytes: { value: 4096 } },
});
