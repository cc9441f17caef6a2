/**
 * The scheduler (upstream pkg/scheduler/scheduler.go, schedule_one.go, eventhandlers.go).
 * A client of the API only. Flow of one pod:
 *   pod informer → SchedulingQueue (activeQ) → pop → the SchedulerCache's NodeInfos
 *   (kept incrementally from the informers and assumed pods) → scheduling cycle:
 *   Framework.schedule (PreFilter, Filter on a share of the nodes, Score) → assume on
 *   the chosen node → Reserve → Permit → binding cycle in the background: wait on
 *   Permit → PreBind → Bind (DefaultBinder POSTs pods/{name}/binding) → PostBind →
 *   event Scheduled.
 * No fit: PostFilter (DefaultPreemption may delete lower-priority victims and nominate
 * a node: status.nominatedNodeName), FailedScheduling event, PodScheduled=False/
 * Unschedulable, the pod waits in the unschedulable pool until a node is added or
 * changes or an assigned pod goes away (a deleted victim).
 * A failure after assuming (Reserve, Permit, PreBind, Bind) runs Unreserve in reverse
 * order and forgets the assumed pod. Rejections go to the unschedulable pool; faults
 * and bind failures are retried from the backoff queue.
 */
import type { Pod } from '../api/core/v1/pod-types.js';
import type { Node } from '../api/core/v1/types.js';
import type { KubeObject } from '../api/object.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { resources, type Client } from '../client/interface.js';
import { hostname } from 'node:os';
import { createEventBroadcaster, type EventsV1Recorder } from '../client/event-broadcaster.js';
import type { DeletedFinalStateUnknown, SharedIndexInformer, SharedInformerFactory } from '../client/informers/types.js';
import { isConflict, isNotFound } from '../machinery/errors.js';
import { SchedulerCache } from './cache/cache.js';
import { recordSchedulingFailure } from './failure-handler.js';
import type { CycleState } from './framework/cycle-state.js';
import { fitErrorMessage } from './framework/fit-error.js';
import { Framework, type PluginConfig } from './framework/framework.js';
import type { ObjectGetter, ObjectLister, PluginFactory } from './framework/interface.js';
import { isRejected, type Status } from './framework/status.js';
import { DEFAULT_SCHEDULER_NAME, isAssigned, isTerminalPod, needsScheduling } from './pod-filters.js';
import { defaultProfile, pluginRegistry } from './plugins/registry.js';
import { SchedulingQueue, type QueuedPodInfo, type SchedulingQueueOptions } from './queue/scheduling-queue.js';
import type { SchedulerConfiguration } from './config.js';
import { instrumentFramework, type AttemptResult, type SchedulerMetrics } from './metrics.js';
import { onAbort } from '../machinery/time.js';
import { PodNominator } from './queue/nominator.js';

export interface SchedulerOptions {
  client: Client;
  /** The caller starts it; the scheduler only registers its informers (pods, nodes, namespaces, services, replicationcontrollers, replicasets, statefulsets, persistentvolumeclaims, persistentvolumes, storageclasses). */
  informers: SharedInformerFactory;
  /** Aborting stops the scheduler; runScheduler then resolves. */
  signal: AbortSignal;
  /** Pods with this spec.schedulerName are ours (default `default-scheduler`). */
  schedulerName?: string;
  /** Plugins and score weights (default: plugins/registry.ts defaultProfile). */
  profile?: PluginConfig[];
  /** Queue timings (tests shorten them). */
  queue?: SchedulingQueueOptions;
  /** Extra plugin factories (by name) on top of plugins/registry.ts, for custom profiles. */
  registry?: Record<string, PluginFactory>;
  /** Called with the framework once built (e.g. to allow pods waiting on Permit). */
  onFramework?: (framework: Framework) => void;
  /** Share of nodes to find feasible before scoring, 0–100 (0: upstream's adaptive default). */
  percentageOfNodesToScore?: number;
  /** Where attempts, pending pods and extension-point durations are recorded (metrics.ts; default: nowhere). */
  metrics?: SchedulerMetrics;
}

/**
 * Runs one scheduler loop per profile of a KubeSchedulerConfiguration (config.ts), on
 * shared informers, until `opts.signal` aborts. Each profile keeps its own queue and
 * cache (upstream shares them across profiles).
 */
