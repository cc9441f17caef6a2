/**
 * The framework runtime (upstream pkg/scheduler/framework/runtime/framework.go and
 * schedule_one.go schedulePod): instantiates a profile's plugins from an explicit
 * registry and runs the extension points for one pod.
 *
 * Filter: plugins run in profile order on each node; the first non-Success status
 * decides the node (upstream's default). Nodes are filtered round-robin from where the
 * previous cycle stopped until numFeasibleNodesToFind are feasible
 * (percentageOfNodesToScore). Score: each plugin's scores are normalized,
 * multiplied by the plugin's weight and summed; the highest total wins, ties broken
 * at random (upstream selectHost). A pod with status.nominatedNodeName (set by an
 * earlier preemption) tries that node first (upstream evaluateNominatedNode). Every node
 * is filtered with the pods nominated to it of at least the pod's priority counted
 * (runFilterWithNominatedPods), so the room a preemption made is kept for its pod.
 *
 * The other extension points run through their own methods, driven by scheduler.ts in
 * upstream's order: runPostFilter when nothing fits; runReserve / runUnreserve (reverse
 * order) and runPermit in the scheduling cycle; waitOnPermit, runPreBind, runBind,
 * runPostBind in the binding cycle. Pods a Permit plugin holds are kept here by uid
 * (getWaitingPod, findWaitingPod, iterateOverWaitingPods, rejectWaitingPod).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { CycleState } from './cycle-state.js';
import type { FitError } from './fit-error.js';
import {
  isBind, isFilter, isPermit, isPostBind, isPostFilter, isPreBind, isPreEnqueue, isPreFilter, isPreScore, isQueueSort, isReserve, isScore, MAX_NODE_SCORE,
  type BindPlugin, type FilterPlugin, type FrameworkHandle, type FrameworkRuntime, type PermitPlugin, type Plugin, type PluginFactory,
  type PostBindPlugin, type PostFilterPlugin, type PreBindPlugin, type PreEnqueuePlugin, type PreFilterPlugin, type PreScorePlugin, type QueueSortPlugin,
  type ReservePlugin, type ScorePlugin,
} from './interface.js';
import { addPodToNodeInfo, cloneNodeInfo, type NodeInfo } from './node-info.js';
import { nonZeroRequests, podRequests } from './resources.js';
import type { NominatedPods } from '../queue/nominator.js';
import { asError, isRejected, success, type Status } from './status.js';
import { WaitingPod } from './waiting-pods.js';

/** Extension points a profile can enable or disable a plugin at (upstream Plugins' fields). */
export type ExtensionPoint = 'preEnqueue' | 'queueSort' | 'preFilter' | 'filter' | 'postFilter' | 'preScore' | 'score' | 'reserve' | 'permit' | 'preBind' | 'bind' | 'postBind';

/**
 * One plugin of a profile; `weight` applies to its Score (default 1). By default the
 * plugin serves every extension point it implements; `only` restricts it to those
 * points, `disabled` removes points (a KubeSchedulerConfiguration's per-point
 * enabled/disabled lists, see config.ts).
 */
export interface PluginConfig { name: string; weight?: number; only?: ExtensionPoint[]; disabled?: ExtensionPoint[]; /** The plugin's arguments (a profile's pluginConfig). */ args?: unknown }

const servesAt = (c: PluginConfig, point: ExtensionPoint): boolean => (!c.only || c.only.includes(point)) && !c.disabled?.includes(point);

/** The outcome of one scheduling attempt. */
export type ScheduleResult =
  | { kind: 'scheduled'; nodeName: string; feasibleNodes: number; evaluatedNodes: number }
  | { kind: 'unschedulable'; fitError: FitError }
  | { kind: 'error'; status: Status };

/** What runPostFilter reports: the final status and, on Success, the node to nominate. */
export interface PostFilterOutcome { status: Status; nominatedNodeName?: string }

export class Framework implements FrameworkRuntime {
  readonly preEnqueues: PreEnqueuePlugin[];
  /** The profile's QueueSort plugin (its first); the scheduler orders activeQ by it (none: the queue's default, PrioritySort's order). */
  readonly queueSort?: QueueSortPlugin;
  readonly preFilters: PreFilterPlugin[];
  readonly filters: FilterPlugin[];
  readonly preScores: PreScorePlugin[];
  readonly scores: Array<{ plugin: ScorePlugin; weight: number }>;
  readonly binders: BindPlugin[];
  readonly postFilters: PostFilterPlugin[];
  readonly reserves: ReservePlugin[];
  readonly permits: PermitPlugin[];
  readonly preBinds: PreBindPlugin[];
  readonly postBinds: PostBindPlugin[];
  /** Pods held by Permit plugins, by uid. */
  private readonly waitingPods = new Map<string, WaitingPod>();
  /** Where the next cycle's filtering starts (upstream nextStartNodeIndex). */
  private nextStartNodeIndex = 0;
  private readonly nominator?: NominatedPods;

