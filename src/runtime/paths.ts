/**
 * Where the node's runtime keeps things under the data dir (k3s keeps the same under
 * /var/lib/rancher/k3s/agent): containerd's config, root, state and socket, the CNI
 * config and IPAM state, and the image tarballs.
 */
import { join } from 'node:path';

export interface ContainerdPaths {
  configFile: string;
  root: string;
  state: string;
  /** Unix socket path of containerd's gRPC API (CRI). */
  address: string;
  pidFile: string;
  logFile: string;
  cniConfDir: string;
  /** host-local IPAM state. */
  cniDataDir: string;
  certsDir: string;
  imagesDir: string;
}

export function containerdPaths(dataDir: string): ContainerdPaths {
  const agent = join(dataDir, 'agent');
  const state = join(agent, 'run', 'containerd');
  return {
    configFile: join(agent, 'etc', 'containerd', 'config.toml'),
    root: join(agent, 'containerd'),
    state,
    address: join(state, 'containerd.sock'),
    pidFile: join(state, 'containerd.pid'),
    logFile: join(agent, 'containerd', 'containerd.log'),
    cniConfDir: join(agent, 'etc', 'cni', 'net.d'),
    cniDataDir: join(agent, 'cni', 'networks'),
    certsDir: join(agent, 'etc', 'containerd', 'certs.d'),
    imagesDir: join(agent, 'images'),
  };
}

/** The sandbox (pause) image the images command builds and containerd uses. */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';