export async function runSchedulerWithConfiguration(opts: Omit<SchedulerOptions, 'schedulerName' | 'profile' | 'percentageOfNodesToScore'>, config: SchedulerConfiguration): Promise<void> {
  await Promise.all(config.profiles.map((p) => runScheduler({
    ...opts, schedulerName: p.schedulerName, profile: p.plugins,
    percentageOfNodesToScore: p.percentageOfNodesToScore ?? config.percentageOfNodesToScore,
    queue: { ...config.queue, ...opts.queue },
  })));
}

const podOf = (o: Pod | DeletedFinalStateUnknown<Pod>): Pod => ('tombstone' in o ? o.obj : o);

/** Runs the scheduler until `opts.signal` aborts (see module doc). Resolves then; never rejects. */
export async function runScheduler(opts: SchedulerOptions): Promise<void> {
  const schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  // Namespace labels for InterPodAffinity's namespaceSelector (upstream's namespace lister).
  const nsInformer = opts.informers.forResource<KubeObject>(resources.namespaces);
  const namespaceLister = (name: string): Record<string, string> | undefined => {
    const ns = nsInformer.lister.get(name);
    return ns ? ns.metadata.labels ?? {} : undefined;
  };
  // Services and controllers for PodTopologySpread's default constraints (upstream's listers).
  const listed = {
    services: opts.informers.forResource<KubeObject>(resources.services),
    replicationcontrollers: opts.informers.forResource<KubeObject>(resources.replicationcontrollers),
    replicasets: opts.informers.forResource<KubeObject>(resources.replicasets),
    statefulsets: opts.informers.forResource<KubeObject>(resources.statefulsets),
  };
  const objectLister: ObjectLister = (resource, namespace) => listed[resource].lister.list({ namespace });
  // Claims, volumes and classes for VolumeBinding and VolumeRestrictions.
  const storage = {
    persistentvolumeclaims: opts.informers.forResource<KubeObject>(resources.persistentvolumeclaims),
    persistentvolumes: opts.informers.forResource<KubeObject>(resources.persistentvolumes),
    storageclasses: opts.informers.forResource<KubeObject>(resources.storageclasses),
  };
  const objectGetter: ObjectGetter = (resource, namespace, name) => storage[resource].lister.get(namespace ? `${namespace}/${name}` : name);
  const nominator = new PodNominator();
  const framework = new Framework({ ...pluginRegistry, ...opts.registry }, opts.profile ?? defaultProfile, { client: opts.client, schedulerName, namespaceLister, objectLister, objectGetter, metrics: opts.metrics, nominator }, Math.random, opts.percentageOfNodesToScore ?? 0);
  opts.onFramework?.(framework);
  const podInformer = opts.informers.forResource<Pod>(resources.pods);
  const nodeInformer = opts.informers.forResource<Node>(resources.nodes);
  const queueSort = framework.queueSort;
  const queue = new SchedulingQueue({ ...opts.queue, ...(queueSort ? { less: (a: QueuedPodInfo, b: QueuedPodInfo) => queueSort.less(a, b) } : {}) });
  const cache = new SchedulerCache();
  // Events through events.k8s.io/v1 with series, as upstream's scheduler records them:
  // a pod retried for hours is one FailedScheduling Event, not one per attempt.
  const recorder = createEventBroadcaster(opts.client, { reportingController: schedulerName, reportingInstance: `${schedulerName}-${hostname()}`, signal: opts.signal });
  // A pod of ours enters the queue once the PreEnqueue plugins let it (SchedulingGates).
  const enqueueable = (p: Pod): boolean => framework.runPreEnqueue(p).code === 'Success';
  registerEventHandlers(podInformer, nodeInformer, queue, cache, nominator, schedulerName, enqueueable);
  // A claim, volume or class that appears or changes may make a waiting pod schedulable (upstream's PVC/PV/StorageClass cluster events).
  for (const [informer, event] of [[storage.persistentvolumeclaims, 'PvcChange'], [storage.persistentvolumes, 'PvChange'], [storage.storageclasses, 'StorageClassAdd']] as const) {
    informer.addEventHandler({ onAdd: () => queue.moveAllToActiveOrBackoff(event), onUpdate: () => queue.moveAllToActiveOrBackoff(event) });
  }
  if (opts.metrics) instrumentFramework(framework, opts.metrics, schedulerName);
  // Pods held back by PreEnqueue plugins never enter the queue; the gauge counts them from the informer ("gated").
  const gated = (): number => podInformer.lister.list().filter((p) => needsScheduling(p, schedulerName) && !enqueueable(p)).length;
  const stopCounting = opts.metrics?.addQueue(queue, gated);

  const stop = (): void => queue.close();
  onAbort(opts.signal, stop);
  try {
    try { await opts.informers.waitForCacheSync(opts.signal); } catch { return; }
    const ctx: CycleContext = { client: opts.client, framework, queue, cache, nominator, recorder, schedulerName, podInformer, metrics: opts.metrics };
    for (;;) {
      // One cycle per event-loop turn: without this the queue, resolving as microtasks,
      // would run every cycle before any I/O — binding answers, informer events, the
      // leader lease's renewal — got a turn.
      await yieldToEventLoop();
      const info = await queue.pop(opts.signal);
      if (!info) return;
      try { await scheduleOne(ctx, info); } catch (err) {
        console.error(`scheduler: ${info.key}: ${(err as Error).message}`);
        queue.addBackoff(info);
      }
    }
  } finally {
    opts.signal.removeEventListener('abort', stop);
    stopCounting?.();
    queue.close();
  }
}

