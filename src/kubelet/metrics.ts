/**
 * The kubelet's own metrics (`GET /metrics`), one prom-client registry per kubelet
 * (upstream pkg/kubelet/metrics/metrics.go; names, help, labels and buckets follow it):
 * - kubelet_node_name{node} — always 1;
 * - kubelet_running_pods — pods with a ready sandbox (CRI ListPodSandbox at scrape time);
 * - kubelet_running_containers{container_state} — containers per CRI state
 *   (created, running, exited, unknown) at scrape time;
 * - kubelet_pod_start_duration_seconds — histogram, from the kubelet first seeing a pod
 *   to the pod running (`podSeen` / `podRunning`);
 * - kubelet_started_containers_total, kubelet_started_pods_total — counters the kubelet
 *   may bump (`startedContainer`, `startedPod`);
 * - kubelet_pleg_relist_duration_seconds — histogram of the PLEG's relist;
 * plus prom-client's process_* and nodejs_* default metrics.
 * Scrape-time CRI errors leave the gauges at their last values.
 */
import client from 'prom-client';
import type { CriClient } from './cri/cri-client.js';

export interface KubeletMetrics {
  registry: client.Registry;
  /** Records the first time the kubelet saw pod `uid` (later calls keep the first). */
  podSeen(uid: string, atMs?: number): void;
  /** Observes the start duration of `uid` once, if it was seen; later calls do nothing. */
  podRunning(uid: string, atMs?: number): void;
  /** Forgets a pod (deleted before running). */
  podGone(uid: string): void;
  observeRelist(seconds: number): void;
  /** The Prometheus text of every metric. */
  text(): Promise<string>;
  contentType: string;
}

export function createKubeletMetrics(opts: { nodeName: string; cri: Pick<CriClient, 'listPodSandbox' | 'listContainers'>; defaultMetrics?: boolean }): KubeletMetrics {
  const registry = new client.Registry();
  if (opts.defaultMetrics ?? true) client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new client.Gauge({ name: 'kubelet_node_name', help: "[ALPHA] The node's name. The count is always 1.", labelNames: ['node'], registers }).set({ node: opts.nodeName }, 1);
  new client.Gauge({
    name: 'kubelet_running_pods', help: '[ALPHA] Number of pods that have a running pod sandbox', registers,
    async collect() { try { this.set((await opts.cri.listPodSandbox({ state: { state: 'SANDBOX_READY' } })).length); } catch { /* keep */ } },
  });
  new client.Gauge({
    name: 'kubelet_running_containers', help: '[ALPHA] Number of containers currently running', labelNames: ['container_state'], registers,
    async collect() {
      try {
        const counts: Record<string, number> = { created: 0, running: 0, exited: 0, unknown: 0 };
        for (const c of await opts.cri.listContainers({})) {
          const s = c.state.replace(/^CONTAINER_/, '').toLowerCase();
          counts[s] = (counts[s] ?? 0) + 1;
        }
        for (const [s, n] of Object.entries(counts)) this.set({ container_state: s }, n);
      } catch { /* keep */ }
    },
  });
  const startDuration = new client.Histogram({
    name: 'kubelet_pod_start_duration_seconds', help: '[ALPHA] Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run', registers,
    buckets: [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600],
  });
  const relist = new client.Histogram({
    name: 'kubelet_pleg_relist_duration_seconds', help: '[ALPHA] Duration in seconds for relisting pods in PLEG.', registers,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const seen = new Map<string, number>();
  const done = new Set<string>();
  return {
    registry, contentType: registry.contentType,
    podSeen: (uid, at = Date.now()) => { if (!seen.has(uid) && !done.has(uid)) seen.set(uid, at); },
    podRunning: (uid, at = Date.now()) => {
      const t = seen.get(uid);
      if (t === undefined) return;
      startDuration.observe(Math.max(0, (at - t) / 1000));
      seen.delete(uid); done.add(uid);
    },
    podGone: (uid) => { seen.delete(uid); done.delete(uid); },
    observeRelist: (s) => relist.observe(s),
    text: () => registry.metrics(),
  };
}
