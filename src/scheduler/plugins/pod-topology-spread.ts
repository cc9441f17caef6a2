/**
 * PodTopologySpread (upstream pkg/scheduler/framework/plugins/podtopologyspread; the
 * "Pod Topology Spread Constraints" concept page): pods matching a constraint's
 * `labelSelector` (in the incoming pod's namespace, not terminating) are counted per
 * topology domain — the value of `topologyKey` — over the nodes that carry every key of
 * the pod's constraints and, with `nodeAffinityPolicy: Honor` (the default), match the
 * pod's nodeSelector/required affinity (`nodeTaintsPolicy: Honor` also requires their
 * taints tolerated; the default Ignore does not).
 *
 * Filter (`whenUnsatisfiable: DoNotSchedule`): a node without a constraint's key is
 * UnschedulableAndUnresolvable; otherwise placing the pod must keep
 * count(node's domain) + (1 if the pod matches its own selector) − min over domains
 * ≤ maxSkew, where the minimum is 0 while fewer than `minDomains` domains exist.
 * Score (`ScheduleAnyway`): fewer matching pods in the node's domains score higher, each
 * constraint weighted by log(domains + 2), normalized as upstream. `matchLabelKeys`
 * add the pod's own values of those labels to the selector. The cluster-level default
 * constraints (applied to pods without any) are not implemented.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import type { CycleState } from '../framework/cycle-state.js';
import { MAX_NODE_SCORE, skip, success, unschedulable, type FilterPlugin, type NodeInfo, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework/interface.js';
import { podMatchesNode } from './node-affinity.js';
import { untoleratedTaint } from './taint-toleration.js';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

/** One constraint with its selector resolved. */
interface Constraint { maxSkew: number; topologyKey: string; minDomains: number; selector: { matches(labels?: Record<string, string>): boolean }; affinityHonor: boolean; taintsHonor: boolean }

/** A missing labelSelector selects nothing (upstream LabelSelectorAsSelector(nil)). */
const NOTHING = { matches: (): boolean => false };

interface SpreadState {
  constraints: Constraint[];
  /** Per constraint: domain value → matching pods. */
  counts: Array<Map<string, number>>;
  /** Per constraint: the smallest count over its domains (0 below minDomains). */
  minMatch: number[];
  selfMatch: number[];
}

const PRE_FILTER_KEY = 'PreFilterPodTopologySpread';
const PRE_SCORE_KEY = 'PreScorePodTopologySpread';

type RawConstraint = { maxSkew?: number; topologyKey?: string; whenUnsatisfiable?: string; labelSelector?: Record<string, unknown> | null; minDomains?: number; nodeAffinityPolicy?: string; nodeTaintsPolicy?: string; matchLabelKeys?: string[] };

/** The pod's constraints with `when` (DoNotSchedule or ScheduleAnyway), selectors resolved (matchLabelKeys merged). */
function constraintsOf(pod: Pod, when: string): Constraint[] {
  return ((pod.spec?.topologySpreadConstraints ?? []) as RawConstraint[]).filter((c) => c.whenUnsatisfiable === when).map((c) => {
    const sel = { ...(c.labelSelector ?? {}) } as { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
    const extra = (c.matchLabelKeys ?? []).filter((k) => pod.metadata.labels?.[k] !== undefined).map((k) => ({ key: k, operator: 'In', values: [pod.metadata.labels![k]] }));
    if (extra.length) sel.matchExpressions = [...(sel.matchExpressions ?? []), ...extra];
    return {
      maxSkew: c.maxSkew ?? 1, topologyKey: c.topologyKey ?? '', minDomains: c.minDomains ?? 1,
      selector: c.labelSelector === undefined || c.labelSelector === null ? NOTHING : selectorFromLabelSelector(sel),
      affinityHonor: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor', taintsHonor: c.nodeTaintsPolicy === 'Honor',
    };
  });
}

/** Counts matching pods per domain over the nodes each constraint includes. */
function countDomains(pod: Pod, constraints: Constraint[], nodes: NodeInfo[]): SpreadState {
  const counts = constraints.map(() => new Map<string, number>());
  const ns = pod.metadata.namespace;
  const hasAllKeys = (node: Node): boolean => constraints.every((c) => node.metadata.labels?.[c.topologyKey] !== undefined);
  for (const n of nodes) {
    if (!hasAllKeys(n.node)) continue;
    constraints.forEach((c, i) => {
      if (c.affinityHonor && !podMatchesNode(pod, n.node)) return;
      if (c.taintsHonor && untoleratedTaint(pod, (n.node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'))) return;
      const domain = n.node.metadata.labels![c.topologyKey];
      let matched = 0;
      for (const p of n.pods) if (p.metadata.namespace === ns && !p.metadata.deletionTimestamp && c.selector.matches(p.metadata.labels)) matched++;
      counts[i].set(domain, (counts[i].get(domain) ?? 0) + matched);
    });
  }
  const minMatch = constraints.map((c, i) => (counts[i].size < c.minDomains ? 0 : Math.min(...counts[i].values())));
  const selfMatch = constraints.map((c) => (c.selector.matches(pod.metadata.labels) ? 1 : 0));
  return { constraints, counts, minMatch, selfMatch };
}

/** Factory of the PodTopologySpread plugin (PreFilter, Filter, PreScore, Score). */
export const podTopologySpread = (): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin => ({
  name: POD_TOPOLOGY_SPREAD,
  preFilter(state, pod) {
    const constraints = constraintsOf(pod, 'DoNotSchedule');
    if (!constraints.length) return skip();
    state.write(PRE_FILTER_KEY, countDomains(pod, constraints, state.allNodes));
    return success();
  },
  filter(state, _pod, n) {
    const s = state.read<SpreadState>(PRE_FILTER_KEY);
    if (!s) return success();
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const domain = n.node.metadata.labels?.[c.topologyKey];
      if (domain === undefined) return unschedulable(ERR_REASON_NODE_LABEL_NOT_MATCH, true);
      const skew = (s.counts[i].get(domain) ?? 0) + s.selfMatch[i] - s.minMatch[i];
      if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return success();
  },
  preScore(state, pod) {
    const constraints = constraintsOf(pod, 'ScheduleAnyway');
    if (!constraints.length) return skip();
    state.write(PRE_SCORE_KEY, countDomains(pod, constraints, state.allNodes));
    return success();
  },
  score(state: CycleState, _pod, n) {
    const s = state.read<SpreadState>(PRE_SCORE_KEY)!;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const domain = n.node.metadata.labels?.[c.topologyKey];
      if (domain === undefined) return -1; // ignored node: scores 0 after normalization
      const weight = Math.log(s.counts[i].size + 2);
      score += (s.counts[i].get(domain) ?? 0) * weight + (c.maxSkew - 1);
    }
    return score;
  },
  normalizeScores(_state, _pod, scores) {
    let min = Infinity;
    let max = 0;
    for (const v of scores.values()) { if (v < 0) continue; min = Math.min(min, v); max = Math.max(max, v); }
    for (const [k, v] of scores) {
      if (v < 0) { scores.set(k, 0); continue; }
      scores.set(k, max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - v)) / max));
    }
  },
});