/** Informer events → cache updates and queue moves (upstream eventhandlers.go). */
function registerEventHandlers(podInformer: SharedIndexInformer<Pod>, nodeInformer: SharedIndexInformer<Node>, queue: SchedulingQueue, cache: SchedulerCache, nominator: PodNominator, schedulerName: string, enqueueable: (p: Pod) => boolean): void {
  podInformer.addEventHandler({
    onAdd(p) {
      if (needsScheduling(p, schedulerName)) { if (enqueueable(p)) { queue.add(p); nominator.update(p); } }
      else if (isAssigned(p)) cache.addPod(p);
    },
    onUpdate(old, p) {
      if (needsScheduling(p, schedulerName) && enqueueable(p)) { queue.update(p); nominator.update(p); return; }
      queue.delete(p); // bound elsewhere, deleting, finished, or handed to another scheduler
      nominator.delete(p.metadata.uid!);
      if (isAssigned(p)) {
        cache.updatePod(p);
        // A pod that finished frees its node's resources.
        if (isTerminalPod(p) && !isTerminalPod(old)) queue.moveAllToActiveOrBackoff('AssignedPodUpdate');
      }
    },
    onDelete(o) {
      const p = podOf(o);
      queue.delete(p);
      nominator.delete(p.metadata.uid!);
      cache.removePod(p);
      if (isAssigned(p)) queue.moveAllToActiveOrBackoff('AssignedPodDelete');
    },
  });
  nodeInformer.addEventHandler({
    onAdd: (n) => { cache.addNode(n); queue.moveAllToActiveOrBackoff('NodeAdd'); },
    onUpdate(old, n) {
      cache.updateNode(n);
      const relevant = (x: Node) => JSON.stringify([x.metadata.labels, x.spec?.taints, x.spec?.unschedulable, x.status?.allocatable]);
      if (relevant(old) !== relevant(n)) queue.moveAllToActiveOrBackoff('NodeUpdate');
    },
    onDelete: (o) => { cache.removeNode(('tombstone' in o ? o.obj : o).metadata.name!); },
  });
}

interface CycleContext {
  client: Client; framework: Framework; queue: SchedulingQueue; cache: SchedulerCache; nominator: PodNominator; recorder: EventsV1Recorder;
  schedulerName: string; podInformer: SharedIndexInformer<Pod>; metrics?: SchedulerMetrics;
}

/** Records the end of an attempt that started at `start` (performance.now(), ms). */
function observeAttempt(ctx: CycleContext, result: AttemptResult, start: number): void {
  ctx.metrics?.scheduleAttempt(result, ctx.schedulerName, (performance.now() - start) / 1000);
}

