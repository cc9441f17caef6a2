/**
 * The kubelet (upstream pkg/kubelet): registers the Node, keeps its Lease fresh,
 * watches the pods bound to it and runs them through CRI. Per pod, work is serialized
 * by a work queue keyed `namespace/name`; a relist of CRI state every second (the
 * PLEG) requeues pods whose containers changed; housekeeping removes sandboxes of pods
 * the API no longer has. Stopping leaves containers running: the next start adopts them.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { Node } from '../api/core/v1/types.js';
import type { Lease } from '../api/coordination/v1/types.js';
import { isAlreadyExists, isNotFound } from '../machinery/errors.js';
import { resources, type Client } from '../client/interface.js';
import { type SharedInformerFactory, metaNamespaceKey } from '../client/informers/types.js';
import { createRateLimitingQueue } from '../client/workqueue/rate-limiting-queue.js';
import { createEventRecorder } from '../client/events.js';
import { unwrapTombstone } from '../client/informers/shared-informer.js';
import { createCriClient } from './cri/cri-client.js';
import { POD_NAME, POD_NAMESPACE, POD_UID } from './labels.js';
import { nodeImages, nodeLabels, nodeStatus } from './node-status.js';
import { observe, pressure, thresholdsMet, type Pressure } from './eviction.js';
import { fsUsage, readMachine } from './stats/machine.js';
import { PodSyncer } from './pod-sync.js';
import { ProbeManager } from './prober.js';
import { startLogServer } from './server/log-server.js';
import { delegatedKubeletAuth } from './server/auth.js';
import { SummaryProvider } from './stats/summary.js';
import { StaticPodSource, isMirrorPod } from './static-pods.js';
import { syncStaticKey, type StaticPodSyncContext } from './static-pod-sync.js';
import { createKubeletMetrics } from './metrics.js';
import { microTime, sleepUntilAborted, onAbort } from '../machinery/time.js';

export interface KubeletOptions {
  client: Client;
  informers: SharedInformerFactory;
  nodeName: string;
  /**
   * The node's InternalIP; the kubelet API listens there. Default: the gateway address of
   * the node's pod bridge, known once the podCIDR is (ARCHITECTURE.md §4: an address of
   * the project's own network that pods reach too).
   */
  nodeIP?: string;
  criAddress: string;
  /** Kubelet root dir (pod volumes, container logs). */
  dataDir: string;
  port: number;
  /** The cluster CA (client certificates are checked against it) and the serving certificate for the node's address. */
  tls: { caPem: string; serving(nodeIP: string): Promise<{ certPem: string; keyPem: string }> };
  /** Sets up the pod network for the node's podCIDR (bridge, routes, CNI config); resolves to the bridge's gateway address. */
  network: { ensure(podCIDR: string): Promise<{ gateway: string }> };
  /** Called once the node's InternalIP is known (before the node reports Ready). */
  onNodeIP?(nodeIP: string): Promise<void>;
  labels?: Record<string, string>;
  clusterDNS?: string;
  clusterDomain?: string;
  signal: AbortSignal;
  /**
   * Folder of static pod manifests (static-pods.ts); `false` turns static pods off.
   * Default: `pod-manifests` beside the kubelet dir (`<dataDir>/../pod-manifests`).
   */
  staticPodPath?: string | false;
  /** Pods synced in parallel (default 8). */
  workers?: number;
  log?: (msg: string) => void;
}

const sleep = sleepUntilAborted;