  /**
   * Builds the plugins named in `profile` with `registry` (name → factory).
   * Throws Error for a name the registry does not know.
   */
  constructor(registry: Record<string, PluginFactory>, profile: PluginConfig[], handle: FrameworkHandle = {}, private readonly random: () => number = Math.random,
    /** Share of the nodes to find feasible before scoring, 1–100; 0 = upstream's adaptive default. */
    private readonly percentageOfNodesToScore = 0) {
    this.nominator = handle.nominator;
    const pluginHandle: FrameworkHandle = { ...handle, framework: this };
    const plugins: Array<{ plugin: Plugin; weight: number; config: PluginConfig }> = profile.map((c) => {
      const factory = registry[c.name];
      if (!factory) throw new Error(`scheduler: unknown plugin ${JSON.stringify(c.name)}`);
      return { plugin: factory(pluginHandle, c.args), weight: c.weight ?? 1, config: c };
    });
    const at = <P extends Plugin>(point: ExtensionPoint, is: (p: Plugin) => p is P): P[] =>
      plugins.filter((p) => servesAt(p.config, point) && is(p.plugin)).map((p) => p.plugin as P);
    this.preEnqueues = at('preEnqueue', isPreEnqueue);
    this.queueSort = at('queueSort', isQueueSort)[0];
    this.preFilters = at('preFilter', isPreFilter);
    this.filters = at('filter', isFilter);
    this.preScores = at('preScore', isPreScore);
    this.scores = plugins.filter((p) => servesAt(p.config, 'score') && isScore(p.plugin)).map((p) => ({ plugin: p.plugin as ScorePlugin, weight: p.weight }));
    this.binders = at('bind', isBind);
    this.postFilters = at('postFilter', isPostFilter);
    this.reserves = at('reserve', isReserve);
    this.permits = at('permit', isPermit);
    this.preBinds = at('preBind', isPreBind);
    this.postBinds = at('postBind', isPostBind);
  }

  /**
   * PreEnqueue plugins (upstream RunPreEnqueuePlugins): Success when the pod may enter the
   * scheduling queue, else the first rejecting status (plugin named).
   */
  runPreEnqueue(pod: Pod): Status {
    for (const p of this.preEnqueues) {
      const s = guard(p.name, () => p.preEnqueue(pod));
      if (s.code !== 'Success') return { ...s, plugin: p.name };
    }
    return success();
  }

  /** PreFilter plugins; the first non-Success/Skip status is returned (plugin named). */
  runPreFilter(state: CycleState, pod: Pod): Status | undefined {
    state.filtersToRun = undefined;
    for (const p of this.preFilters) {
      const s = guard(p.name, () => p.preFilter(state, pod));
      if (s.code === 'Skip') { state.skipFilterPlugins.add(p.name); continue; }
      if (s.code !== 'Success') return s;
    }
    return undefined;
  }

  /** Filter plugins on one node: Success, or the first rejecting/erroring status. */
  runFilter(state: CycleState, pod: Pod, node: NodeInfo): Status {
    // Once per cycle, not once per node: the plugins whose PreFilter did not skip them.
    const filters = state.filtersToRun ??= state.skipFilterPlugins.size ? this.filters.filter((p) => !state.skipFilterPlugins.has(p.name)) : this.filters;
    for (let i = 0; i < filters.length; i++) {
      const p = filters[i];
      let s: Status;
      try { s = p.filter(state, pod, node); } catch (err) { return { ...asError(err), plugin: p.name }; }
      // A literal, not a spread: this runs for every rejected node of every cycle.
      if (s.code !== 'Success') return s.cause === undefined ? { code: s.code, reasons: s.reasons, plugin: p.name } : { code: s.code, reasons: s.reasons, plugin: p.name, cause: s.cause };
    }
    return success();
  }

