/**
 * The node's agents as one unit: the kubelet (kubelet/kubelet.ts) and, once the node's
 * address is known, kube-proxy (proxy/proxier.ts), as k3s's agent embeds it. `k8ts
 * server` runs it in a component thread (component-thread.ts): the options are plain
 * data, and the two things only the main thread can do go through `ctx.call`:
 * - `servingCertificate(nodeIP)` → `{ certPem, keyPem }`: the kubelet's serving
 *   certificate for its address, issued by the cluster CA;
 * - `nodeIP(nodeIP)`: the API server listens on the node's address too and advertises it
 *   as the `kubernetes` Service's endpoint (ARCHITECTURE.md §4).
 */
import { createClient, type ClientConfig } from '../client/rest-client.js';
import { createSharedInformerFactory } from '../client/informers/shared-informer-factory.js';
import { runKubelet } from '../kubelet/kubelet.js';
import { runProxier } from '../proxy/proxier.js';
import { ensureNodeNetwork } from '../runtime/network.js';
import type { ComponentThreadContext } from './component-thread-runtime.js';

/** Options of {@link runNodeComponent} (structured-clonable). */
export interface NodeComponentOptions {
  /** The kubelet's client (identity system:node:<nodeName>). */
  kubeletClient: ClientConfig;
  /** kube-proxy's client (identity system:kube-proxy). */
  proxyClient: ClientConfig;
  nodeName: string;
  /** The node's InternalIP; default the pod bridge's gateway address (kubelet.ts). */
  nodeIP?: string;
  /** containerd's CRI socket. */
  criAddress: string;
  /** The kubelet's root dir. */
  kubeletDir: string;
  /** The kubelet API port (10250). */
  port: number;
  /** The cluster CA (PEM): client certificates of the kubelet API are checked against it. */
  caPem: string;
  /** The node network's settings (runtime/network.ts); its podCIDR comes from the Node. */
  network: { dataDir: string; bridge: string; clusterCIDR: string; serviceCIDR: string };
}

/** Runs the kubelet (and kube-proxy once the node's address is known) until `ctx.signal` aborts. Throws the kubelet's start-up errors (e.g. CRI unreachable). */
export async function runNodeComponent(o: NodeComponentOptions, ctx: ComponentThreadContext): Promise<void> {
  const { signal } = ctx;
  const client = createClient(o.kubeletClient);
  const informers = createSharedInformerFactory(client);
  let proxy: Promise<void> | undefined;
  const kubelet = runKubelet({
    client, informers, nodeName: o.nodeName, nodeIP: o.nodeIP, criAddress: o.criAddress, dataDir: o.kubeletDir, port: o.port,
    tls: { caPem: o.caPem, serving: (ip) => ctx.call<{ certPem: string; keyPem: string }>('servingCertificate', ip) },
    network: { ensure: (podCIDR) => ensureNodeNetwork({ ...o.network, podCIDR }) },
    onNodeIP: async (ip) => {
      if (proxy) return;
      await ctx.call('nodeIP', ip);
      // kube-proxy, once the safety routes and the node's address exist.
      const proxyClient = createClient(o.proxyClient);
      const proxyInformers = createSharedInformerFactory(proxyClient);
      proxy = runProxier({ client: proxyClient, informers: proxyInformers, nodeName: o.nodeName, nodeIP: ip, clusterCIDR: o.network.clusterCIDR, signal, log: (m) => ctx.log(`kube-proxy: ${m}`) })
        .catch((err: Error) => { if (!signal.aborted) ctx.log(`kube-proxy failed: ${err?.stack ?? err}`); });
      proxyInformers.start(signal);
    },
    signal,
  });
  informers.start(signal);
  try {
    await kubelet;
  } finally {
    await proxy;
  }
}
