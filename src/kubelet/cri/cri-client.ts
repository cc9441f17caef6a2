/**
 * A typed CRI v1 client over gRPC to a unix socket (@grpc/grpc-js + proto-loader with
 * the kubelet's copy of api.proto). Field names are camelCase; int64 values are
 * numbers; enums are their names ('SANDBOX_READY', 'CONTAINER_RUNNING', ...).
 * Every call has a deadline (default 2 min; image pulls 10 min).
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type * as T from './types.js';

const PROTO = fileURLToPath(new URL('./api.proto', import.meta.url));
let loaded: grpc.GrpcObject | undefined;

function load(): grpc.GrpcObject {
  loaded ??= grpc.loadPackageDefinition(protoLoader.loadSync(PROTO, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true }));
  return loaded;
}

export interface CriClient {
  version(): Promise<T.VersionResponse>;
  runPodSandbox(config: T.PodSandboxConfig): Promise<string>;
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<T.PodSandboxStatus>;
  listPodSandbox(filter?: T.PodSandboxFilter): Promise<T.PodSandbox[]>;
  createContainer(podSandboxId: string, config: T.ContainerConfig, sandboxConfig: T.PodSandboxConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** `timeout` in seconds: SIGTERM, then SIGKILL after it. */
  stopContainer(id: string, timeout: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: T.ContainerFilter): Promise<T.Container[]>;
  containerStatus(id: string): Promise<T.ContainerStatus>;
  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<{ stdout: Buffer; stderr: Buffer; exitCode: number }>;
  /** Prepares a streaming exec; returns the runtime's streaming URL (a WebSocket endpoint). */
  exec(req: { containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<string>;
  /** Prepares a streaming attach; returns the runtime's streaming URL. */
  attach(req: { containerId: string; stdin: boolean; tty: boolean; stdout: boolean; stderr: boolean }): Promise<string>;
  /** Prepares port forwarding into a sandbox; returns the runtime's streaming URL. */
  portForward(req: { podSandboxId: string; port: number[] }): Promise<string>;
  /** Resource usage of containers (CRI ListContainerStats). */
  listContainerStats(filter?: T.ContainerStatsFilter): Promise<T.ContainerStats[]>;
  /** Resource usage of sandboxes with their containers (CRI ListPodSandboxStats). */
  listPodSandboxStats(filter?: T.PodSandboxStatsFilter): Promise<T.PodSandboxStats[]>;
  /** Usage of the filesystems holding images and writable layers (CRI ImageFsInfo). */
  imageFsInfo(): Promise<T.ImageFsInfo>;
  /** Every image the runtime has (CRI ListImages). */
  listImages(): Promise<T.Image[]>;
  imageStatus(image: string): Promise<T.Image | undefined>;
  pullImage(image: string): Promise<string>;
  close(): void;
}

/** Connects to the runtime at `address` (a unix socket path). */
export function createCriClient(address: string): CriClient {
  const pkg = (load().runtime as grpc.GrpcObject).v1 as grpc.GrpcObject;
  const target = `unix://${address}`;
  const opts = { 'grpc.max_receive_message_length': 16 * 1024 * 1024 };
  const rt = new (pkg.RuntimeService as grpc.ServiceClientConstructor)(target, grpc.credentials.createInsecure(), opts);
  const img = new (pkg.ImageService as grpc.ServiceClientConstructor)(target, grpc.credentials.createInsecure(), opts);
  const call = <R>(client: grpc.Client, method: string, req: object, timeoutMs = 120_000): Promise<R> =>
    new Promise((resolve, reject) => {
      (client as unknown as Record<string, (r: object, o: object, cb: (e: grpc.ServiceError | null, v: R) => void) => void>)[method](req, { deadline: Date.now() + timeoutMs }, (err, v) => (err ? reject(err) : resolve(v)));
    });
  return {
    version: () => call(rt, 'Version', { version: 'v1' }),
    runPodSandbox: async (config) => (await call<{ podSandboxId: string }>(rt, 'RunPodSandbox', { config })).podSandboxId,
    stopPodSandbox: async (id) => { await call(rt, 'StopPodSandbox', { podSandboxId: id }); },
    removePodSandbox: async (id) => { await call(rt, 'RemovePodSandbox', { podSandboxId: id }); },
    podSandboxStatus: async (id) => (await call<{ status: T.PodSandboxStatus }>(rt, 'PodSandboxStatus', { podSandboxId: id })).status,
    listPodSandbox: async (filter) => (await call<{ items: T.PodSandbox[] }>(rt, 'ListPodSandbox', { filter })).items ?? [],
    createContainer: async (podSandboxId, config, sandboxConfig) => (await call<{ containerId: string }>(rt, 'CreateContainer', { podSandboxId, config, sandboxConfig })).containerId,
    startContainer: async (id) => { await call(rt, 'StartContainer', { containerId: id }); },
    stopContainer: async (id, timeout) => { await call(rt, 'StopContainer', { containerId: id, timeout }, (timeout + 60) * 1000); },
    removeContainer: async (id) => { await call(rt, 'RemoveContainer', { containerId: id }); },
    listContainers: async (filter) => (await call<{ containers: T.Container[] }>(rt, 'ListContainers', { filter })).containers ?? [],
    containerStatus: async (id) => (await call<{ status: T.ContainerStatus }>(rt, 'ContainerStatus', { containerId: id })).status,
    execSync: (id, cmd, timeoutSeconds) => call(rt, 'ExecSync', { containerId: id, cmd, timeout: timeoutSeconds }, (timeoutSeconds + 10) * 1000),
    exec: async (req) => (await call<{ url: string }>(rt, 'Exec', req)).url,
    attach: async (req) => (await call<{ url: string }>(rt, 'Attach', req)).url,
    portForward: async (req) => (await call<{ url: string }>(rt, 'PortForward', req)).url,
    listContainerStats: async (filter) => (await call<{ stats: T.ContainerStats[] }>(rt, 'ListContainerStats', { filter }, 30_000)).stats ?? [],
    listPodSandboxStats: async (filter) => (await call<{ stats: T.PodSandboxStats[] }>(rt, 'ListPodSandboxStats', { filter }, 30_000)).stats ?? [],
    imageFsInfo: async () => {
      const r = await call<Partial<T.ImageFsInfo>>(img, 'ImageFsInfo', {}, 30_000);
      return { imageFilesystems: r.imageFilesystems ?? [], containerFilesystems: r.containerFilesystems ?? [] };
    },
    listImages: async () => (await call<{ images: T.Image[] }>(img, 'ListImages', {}, 30_000)).images ?? [],
    imageStatus: async (image) => (await call<{ image?: T.Image }>(img, 'ImageStatus', { image: { image } })).image ?? undefined,
    pullImage: async (image) => (await call<{ imageRef: string }>(img, 'PullImage', { image: { image } }, 600_000)).imageRef,
    close: () => { rt.close(); img.close(); },
  };
}
