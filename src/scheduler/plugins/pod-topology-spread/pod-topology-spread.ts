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
 * constraint weighted by log(domains + 2) — domains among the feasible nodes; for
 * kubernetes.io/hostname, the feasible nodes scored — plus maxSkew − 1, rounded, and
 * normalized as upstream (scoring.go). `matchLabelKeys` add the pod's own values of
 * those labels to the selector. PreFilterExtensions AddPod/RemovePod (nominated pods,
 * preemption's dry runs) move a pod's count in and out of its domain on a clone of the
 * PreFilter state, and the minimum with it.
 *
 * Pods without constraints of their own get the cluster-level defaults of the plugin's
 * args (pod-topology-spread-defaults.ts; upstream buildDefaultConstraints), selecting
 * what helper.DefaultSelector deduces from Services and the owning controller; nothing
 * deduced, or no listers in the handle (pure unit tests): no defaults. With the System
 * defaults, nodes lacking a topology key are still scored (on the keys they have), so
 * nodes without a zone label keep hostname spreading; otherwise they are ignored.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import { selectorFromLabelSelector } from '../../../machinery/labels.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, skip, success, unschedulable, type FilterPlugin, type FrameworkHandle, type NodeInfo, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interface.js';
import { defaultSelector, spreadDefaultsOf, type RawConstraint, type SpreadDefaults } from './pod-topology-spread-defaults.js';
import { podMatchesNode } from '../node-affinity/node-affinity.js';
import { untoleratedTaint } from '../taint-toleration/taint-toleration.js';

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
  /** A copy whose counts can change apart from this one's (CycleState.clone). */
  clone(): SpreadState;
}

/** The state of `constraints` with these counts (copied); the minimum per constraint worked out from them. */
function spreadState(constraints: Constraint[], counts: Array<Map<string, number>>, selfMatch: number[]): SpreadState {
  const s: SpreadState = {
    constraints, counts: counts.map((m) => new Map(m)), selfMatch, minMatch: [],
    clone: () => spreadState(constraints, s.counts, selfMatch),
  };
  s.minMatch = constraints.map((c, i) => minMatchOf(c, s.counts[i]));
  return s;
}

/** The smallest count over the domains, 0 while fewer than minDomains exist (upstream minMatchNum). */
const minMatchOf = (c: Constraint, counts: Map<string, number>): number => (counts.size < c.minDomains ? 0 : Math.min(...counts.values()));

