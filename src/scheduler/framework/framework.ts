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
 * at random (upstream selectHost).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { CycleState } from './cycle-state.js';
import type { FitError } from './fit-error.js';
import {
  isBind, isFilter, isPreFilter, isPreScore, isScore, MAX_NODE_SCORE,
  type BindPlugin, type FilterPlugin, type FrameworkHandle, type Plugin, type PluginFactory,
  type PreFilterPlugin, type PreScorePlugin, type ScorePlugin,
} from './interface.js';
import type { NodeInfo } from './node-info.js';
import { asError, success, type Status } from './status.js';

/** One plugin of a profile; `weight` applies to its Score (default 1). */
export interface PluginConfig { name: string; weight?: number }

/** The outcome of one scheduling attempt. */
export type ScheduleResult =
  | { kind: 'scheduled'; nodeName: string; feasibleNodes: number; evaluatedNodes: number }
  | { kind: 'unschedulable'; fitError: FitError }
  | { kind: 'error'; status: Status };

export class Framework {
  readonly preFilters: PreFilterPlugin[];
  readonly filters: FilterPlugin[];
  readonly preScores: PreScorePlugin[];
  readonly scores: Array<{ plugin: ScorePlugin; weight: number }>;
  readonly binders: BindPlugin[];
  /** Where the next cycle's filtering starts (upstream nextStartNodeIndex). */
  private nextStartNodeIndex = 0;

  /**
   * Builds the plugins named in `profile` with `registry` (name → factory).
   * Throws Error for a name the registry does not know.
   */
  constructor(registry: Record<string, PluginFactory>, profile: PluginConfig[], handle: FrameworkHandle = {}, private readonly random: () => number = Math.random,
    /** Share of the nodes to find feasible before scoring, 1–100; 0 = upstream's adaptive default. */
    private readonly percentageOfNodesToScore = 0) {
    const plugins: Array<{ plugin: Plugin; weight: number }> = profile.map((c) => {
      const factory = registry[c.name];
      if (!factory) throw new Error(`scheduler: unknown plugin ${JSON.stringify(c.name)}`);
      return { plugin: factory(handle), weight: c.weight ?? 1 };
    });
    this.preFilters = plugins.map((p) => p.plugin).filter(isPreFilter);
    this.filters = plugins.map((p) => p.plugin).filter(isFilter);
    this.preScores = plugins.map((p) => p.plugin).filter(isPreScore);
    this.scores = plugins.filter((p) => isScore(p.plugin)).map((p) => ({ plugin: p.plugin as ScorePlugin, weight: p.weight }));
    this.binders = plugins.map((p) => p.plugin).filter(isBind);
  }

  /** PreFilter plugins; the first non-Success/Skip status is returned (plugin named). */
  runPreFilter(state: CycleState, pod: Pod): Status | undefined {
    for (const p of this.preFilters) {
      const s = guard(p.name, () => p.preFilter(state, pod));
      if (s.code === 'Skip') { state.skipFilterPlugins.add(p.name); continue; }
      if (s.code !== 'Success') return s;
    }
    return undefined;
  }

  /** Filter plugins on one node: Success, or the first rejecting/erroring status. */
  runFilter(state: CycleState, pod: Pod, node: NodeInfo): Status {
    const skipping = state.skipFilterPlugins.size > 0;
    for (const p of this.filters) {
      if (skipping && state.skipFilterPlugins.has(p.name)) continue;
      let s: Status;
      try { s = p.filter(state, pod, node); } catch (err) { return { ...asError(err), plugin: p.name }; }
      if (s.code !== 'Success') return { ...s, plugin: p.name };
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
      // Normalization sees every node's raw score by name (the plugin contract).
      const scores = new Map<string, number>();
      for (const n of nodes) scores.set(n.node.metadata.name!, plugin.score(state, pod, n));
      plugin.normalizeScores(state, pod, scores);
      for (let i = 0; i < nodes.length; i++) totals[i] += clamp(scores.get(nodes[i].node.metadata.name!) ?? 0) * weight;
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
    // Filter from where the last cycle stopped, until enough feasible nodes are found
    // (upstream findNodesThatPassFilters with numFeasibleNodesToFind).
    const feasible: NodeInfo[] = [];
    const want = numFeasibleNodesToFind(this.percentageOfNodesToScore, nodes.length);
    const start = this.nextStartNodeIndex % nodes.length;
    let processed = 0;
    for (; processed < nodes.length && feasible.length < want; processed++) {
      const n = nodes[(start + processed) % nodes.length];
      const s = this.runFilter(state, pod, n);
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