  /**
   * Filter plugins on one node with the pods nominated to it (upstream
   * RunFilterPluginsWithNominatedPods): the nominated pods of at least `pod`'s priority
   * (other than `pod`) are added to a copy of the node and, through the PreFilter
   * extensions, to a clone of the cycle state first; when the pod fits beside them it
   * must also fit without them (an affinity to a nominated pod does not count, as it may
   * never arrive).
   */
  runFilterWithNominatedPods(state: CycleState, pod: Pod, node: NodeInfo): Status {
    if (!this.nominator?.size) return this.runFilter(state, pod, node);
    const priority = pod.spec?.priority ?? 0;
    const others = this.nominator.podsFor(node.node.metadata.name!).filter((p) => p.metadata.uid !== pod.metadata.uid && (p.spec?.priority ?? 0) >= priority);
    if (!others.length) return this.runFilter(state, pod, node);
    const withNominated = cloneNodeInfo(node);
    const stateWithNominated = state.clone();
    for (const p of others) {
      addPodToNodeInfo(withNominated, p, podRequests(p), nonZeroRequests(p));
      const ext = this.runPreFilterExtensionAddPod(stateWithNominated, pod, p, withNominated);
      if (ext.code !== 'Success') return ext;
    }
    const s = this.runFilter(stateWithNominated, pod, withNominated);
    return s.code === 'Success' ? this.runFilter(state, pod, node) : s;
  }

