/**
 * The scheduler (upstream pkg/scheduler): takes unscheduled pods from a queue, runs
 * the Filter plugins on every node, Score plugins on the feasible ones, assumes the
 * pod on the best node (so the next cycle counts it) and binds it through
 * pods/{name}/binding. A pod that fits nowhere gets a FailedScheduling event and
 * PodScheduled=False, and is retried with backoff and whenever nodes change.
 */
import type { Pod } from '../api/core/v1/pod-types.js';
import type { Node } from '../api/core/v1/types.js';
import { isConflict, isNotFound } from '../machinery/errors.js';
import { resources, type Client } from '../client/interface.js';
import { type SharedInformerFactory, metaNamespaceKey, splitMetaNamespaceKey } from '../client/informers/types.js';
import { createRateLimitingQueue } from '../client/workqueue/rate-limiting-queue.js';
import { createEventRecorder } from '../client/events.js';
import { isFilter, isScore, type FilterPlugin, type NodeInfo, type ScorePlugin } from './framework/interface.js';
import { defaultPlugins, pluginFactories } from './plugins/registry.js';
import { rfc3339 } from '../machinery/time.js';

export interface SchedulerOptions {
  client: Client;
  informers: SharedInformerFactory;
  signal: AbortSignal;
  schedulerName?: string;
  plugins?: string[];
}

/** Picks a node for `pod` among `nodes`, or explains why none fits. Pure: used by tests. */
export function schedulePod(pod: Pod, nodes: NodeInfo[], filters: FilterPlugin[], scorers: ScorePlugin[]): { node?: string; reasons: Map<string, number> } {
  const reasons = new Map<string, number>();
  const feasible: NodeInfo[] = [];
  for (const n of nodes) {
    let ok = true;
    for (const f of filters) {
      const s = f.filter(pod, n);
      if (s.code !== 'Success') { ok = false; for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1); break; }
    }
    if (ok) feasible.push(n);
  }
  if (!feasible.length) return { reasons };
  let best: NodeInfo[] = [];
  let bestScore = -1;
  for (const n of feasible) {
    const score = scorers.reduce((a, s) => a + s.score(pod, n) * (s.weight ?? 1), 0);
    if (score > bestScore) { best = [n]; bestScore = score; } else if (score === bestScore) best.push(n);
  }
  return { node: best[Math.floor(Math.random() * best.length)].node.metadata.name, reasons };
}

/** The FailedScheduling message as upstream words it. */
export function failureMessage(total: number, reasons: Map<string, number>): string {
  const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort();
  const head = `0/${total} nodes are available${parts.length ? ': ' + parts.join(', ') : ''}.`;
  return `${head} preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}

export async function runScheduler(opts: SchedulerOptions): Promise<void> {
  const name = opts.schedulerName ?? 'default-scheduler';
  const plugins = (opts.plugins ?? defaultPlugins).map((p) => pluginFactories[p]());
  const filters = plugins.filter(isFilter);
  const scorers = plugins.filter(isScore);
  const podInformer = opts.informers.forResource<Pod>(resources.pods);
  const nodeInformer = opts.informers.forResource<Node>(resources.nodes);
  podInformer.addIndexers({ nodeName: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
  const queue = createRateLimitingQueue<string>({ baseDelayMs: 1000, maxDelayMs: 10_000 });
  const recorder = createEventRecorder(opts.client, { component: name });
  /** uid → node of pods bound by us but not yet seen bound in the informer. */
  const assumed = new Map<string, { node: string; pod: Pod }>();
  const unschedulable = new Set<string>();

  const wanted = (p: Pod): boolean => !p.spec?.nodeName && (p.spec?.schedulerName ?? 'default-scheduler') === name && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
  podInformer.addEventHandler({
    onAdd: (p) => { if (wanted(p)) queue.add(metaNamespaceKey(p)); },
    onUpdate: (_o, p) => {
      if (wanted(p)) queue.add(metaNamespaceKey(p));
      if (p.spec?.nodeName) assumed.delete(p.metadata.uid!);
    },
    onDelete: (o) => {
      const p = (o as { obj?: Pod }).obj ?? (o as Pod);
      assumed.delete(p.metadata.uid!);
      // Freed resources may let waiting pods fit.
      for (const k of unschedulable) queue.add(k);
    },
  });
  const retryAll = (): void => { for (const k of unschedulable) queue.add(k); };
  nodeInformer.addEventHandler({ onAdd: retryAll, onUpdate: retryAll });

  const nodeInfos = (): NodeInfo[] => nodeInformer.lister.list().map((node) => {
    const pods = podInformer.lister.byIndex('nodeName', node.metadata.name!);
    const uids = new Set(pods.map((p) => p.metadata.uid));
    for (const a of assumed.values()) if (a.node === node.metadata.name && !uids.has(a.pod.metadata.uid)) pods.push(a.pod);
    return { node, pods };
  });

  opts.signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  try { await opts.informers.waitForCacheSync(opts.signal); } catch { return; }
  for (;;) {
    const item = await queue.get();
    if (item.shutdown) return;
    const key = item.key;
    try {
      const pod = podInformer.lister.get(key);
      if (!pod || !wanted(pod) || assumed.has(pod.metadata.uid!)) { unschedulable.delete(key); continue; }
      const nodes = nodeInfos();
      const r = schedulePod(pod, nodes, filters, scorers);
      if (!r.node) {
        unschedulable.add(key);
        const message = failureMessage(nodes.length, r.reasons);
        recorder.event(pod, 'Warning', 'FailedScheduling', message);
        const { namespace, name: podName } = splitMetaNamespaceKey(key);
        const conds = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
        conds.push({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: rfc3339() });
        await opts.client.resource(resources.pods).patch(podName, { status: { conditions: conds } }, 'application/merge-patch+json', { namespace, subresource: 'status' }).catch(() => undefined);
        queue.addRateLimited(key);
        continue;
      }
      unschedulable.delete(key);
      queue.forget(key);
      assumed.set(pod.metadata.uid!, { node: r.node, pod: { ...pod, spec: { ...pod.spec, nodeName: r.node } } });
      const node = r.node;
      void bind(pod, node);
    } finally {
      queue.done(key);
    }
  }

  async function bind(pod: Pod, node: string): Promise<void> {
    const { namespace, name: podName } = { namespace: pod.metadata.namespace!, name: pod.metadata.name! };
    try {
      await opts.client.resource(resources.pods).create({ apiVersion: 'v1', kind: 'Binding', metadata: { name: podName, namespace, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } }, { namespace, name: podName, subresource: 'binding' });
      recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${podName} to ${node}`);
    } catch (err) {
      assumed.delete(pod.metadata.uid!);
      if (!isNotFound(err) && !isConflict(err)) {
        console.error(`scheduler: binding ${namespace}/${podName} to ${node}: ${(err as Error).message}`);
        queue.addRateLimited(metaNamespaceKey(pod));
      }
    }
  }
}