/** One scheduling cycle for a popped pod; the binding cycle continues in the background. */
async function scheduleOne(ctx: CycleContext, info: QueuedPodInfo): Promise<void> {
  const { queue, cache, framework } = ctx;
  const pod = ctx.podInformer.lister.get(info.key);
  if (!pod || !needsScheduling(pod, ctx.schedulerName) || cache.isAssumed(pod.metadata.uid!)) {
    queue.done(info.key);
    return;
  }
  info.pod = pod;
  const start = performance.now();
  const podCycle = queue.schedulingCycle();
  const nodes = cache.nodeInfoList();
  const state = cache.cycleState();
  const result = framework.schedule(pod, nodes, state);
  if (result.kind === 'unschedulable') {
    let nominated: string | undefined;
    if (result.fitError.numAllNodes > 0 && framework.postFilters.length > 0) {
      ctx.metrics?.preemptionAttempt();
      const pf = await framework.runPostFilter(state, pod, result.fitError);
      result.fitError.postFilterMessage = pf.status.reasons.join(', ');
      if (pf.status.code === 'Error') console.error(`scheduler: ${info.key}: PostFilter ${pf.status.plugin ?? ''}: ${result.fitError.postFilterMessage}`);
      nominated = pf.nominatedNodeName;
      // Counted at once, before the status write comes back through the informer (upstream handleSchedulingFailure).
      if (nominated !== undefined) ctx.nominator.add(pod, nominated);
    }
    queue.addUnschedulable(info, podCycle);
    observeAttempt(ctx, 'unschedulable', start);
    await recordSchedulingFailure(ctx.client, ctx.recorder, pod, 'Unschedulable', fitErrorMessage(result.fitError), nominated);
    return;
  }
  if (result.kind === 'error') {
    queue.addBackoff(info);
    observeAttempt(ctx, 'error', start);
    await recordSchedulingFailure(ctx.client, ctx.recorder, pod, 'SchedulerError', result.status.reasons.join(', '));
    return;
  }
  const nodeName = result.nodeName;
  cache.assumePod(pod, nodeName);
  ctx.nominator.delete(pod.metadata.uid!); // upstream assume: the pod holds its node now
  const reserve = framework.runReserve(state, pod, nodeName);
  const permit = reserve.code === 'Success' ? framework.runPermit(state, pod, nodeName) : reserve;
  if (permit.code !== 'Success' && permit.code !== 'Wait') {
    framework.runUnreserve(state, pod, nodeName);
    cache.forgetPod(pod.metadata.uid!);
    await handleFailure(ctx, info, podCycle, pod, permit, permit.reasons.join(', '), start);
    return;
  }
  queue.done(info.key);
  void bindingCycle(ctx, info, podCycle, pod, nodeName, state, start);
}

/** A rejection waits in the unschedulable pool, anything else backs off; then the event and condition. */
async function handleFailure(ctx: CycleContext, info: QueuedPodInfo, podCycle: number, pod: Pod, status: Status, message: string, start: number): Promise<void> {
  if (isRejected(status)) ctx.queue.addUnschedulable(info, podCycle);
  else ctx.queue.addBackoff(info);
  observeAttempt(ctx, isRejected(status) ? 'unschedulable' : 'error', start);
  await recordSchedulingFailure(ctx.client, ctx.recorder, pod, isRejected(status) ? 'Unschedulable' : 'SchedulerError', message);
}

/**
 * The binding cycle in the background (upstream bindingCycle): wait on Permit, PreBind,
 * Bind, PostBind. On failure: Unreserve, forget the assumption, move unschedulable pods
 * (the node has room again) and requeue the pod.
 */
async function bindingCycle(ctx: CycleContext, info: QueuedPodInfo, podCycle: number, pod: Pod, nodeName: string, state: CycleState, start: number): Promise<void> {
  const { namespace, name } = pod.metadata;
  const fw = ctx.framework;
  let failed: { status: Status; message: string } | undefined;
  const permit = await fw.waitOnPermit(pod);
  if (permit.code !== 'Success') failed = { status: permit, message: permit.reasons.join(', ') };
  if (!failed) {
    const pre = await fw.runPreBind(state, pod, nodeName);
    if (pre.code !== 'Success') failed = { status: pre, message: `running PreBind plugin ${JSON.stringify(pre.plugin)}: ${pre.reasons.join(', ')}` };
  }
  if (!failed) {
    const status = await fw.runBind(state, pod, nodeName);
    if (status.code === 'Success') {
      ctx.cache.finishBinding(pod.metadata.uid!);
      observeAttempt(ctx, 'scheduled', start);
      ctx.metrics?.podScheduled(info.attempts);
      ctx.recorder.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
      fw.runPostBind(state, pod, nodeName);
      return;
    }
    failed = { status, message: `Binding rejected: ${status.reasons.join(', ')}` };
  }
  fw.runUnreserve(state, pod, nodeName);
  ctx.cache.forgetPod(pod.metadata.uid!);
  ctx.queue.moveAllToActiveOrBackoff('AssignedPodDelete');
  // Gone, or already bound by someone else: nothing to retry.
  if (isNotFound(failed.status.cause) || isConflict(failed.status.cause)) return;
  if (failed.status.code === 'Error') console.error(`scheduler: binding ${namespace}/${name} to ${nodeName}: ${failed.message}`);
  const current = ctx.podInformer.lister.get(info.key);
  if (!current || !needsScheduling(current, ctx.schedulerName)) return;
  info.pod = current;
  await handleFailure(ctx, info, podCycle, current, failed.status, failed.message, start);
}