  /**
   * Every PreFilter plugin's AddPod extension that PreFilter did not skip (upstream
   * RunPreFilterExtensionAddPod): `state` as if `podToAdd` were on `node`. Success, or
   * the first failing status (an Error when a plugin throws).
   */
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podToAdd: Pod, node: NodeInfo): Status {
    return this.runPreFilterExtension('addPod', state, podToSchedule, podToAdd, node);
  }

  /** The RemovePod counterpart of {@link runPreFilterExtensionAddPod} (upstream RunPreFilterExtensionRemovePod). */
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podToRemove: Pod, node: NodeInfo): Status {
    return this.runPreFilterExtension('removePod', state, podToSchedule, podToRemove, node);
  }

  private runPreFilterExtension(ext: 'addPod' | 'removePod', state: CycleState, podToSchedule: Pod, other: Pod, node: NodeInfo): Status {
    for (const p of this.preFilters) {
      const fn = p[ext];
      if (!fn || state.skipFilterPlugins.has(p.name)) continue;
      const s = guard(p.name, () => fn.call(p, state, podToSchedule, other, node));
      if (s.code !== 'Success') return s;
    }
    return success();
  }

  /** Weighted, normalized score totals, one per node of `nodes` (same order). Throws on a plugin fault. */
  runScore(state: CycleState, pod: Pod, nodes: NodeInfo[]): Float64Array {
    for (const p of this.preScores) {
      const s = guard(p.name, () => p.preScore(state, pod, nodes));
      if (s.code === 'Skip') state.skipScorePlugins.add(p.name);
      else if (s.code !== 'Success') throw new Error(`${p.name}: ${s.reasons.join(', ')}`);
    }
    const totals = new Float64Array(nodes.length);
    const clamp = (v: number): number => Math.max(0, Math.min(MAX_NODE_SCORE, v));
    for (const { plugin, weight } of this.scores) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      if (!plugin.normalizeScores) {
        for (let i = 0; i < nodes.length; i++) totals[i] += clamp(plugin.score(state, pod, nodes[i])) * weight;
        continue;
      }
      // Normalization sees every node's raw score, in the nodes' order (the plugin contract).
      const scores = new Float64Array(nodes.length);
      for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(state, pod, nodes[i]);
      plugin.normalizeScores(state, pod, scores);
      for (let i = 0; i < nodes.length; i++) totals[i] += clamp(scores[i]) * weight;
    }
    return totals;
  }

  /** One scheduling attempt over a snapshot of nodes (upstream schedulePod). */
  schedule(pod: Pod, nodes: NodeInfo[], state = new CycleState()): ScheduleResult {
    const nodeStatuses = new Map<string, Status>();
    if (nodes.length === 0) return { kind: 'unschedulable', fitError: { numAllNodes: 0, nodeStatuses } };
    state.allNodes = nodes;
    const pre = this.runPreFilter(state, pod);
    if (pre) {
      if (pre.code === 'Error') return { kind: 'error', status: pre };
      return { kind: 'unschedulable', fitError: { numAllNodes: nodes.length, nodeStatuses, preFilterStatus: pre } };
    }
    // A pod nominated by an earlier preemption tries that node first.
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      const n = nodes.find((x) => x.node.metadata.name === nominated);
      if (n) {
        const s = this.runFilterWithNominatedPods(state, pod, n);
        if (s.code === 'Success') return { kind: 'scheduled', nodeName: nominated, feasibleNodes: 1, evaluatedNodes: 1 };
        if (s.code === 'Error') return { kind: 'error', status: s };
      }
    }
    // Filter from where the last cycle stopped, until enough feasible nodes are found
    // (upstream findNodesThatPassFilters with numFeasibleNodesToFind).
    const feasible: NodeInfo[] = [];
    const want = numFeasibleNodesToFind(this.percentageOfNodesToScore, nodes.length);
    const start = this.nextStartNodeIndex % nodes.length;
    let processed = 0;
    for (; processed < nodes.length && feasible.length < want; processed++) {
      const n = nodes[(start + processed) % nodes.length];
      const s = this.runFilterWithNominatedPods(state, pod, n);
      if (s.code === 'Success') feasible.push(n);
      else if (s.code === 'Error') return { kind: 'error', status: s };
      else nodeStatuses.set(n.node.metadata.name!, s);
    }
    this.nextStartNodeIndex = (start + processed) % nodes.length;
    if (feasible.length === 0) return { kind: 'unschedulable', fitError: { numAllNodes: nodes.length, nodeStatuses } };
    if (feasible.length === 1) return { kind: 'scheduled', nodeName: feasible[0].node.metadata.name!, feasibleNodes: 1, evaluatedNodes: processed };
    let totals: Float64Array;
    try { totals = this.runScore(state, pod, feasible); } catch (err) { return { kind: 'error', status: asError(err) }; }
    return { kind: 'scheduled', nodeName: feasible[this.selectHost(totals)].node.metadata.name!, feasibleNodes: feasible.length, evaluatedNodes: processed };
  }

  /**
   * PostFilter plugins in order after a FitError (upstream RunPostFilterPlugins): the
   * first Success ends it (with its nominated node); UnschedulableAndUnresolvable ends
   * it as is; an Error (or any other code) aborts as Error; Unschedulable lets the next
   * plugin try — their reasons are joined, the first rejecting plugin named, the last
   * nomination given (e.g. '' to clear it) kept. The reasons, when any, replace the
   * computed preemption part of the FailedScheduling message. With no plugin:
   * Unschedulable, no reasons. Rejected nodes are those of `fitError`; a PreFilter
   * rejection applies to every node.
   */
  async runPostFilter(state: CycleState, pod: Pod, fitError: FitError): Promise<PostFilterOutcome> {
    const statuses = new Map(fitError.nodeStatuses);
    if (fitError.preFilterStatus) for (const n of state.allNodes) statuses.set(n.node.metadata.name!, fitError.preFilterStatus);
    const reasons: string[] = [];
    let rejector: string | undefined;
    let nominatedNodeName: string | undefined;
    for (const p of this.postFilters) {
      let out: Awaited<ReturnType<PostFilterPlugin['postFilter']>>;
      try { out = await p.postFilter(state, pod, statuses); } catch (err) { return { status: { ...asError(err), plugin: p.name } }; }
      const s = { ...out.status, plugin: p.name };
      if (s.code === 'Success' || s.code === 'UnschedulableAndUnresolvable') return { status: s, nominatedNodeName: out.result?.nominatedNodeName };
      if (s.code !== 'Unschedulable') return { status: { ...s, code: 'Error' } };
      if (out.result?.nominatedNodeName !== undefined) nominatedNodeName = out.result.nominatedNodeName;
      reasons.push(...s.reasons);
      rejector ??= p.name;
    }
    return { status: { code: 'Unschedulable', reasons, plugin: rejector }, nominatedNodeName };
  }

  /**
   * Reserve plugins in order (upstream RunReservePluginsReserve); the first non-Success
   * is returned with its plugin (a thrown exception is an Error). The caller then runs
   * runUnreserve.
   */
  runReserve(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.reserves) {
      const s = guard(p.name, () => p.reserve(state, pod, nodeName));
      if (s.code !== 'Success') return s.code === 'Error' || isRejected(s) ? s : { ...asError(new Error(`running Reserve plugin ${JSON.stringify(p.name)}: unexpected status ${s.code}`)), plugin: p.name };
    }
    return success();
  }

  /** Every Reserve plugin's Unreserve, in reverse order; exceptions are logged and ignored. */
  runUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.reserves.length - 1; i >= 0; i--) {
      const p = this.reserves[i];
      try { p.unreserve(state, pod, nodeName); } catch (err) { console.error(`scheduler: Unreserve ${p.name}: ${(err as Error).message}`); }
    }
  }

  /**
   * Permit plugins (upstream RunPermitPlugins): a rejection or Error from any plugin is
   * returned at once; if some returned Wait the pod is kept as waiting (see
   * waitOnPermit) and a Wait status is returned; otherwise Success.
   */
  runPermit(state: CycleState, pod: Pod, nodeName: string): Status {
    const waits = new Map<string, number>();
    for (const p of this.permits) {
      let out: ReturnType<PermitPlugin['permit']>;
      try { out = p.permit(state, pod, nodeName); } catch (err) { return { ...asError(err), plugin: p.name }; }
      const s = out.status;
      if (s.code === 'Success' || s.code === 'Skip') continue;
      if (s.code === 'Wait') { waits.set(p.name, out.timeoutMs ?? 0); continue; }
      if (isRejected(s)) return { ...s, plugin: p.name };
      return { ...s, code: 'Error', plugin: p.name };
    }
    if (waits.size === 0) return success();
    this.waitingPods.set(pod.metadata.uid!, new WaitingPod(pod, nodeName, waits));
    return { code: 'Wait', reasons: [`one or more plugins asked to wait and no plugin rejected pod ${JSON.stringify(pod.metadata.name)}`] };
  }

  /** Resolves once the pod is allowed (Success) or rejected/timed out (Unschedulable); Success at once when it does not wait. */
  async waitOnPermit(pod: Pod): Promise<Status> {
    const wp = this.waitingPods.get(pod.metadata.uid!);
    if (!wp) return success();
    try { return await wp.result; } finally { this.waitingPods.delete(pod.metadata.uid!); }
  }

  /** The pod waiting on Permit with this uid, if any. */
  getWaitingPod(uid: string): WaitingPod | undefined { return this.waitingPods.get(uid); }

  /** The waiting pod `namespace/name`, if any. */
  findWaitingPod(namespace: string, name: string): WaitingPod | undefined {
    for (const wp of this.waitingPods.values()) if (wp.pod.metadata.namespace === namespace && wp.pod.metadata.name === name) return wp;
    return undefined;
  }

  /** Calls `fn` for every waiting pod. */
  iterateOverWaitingPods(fn: (wp: WaitingPod) => void): void { for (const wp of [...this.waitingPods.values()]) fn(wp); }

  /** Rejects the waiting pod with this uid (Unschedulable `message` from `plugin`); false when none waits. */
  rejectWaitingPod(uid: string, plugin: string, message: string): boolean {
    const wp = this.waitingPods.get(uid);
    if (!wp) return false;
    wp.reject(plugin, message);
    return true;
  }

  /** PreBind plugins in order; the first non-Success (Skip excepted) is returned with its plugin. */
  async runPreBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.preBinds) {
      let s: Status;
      try { s = await p.preBind(state, pod, nodeName); } catch (err) { s = asError(err); }
      if (s.code !== 'Success' && s.code !== 'Skip') return { ...s, plugin: p.name };
    }
    return success();
  }

  /** PostBind plugins in order; informational, exceptions are logged and ignored. */
  runPostBind(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of this.postBinds) {
      try { p.postBind(state, pod, nodeName); } catch (err) { console.error(`scheduler: PostBind ${p.name}: ${(err as Error).message}`); }
    }
  }

  /** Bind plugins in order until one does not Skip; Error status when none binds. */
  async runBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.binders) {
      let s: Status;
      try { s = await p.bind(state, pod, nodeName); } catch (err) { s = asError(err); }
      if (s.code === 'Skip') continue;
      return { ...s, plugin: p.name };
    }
    return { code: 'Error', reasons: ['no bind plugin bound the pod'] };
  }

  /** Index of the highest total; ties at random (reservoir sampling, as upstream). */
  private selectHost(totals: Float64Array): number {
    let best = 0;
    let bestScore = -1;
    let ties = 0;
    for (let i = 0; i < totals.length; i++) {
      const score = totals[i];
      if (score > bestScore) { best = i; bestScore = score; ties = 1; }
      else if (score === bestScore) { ties++; if (Math.floor(this.random() * ties) === 0) best = i; }
    }
    return best;
  }
}

/** Below this many nodes every node is filtered (upstream minFeasibleNodesToFind). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never goes below this (upstream minFeasibleNodesPercentageToFind). */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * How many feasible nodes a cycle looks for before scoring (upstream
 * numFeasibleNodesToFind): every node below 100; otherwise `percentage` of them (0:
 * adaptive, 50 % minus 1 % per 125 nodes, at least 5 %), and never fewer than 100.
 */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage;
  if (p <= 0) p = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.floor(numAllNodes / 125));
  if (p >= 100) return numAllNodes;
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((numAllNodes * p) / 100));
}

function guard(plugin: string, fn: () => Status): Status {
  try { return { ...fn(), plugin }; } catch (err) { return { ...asError(err), plugin }; }
}