export async function runKubelet(opts: KubeletOptions): Promise<void> {
  const log = opts.log ?? ((m: string) => console.error(`kubelet: ${m}`));
  const { client, signal, nodeName } = opts;
  mkdirSync(opts.dataDir, { recursive: true });
  const cri = createCriClient(opts.criAddress);
  const version = await cri.version();
  const runtimeVersion = `${version.runtimeName}://${version.runtimeVersion.replace(/~.*$/, '')}`;
  const recorder = createEventRecorder(client, { component: 'kubelet', host: nodeName });
  const metrics = createKubeletMetrics({ nodeName, cri });
  const summary = new SummaryProvider({ cri, nodeName, rootDir: opts.dataDir });
  // The pods the kubelet runs, for `GET /pods` (set once the pod informer exists).
  let runningPods: () => Pod[] = () => [];
  const nodes = client.resource<Node>(resources.nodes);

  // Registration.
  const base = { nodeName, nodeIP: opts.nodeIP, port: opts.port, dataDir: opts.dataDir, runtimeVersion };
  let nodeIP = opts.nodeIP;
  let node: Node;
  try {
    node = await nodes.create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels: nodeLabels(nodeName, opts.labels), annotations: { 'node.alpha.kubernetes.io/ttl': '0' } }, spec: {} });
    recorder.event({ ...node, metadata: { ...node.metadata, namespace: '' } }, 'Normal', 'RegisteredNode', `Node ${nodeName} event: Registered Node ${nodeName} in Controller`);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    node = await nodes.get(nodeName);
  }
  let ready = false;
  // Pressure conditions from the default hard eviction thresholds (eviction.ts).
  const observePressure = async (): Promise<Pressure> => {
    const mount = (await cri.imageFsInfo().catch(() => undefined))?.imageFilesystems[0]?.fsId?.mountpoint;
    return pressure(thresholdsMet(observe(readMachine(), fsUsage(opts.dataDir), mount ? fsUsage(mount) : undefined)));
  };
  let lastPressure: Pressure | undefined;
  const reportStatus = async (): Promise<void> => {
    const [images, p] = await Promise.all([cri.listImages().then(nodeImages, () => undefined), observePressure()]);
    lastPressure = p;
    const status = nodeStatus({ ...base, nodeIP, ready, previous: node.status?.conditions, images, pressure: p });
    node = await nodes.patch(nodeName, { status }, 'application/merge-patch+json', { subresource: 'status' });
  };
  await reportStatus();

  // Network: wait for the podCIDR (node IPAM), then bridge/routes/CNI and the node's
  // address, then the kubelet API on it, then Ready.
  let server: { close(): Promise<void> } | undefined;
  void (async () => {
    while (!signal.aborted && !ready) {
      try {
        const n = await nodes.get(nodeName);
        if (n.spec?.podCIDR) {
          const { gateway } = await opts.network.ensure(n.spec.podCIDR);
          nodeIP ??= gateway;
          await opts.onNodeIP?.(nodeIP);
          server ??= await startLogServer({
            address: nodeIP, port: opts.port, tls: { ...(await opts.tls.serving(nodeIP)), caPem: opts.tls.caPem }, cri, auth: delegatedKubeletAuth({ client, nodeName }),
            summary: () => summary.get(), metrics, pods: () => runningPods(),
          });
          ready = true;
          node = n;
          await reportStatus();
          recorder.event({ ...n, metadata: { ...n.metadata, namespace: '' } }, 'Normal', 'NodeReady', `Node ${nodeName} status is now: NodeReady`);
          return;
        }
      } catch (err) { log(`waiting for podCIDR: ${(err as Error).message}`); }
      await sleep(100, signal);
    }
  })();

  // Heartbeats: the Lease every 10 s, the status every 60 s. The Node itself is watched
  // (an informer on this one node), to see the node lifecycle controller's marks.
  const nodeInformer = opts.informers.forResource<Node>(resources.nodes, { fieldSelector: `metadata.name=${nodeName}` });
  void (async () => {
    const leases = client.resource<Lease>(resources.leases);
    let last = 0;
    while (!signal.aborted) {
      const spec = { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: microTime() };
      try {
        await leases.patch(nodeName, { spec }, 'application/merge-patch+json', { namespace: 'kube-node-lease' });
      } catch (err) {
        if (isNotFound(err)) {
          await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: nodeName, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid! }] }, spec }).catch((e) => log(`lease: ${(e as Error).message}`));
        } else log(`lease: ${(err as Error).message}`);
      }
      // The status every 60 s, or at once when a pressure condition changes or the Node
      // shows Ready Unknown (the node lifecycle controller marked it while this kubelet
      // was away or could not reach the API server).
      const p = ready ? await observePressure().catch(() => lastPressure) : undefined;
      const shown = ready ? nodeInformer.lister.get(nodeName) : undefined;
      const notReady = !!shown && (shown.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'Unknown');
      const changed = (p && lastPressure && JSON.stringify(p) !== JSON.stringify(lastPressure)) || notReady;
      if ((Date.now() - last > 60_000 || changed) && ready) { last = Date.now(); await reportStatus().catch((e) => log(`node status: ${(e as Error).message}`)); }
      await sleep(10_000, signal);
    }
  })();

  // Pods.
  let syncer: PodSyncer | undefined;
  const queue = createRateLimitingQueue<string>({ baseDelayMs: 200, maxDelayMs: 10_000 });
  const prober = new ProbeManager(cri, {
    changed: (pod) => queue.add(metaNamespaceKey(pod)),
    unhealthy: (pod, c, _kind, message) => recorder.event(pod, 'Warning', 'Unhealthy', message, `spec.containers{${c.name}}`),
    // A failed liveness/startup probe kills as upstream does: event Killing, preStop, then
    // StopContainer with the probe's grace period, else the pod's (the syncer exists by then: probes start with containers).
    kill: (pod, c, id, kind, message) => {
      const probe = kind === 'startup' ? c.startupProbe : c.livenessProbe;
      const grace = (probe as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      void (syncer ? syncer.killContainer(pod, c.name, id, message, undefined, grace) : cri.stopContainer(id, grace))
        .catch((e: Error) => log(`stop ${id}: ${e.message}`)).then(() => queue.add(metaNamespaceKey(pod)));
    },
  });
  onAbort(signal, () => prober.stopAll());
  const informer = opts.informers.forResource<Pod>(resources.pods, { fieldSelector: `spec.nodeName=${nodeName}` });
  const uids = new Map<string, string>();
  informer.addEventHandler({
    onAdd: (p) => { if (!p.status?.phase || p.status.phase === 'Pending') metrics.podSeen(p.metadata.uid!); queue.add(metaNamespaceKey(p)); },
    onUpdate: (_o, p) => { if (p.status?.phase === 'Running') metrics.podRunning(p.metadata.uid!); queue.add(metaNamespaceKey(p)); },
    onDelete: (o) => { const p = unwrapTombstone(o); metrics.podGone(p.metadata.uid!); queue.add(`${metaNamespaceKey(p)}`); },
  });
  // Static pods: a file source feeding the same queue (keys `namespace/<name>-<node>`).
  const staticPodPath = opts.staticPodPath === false ? undefined : (opts.staticPodPath ?? join(dirname(opts.dataDir), 'pod-manifests'));
  const staticPods = staticPodPath ? new StaticPodSource({ dir: staticPodPath, nodeName, onChange: (k) => queue.add(k), log }) : undefined;
  // The version of each static pod that runs (to stop it when its file changes or goes).
  const staticRunning = new Map<string, Pod>();
  const podsApi = client.resource<Pod>(resources.pods);
  runningPods = () => [...informer.lister.list().filter((p) => !isMirrorPod(p)), ...(staticPods?.list() ?? [])];
  onAbort(signal, () => queue.shutDown());
  try { await opts.informers.waitForCacheSync(signal); } catch { /* aborted */ }
  // Wait for the network (and so the node's address) before starting pods.
  while (!ready && !signal.aborted) await sleep(50, signal);
  syncer = new PodSyncer({
    client, cri, recorder, nodeName, nodeIP: nodeIP ?? '', rootDir: opts.dataDir, prober,
    clusterDNS: opts.clusterDNS ?? '10.96.0.10', clusterDomain: opts.clusterDomain ?? 'cluster.local',
    kubernetesService: { host: '10.96.0.1', port: 443 },
  });

  const staticCtx: StaticPodSyncContext = { syncer, pods: podsApi, node: () => ({ name: nodeName, uid: node.metadata.uid! }), running: staticRunning };
  if (staticPodPath) { mkdirSync(staticPodPath, { recursive: true }); staticPods!.start(signal); }

  // The last error logged per pod, shared by the workers (a retry may land on another one).
  const lastError = new Map<string, string>();
  const worker = async (): Promise<void> => {
    for (;;) {
      const item = await queue.get();
      if (item.shutdown) return;
      const key = item.key;
      try {
        const pod = informer.lister.get(key);
        const st = await syncStaticKey(key, pod, staticPods?.get(key), staticCtx);
        if (st.handled) {
          if (st.requeueAfterMs !== undefined) queue.addAfter(key, st.requeueAfterMs);
        } else if (!pod) {
          const uid = uids.get(key);
          if (uid) { await syncer.removeAll(uid); uids.delete(key); }
        } else {
          uids.set(key, pod.metadata.uid!);
          const r = await syncer.sync(pod);
          if (r.requeueAfterMs !== undefined) queue.addAfter(key, r.requeueAfterMs);
        }
        queue.forget(key);
      } catch (err) {
        // One log line per change of a pod's error, not one per retry.
        const msg = (err as Error).message;
        if (!signal.aborted && lastError.get(key) !== msg) log(`sync ${key}: ${msg}`);
        lastError.set(key, msg);
        queue.addRateLimited(key);
        continue;
      } finally { queue.done(key); }
      lastError.delete(key);
    }
  };

  // PLEG: relist CRI containers every second; requeue pods whose containers changed.
  const pleg = async (): Promise<void> => {
    let seen = new Map<string, string>();
    let housekeeping = 0;
    while (!signal.aborted) {
      const relistStart = performance.now();
      try {
        const now = new Map<string, string>();
        for (const c of await cri.listContainers({})) {
          const key = `${c.labels[POD_NAMESPACE]}/${c.labels[POD_NAME]}`;
          now.set(c.id, `${c.state}|${key}`);
          if (seen.get(c.id) !== `${c.state}|${key}`) queue.add(key);
        }
        for (const [id, v] of seen) if (!now.has(id)) queue.add(v.split('|')[1]);
        seen = now;
        metrics.observeRelist((performance.now() - relistStart) / 1000);
        if (++housekeeping % 2 === 0 && informer.hasSynced()) {
          // Sandboxes of pods the API no longer has (deleted while we were away, or force-deleted).
          const known = new Set([...informer.lister.list(), ...(staticPods?.list() ?? [])].map((p) => p.metadata.uid));
          for (const sb of await cri.listPodSandbox({})) {
            const uid = sb.labels?.[POD_UID];
            if (uid && !known.has(uid)) { log(`removing orphaned pod sandbox ${sb.metadata.namespace}/${sb.metadata.name}`); await syncer.removeAll(uid); }
          }
          // Back-off entries of deleted pods, and those idle for 10 min (upstream backOff.GC()).
          syncer.gcBackOff(new Set([...known].filter((u): u is string => !!u)));
        }
      } catch (err) { if (!signal.aborted) log(`relist: ${(err as Error).message}`); }
      await sleep(1000, signal);
    }
  };

  // Periodic resync of every pod (catches anything no event announced).
  const resync = async (): Promise<void> => {
    while (!signal.aborted) {
      await sleep(10_000, signal);
      for (const p of informer.lister.list()) queue.add(metaNamespaceKey(p));
      for (const k of staticPods?.keys() ?? []) queue.add(k);
    }
  };

  await Promise.all([...Array.from({ length: opts.workers ?? 8 }, worker), pleg(), resync()]);
  await server?.close();
  cri.close();
}
