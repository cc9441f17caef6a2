/**
 * The scheduling framework's plugin contracts (upstream
 * pkg/scheduler/framework/interface.go): one interface per extension point. A plugin
 * implements any subset; the framework calls them in profile order:
 *   PreFilter (once per pod) → Filter (per node) → PreScore (once, feasible nodes)
 *   → Score (per feasible node) → NormalizeScore → Bind (async, after assuming).
 * Every call returns a {@link Status} value; exceptions are faults (treated as Error).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Client } from '../../client/interface.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { Status } from './status.js';

export type { Status, Code } from './status.js';
export { success, skip, unschedulable, isSuccess, isRejected } from './status.js';
export type { NodeInfo } from './node-info.js';

/** Highest score a Score plugin may give (upstream framework.MaxNodeScore). */
export const MAX_NODE_SCORE = 100;

export interface Plugin { readonly name: string }

/** Runs once per pod before filtering; Skip disables this plugin's Filter for the cycle; a rejection fails every node. */
export interface PreFilterPlugin extends Plugin { preFilter(state: CycleState, pod: Pod): Status }
/** Is `node` feasible for `pod`? Success or a rejection with reasons. */
export interface FilterPlugin extends Plugin { filter(state: CycleState, pod: Pod, node: NodeInfo): Status }
/** Runs once before scoring with the feasible nodes; Skip disables this plugin's Score. */
export interface PreScorePlugin extends Plugin { preScore(state: CycleState, pod: Pod, nodes: NodeInfo[]): Status }
/**
 * Scores a feasible node 0..MAX_NODE_SCORE (higher is better). `normalizeScores`, when
 * present, rewrites the raw scores of all nodes (node name → score) into 0..MAX_NODE_SCORE.
 */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  normalizeScores?(state: CycleState, pod: Pod, scores: Map<string, number>): void;
}
/** Binds the pod to the node through the API; Skip lets the next Bind plugin try. */
export interface BindPlugin extends Plugin { bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> }

/** What a plugin factory gets: access to the API (binder) — absent in pure unit tests. */
export interface FrameworkHandle {
  client?: Client;
  /**
   * A namespace's labels, or undefined when the namespace is unknown (upstream's
   * namespace lister); InterPodAffinity needs it for terms with a namespaceSelector.
   */
  namespaceLister?: (name: string) => Record<string, string> | undefined;
}
export type PluginFactory = (handle: FrameworkHandle) => Plugin;

export const isPreFilter = (p: Plugin): p is PreFilterPlugin => typeof (p as PreFilterPlugin).preFilter === 'function';
export const isFilter = (p: Plugin): p is FilterPlugin => typeof (p as FilterPlugin).filter === 'function';
export const isPreScore = (p: Plugin): p is PreScorePlugin => typeof (p as PreScorePlugin).preScore === 'function';
export const isScore = (p: Plugin): p is ScorePlugin => typeof (p as ScorePlugin).score === 'function';
export const isBind = (p: Plugin): p is BindPlugin => typeof (p as BindPlugin).bind === 'function';

/**
 * Helper for normalizeScores (upstream plugins/helper/normalize_score.go
 * DefaultNormalizeScore): scales scores so the highest becomes MAX_NODE_SCORE; with
 * `reverse`, higher raw values become lower scores.
 */
export function defaultNormalizeScore(scores: Map<string, number>, reverse: boolean): void {
  let max = 0;
  for (const v of scores.values()) max = Math.max(max, v);
  for (const [k, v] of scores) {
    if (max === 0) { scores.set(k, reverse ? MAX_NODE_SCORE : 0); continue; }
    const s = Math.floor((v * MAX_NODE_SCORE) / max);
    scores.set(k, reverse ? MAX_NODE_SCORE - s : s);
  }
}