/** Whether the node's pods count for `c` when placing `pod` (nodeAffinityPolicy / nodeTaintsPolicy Honor; upstream matchNodeInclusionPolicies). */
function nodeIncluded(c: Constraint, pod: Pod, node: Node): boolean {
  if (c.affinityHonor && !podMatchesNode(pod, node)) return false;
  if (c.taintsHonor && untoleratedTaint(pod, (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'))) return false;
  return true;
}

/**
 * The counts as if `target` were added to (`by` 1) or removed from (−1) `node`
 * (upstream preFilterState.updateWithPod): only a pod of the incoming pod's namespace,
 * not terminating, on a node carrying every constraint's key, for the constraints whose
 * selector it matches and whose node inclusion policies admit the node.
 */
function updateWithPod(s: SpreadState, pod: Pod, target: Pod, node: Node, by: 1 | -1): void {
  if (target.metadata.namespace !== pod.metadata.namespace || target.metadata.deletionTimestamp) return;
  if (!s.constraints.every((c) => node.metadata.labels?.[c.topologyKey] !== undefined)) return;
  s.constraints.forEach((c, i) => {
    if (!c.selector.matches(target.metadata.labels) || !nodeIncluded(c, pod, node)) return;
    const domain = node.metadata.labels![c.topologyKey];
    s.counts[i].set(domain, (s.counts[i].get(domain) ?? 0) + by);
    s.minMatch[i] = minMatchOf(c, s.counts[i]);
  });
}

const PRE_FILTER_KEY = 'PreFilterPodTopologySpread';
const PRE_SCORE_KEY = 'PreScorePodTopologySpread';

/** `raw` constraints with `when` (DoNotSchedule or ScheduleAnyway), selectors resolved (the pod's matchLabelKeys values merged). */
function resolve(raw: RawConstraint[], pod: Pod, when: string): Constraint[] {
  return raw.filter((c) => c.whenUnsatisfiable === when).map((c) => {
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

const HOSTNAME = 'kubernetes.io/hostname';

/** What the plugin knows beyond the pod: the checked args' defaults and, when the handle has them, the listers. */
interface Defaulting { defaults: SpreadDefaults; handle: FrameworkHandle }

/**
 * The pod's constraints with `when`; a pod without any gets the default constraints
 * with `when`, all selecting by the deduced default selector (upstream
 * buildDefaultConstraints) — none without listers or a deduced selector.
 */
function constraintsOf(pod: Pod, when: string, d?: Defaulting): Constraint[] {
  const own = (pod.spec?.topologySpreadConstraints ?? []) as RawConstraint[];
  if (own.length || !d) return resolve(own, pod, when);
  const lister = d.handle.objectLister;
  const constraints = resolve(d.defaults.constraints, pod, when);
  if (!constraints.length || !lister) return [];
  const sel = defaultSelector(pod, lister);
  if (!sel) return [];
  const selector = selectorFromLabelSelector(sel);
  return constraints.map((c) => ({ ...c, selector }));
}

/** Counts matching pods per domain over the nodes each constraint includes. */
function countDomains(pod: Pod, constraints: Constraint[], nodes: NodeInfo[]): SpreadState {
  const counts = constraints.map(() => new Map<string, number>());
  const ns = pod.metadata.namespace;
  // Plain loops: this visits every node of every cycle.
  nodes: for (const n of nodes) {
    const labels = n.node.metadata.labels;
    if (!labels) continue;
    for (let i = 0; i < constraints.length; i++) if (labels[constraints[i].topologyKey] === undefined) continue nodes;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      if (!nodeIncluded(c, pod, n.node)) continue;
      const domain = labels[c.topologyKey];
      counts[i].set(domain, (counts[i].get(domain) ?? 0) + countOnNode(n, c, ns));
    }
  }
  return spreadState(constraints, counts, constraints.map((c) => (c.selector.matches(pod.metadata.labels) ? 1 : 0)));
}

/** Matching pods of the pod's namespace on one node, terminating ones left out (upstream countPodsMatchSelector). */
function countOnNode(n: NodeInfo, c: Constraint, ns: string | undefined): number {
  let matched = 0;
  for (const p of n.pods) if (p.metadata.namespace === ns && !p.metadata.deletionTimestamp && c.selector.matches(p.metadata.labels)) matched++;
  return matched;
}

interface ScoreState {
  constraints: Constraint[];
  /** Feasible nodes not scored (lacking a topology key while all are required). */
  ignored: Set<string>;
  /** Per constraint: domain value → matching pods, for the domains of the feasible nodes (hostname: counted in Score). */
  counts: Array<Map<string, number>>;
  weights: number[];
}

/** Upstream PreScore/initPreScoreState: domains from the feasible nodes, pods counted over all nodes. */
function preScoreState(pod: Pod, constraints: Constraint[], feasible: NodeInfo[], allNodes: NodeInfo[], requireAll: boolean): ScoreState {
  const hasAll = (n: NodeInfo): boolean => constraints.every((c) => n.node.metadata.labels?.[c.topologyKey] !== undefined);
  const ignored = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  for (const n of feasible) {
    if (requireAll && !hasAll(n)) { ignored.add(n.node.metadata.name!); continue; }
    constraints.forEach((c, i) => { if (c.topologyKey !== HOSTNAME) counts[i].set(n.node.metadata.labels?.[c.topologyKey] ?? '', 0); });
  }
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? feasible.length - ignored.size : counts[i].size) + 2));
  for (const n of allNodes) {
    if (requireAll && !hasAll(n)) continue;
    constraints.forEach((c, i) => {
      if (!nodeIncluded(c, pod, n.node)) return;
      const domain = n.node.metadata.labels?.[c.topologyKey] ?? '';
      const cur = counts[i].get(domain);
      if (cur !== undefined) counts[i].set(domain, cur + countOnNode(n, c, pod.metadata.namespace));
    });
  }
  return { constraints, ignored, counts, weights };
}

/**
 * Factory of the PodTopologySpread plugin (PreFilter, Filter, PreScore, Score); `args`:
 * PodTopologySpreadArgs (checked here, see pod-topology-spread-defaults.ts); the
 * handle's `objectLister` feeds the default constraints' selectors.
 */
export const podTopologySpread = (handle: FrameworkHandle = {}, args?: unknown): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin => {
  const d: Defaulting = { defaults: spreadDefaultsOf(args), handle };
  return {
    name: POD_TOPOLOGY_SPREAD,
    preFilter(state, pod) {
      const constraints = constraintsOf(pod, 'DoNotSchedule', d);
      if (!constraints.length) return skip();
      state.write(PRE_FILTER_KEY, countDomains(pod, constraints, state.allNodes));
      return success();
    },
    addPod(state, pod, podToAdd, n) {
      const s = state.read<SpreadState>(PRE_FILTER_KEY);
      if (s) updateWithPod(s, pod, podToAdd, n.node, 1);
      return success();
    },
    removePod(state, pod, podToRemove, n) {
      const s = state.read<SpreadState>(PRE_FILTER_KEY);
      if (s) updateWithPod(s, pod, podToRemove, n.node, -1);
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
    preScore(state, pod, nodes) {
      if (!state.allNodes.length) return skip();
      const constraints = constraintsOf(pod, 'ScheduleAnyway', d);
      if (!constraints.length) return skip();
      // Only the System defaults let nodes lacking a key be scored (hostname spreading without zones).
      const requireAll = (pod.spec?.topologySpreadConstraints ?? []).length > 0 || !d.defaults.systemDefaulted;
      state.write(PRE_SCORE_KEY, preScoreState(pod, constraints, nodes, state.allNodes, requireAll));
      return success();
    },
    score(state: CycleState, pod, n) {
      const s = state.read<ScoreState>(PRE_SCORE_KEY)!;
      if (s.ignored.has(n.node.metadata.name!)) return -1; // scores 0 after normalization
      let score = 0;
      s.constraints.forEach((c, i) => {
        const domain = n.node.metadata.labels?.[c.topologyKey];
        if (domain === undefined) return;
        const count = c.topologyKey === HOSTNAME ? countOnNode(n, c, pod.metadata.namespace) : s.counts[i].get(domain) ?? 0;
        score += count * s.weights[i] + (c.maxSkew - 1);
      });
      return Math.round(score);
    },
    normalizeScores(_state, _pod, scores) {
      let min = Infinity;
      let max = 0;
      for (const v of scores) { if (v < 0) continue; min = Math.min(min, v); max = Math.max(max, v); }
      for (let i = 0; i < scores.length; i++) {
        const v = scores[i];
        scores[i] = v < 0 ? 0 : max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - v)) / max);
      }
    },
  };
};
