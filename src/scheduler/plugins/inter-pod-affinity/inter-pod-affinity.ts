/**
 * InterPodAffinity (upstream pkg/scheduler/framework/plugins/interpodaffinity, v1.32;
 * the "Assigning Pods to Nodes" concept page, inter-pod affinity and anti-affinity).
 *
 * A pod affinity term selects pods (labelSelector; a missing one selects nothing) in a
 * set of namespaces — `namespaces`, plus those whose labels match `namespaceSelector`
 * (`{}` = every namespace); with neither set, the owning pod's own namespace — and names
 * a node label, `topologyKey`, whose value is the topology domain. `matchLabelKeys` /
 * `mismatchLabelKeys` add `key In (owner's value)` / `key NotIn (owner's value)` to the
 * selector for each key the owning pod carries (upstream's API server merges them at pod
 * creation; merging them here again is idempotent).
 *
 * PreFilter counts, per (topologyKey, value) pair over every node of the snapshot:
 * existing pods' required anti-affinity terms that the incoming pod matches, the
 * existing pods that match all the incoming pod's required affinity terms, and the
 * existing pods matching each of its required anti-affinity terms. It returns Skip when
 * the incoming pod has no required terms and no existing anti-affinity term matches it.
 *
 * Filter, in order: the node must carry every required affinity term's key with a
 * matching pod in that domain — except the first pod of a group: when no pod anywhere
 * matches and the pod matches all its own terms, any node with the keys fits
 * (UnschedulableAndUnresolvable otherwise); no pod matching a required anti-affinity
 * term in the node's domains (Unschedulable); no existing pod's required anti-affinity
 * term matching the incoming pod in any of the node's (key, value) pairs (Unschedulable).
 *
 * PreScore/Score: per topology pair, + weight for each existing pod matching a preferred
 * affinity term of the incoming pod, − weight for its preferred anti-affinity terms,
 * + hardPodAffinityWeight (1) for each existing pod's required affinity term the
 * incoming pod matches, ± weight for existing pods' preferred (anti-)affinity terms it
 * matches; a node scores the sum over its labels; scores are normalized min–max to
 * 0..100.
 *
 * PreFilterExtensions AddPod/RemovePod (for nominated pods and preemption's dry runs, on
 * a clone of the PreFilter state): the three counts change by ±1 for the added or
 * removed pod as PreFilter would have counted it (upstream preFilterState.updateWithPod);
 * a count down to zero is dropped. The ignorePreferredTermsOfExistingPods argument is not
 * implemented.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import { selectorFromLabelSelector, type LabelSelectorLike, type Selector } from '../../../machinery/labels.js';
import type { CycleState } from '../../framework/cycle-state.js';
import {
  MAX_NODE_SCORE, skip, success, unschedulable,
  type FilterPlugin, type FrameworkHandle, type NodeInfo, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin,
} from '../../framework/interface.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
/** Weight of an existing pod's required affinity term in scoring (upstream default hardPodAffinityWeight). */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/** A pod affinity term with its selectors parsed (upstream framework.AffinityTerm). */
export interface AffinityTerm {
  namespaces: Set<string>;
  /** Parsed namespaceSelector: nothing when unset, everything for `{}`. */
  namespaceSelector: Selector;
  selector: Selector;
  topologyKey: string;
}
export interface WeightedAffinityTerm extends AffinityTerm { weight: number }

/** The four term lists of a pod (upstream PodInfo's Required/Preferred(Anti)AffinityTerms). */
export interface PodAffinityInfo {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

type RawTerm = {
  labelSelector?: LabelSelectorLike | null; namespaces?: string[]; namespaceSelector?: LabelSelectorLike | null;
  topologyKey?: string; matchLabelKeys?: string[]; mismatchLabelKeys?: string[];
};
type RawWeighted = { weight?: number; podAffinityTerm?: RawTerm };
type RawAffinity = { requiredDuringSchedulingIgnoredDuringExecution?: RawTerm[]; preferredDuringSchedulingIgnoredDuringExecution?: RawWeighted[] };

/** Parses one term of `pod`; throws BadRequest on an invalid selector operator. */
function parseTerm(pod: Pod, t: RawTerm): AffinityTerm {
  let ls = t.labelSelector;
  const labels = pod.metadata.labels ?? {};
  if (ls && (t.matchLabelKeys?.length || t.mismatchLabelKeys?.length)) {
    const extra = [
      ...(t.matchLabelKeys ?? []).filter((k) => k in labels).map((k) => ({ key: k, operator: 'In', values: [labels[k]] })),
      ...(t.mismatchLabelKeys ?? []).filter((k) => k in labels).map((k) => ({ key: k, operator: 'NotIn', values: [labels[k]] })),
    ];
    ls = { ...ls, matchExpressions: [...(ls.matchExpressions ?? []), ...extra] };
  }
  const namespaces = new Set<string>(t.namespaces?.length || t.namespaceSelector ? t.namespaces ?? [] : [pod.metadata.namespace ?? '']);
  return { namespaces, namespaceSelector: selectorFromLabelSelector(t.namespaceSelector), selector: selectorFromLabelSelector(ls), topologyKey: t.topologyKey ?? '' };
}

/** The parsed terms of `pod`, or undefined when it has neither pod affinity nor anti-affinity. Throws on invalid selectors. */
export function parsePodAffinity(pod: Pod): PodAffinityInfo | undefined {
  const aff = pod.spec?.affinity as { podAffinity?: RawAffinity; podAntiAffinity?: RawAffinity } | undefined;
  if (!aff || (!aff.podAffinity && !aff.podAntiAffinity)) return undefined;
  const req = (a?: RawAffinity) => (a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => parseTerm(pod, t));
  const pref = (a?: RawAffinity) => (a?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
    .map((w) => ({ ...parseTerm(pod, w.podAffinityTerm ?? {}), weight: w.weight ?? 0 }));
  return { requiredAffinity: req(aff.podAffinity), requiredAntiAffinity: req(aff.podAntiAffinity), preferredAffinity: pref(aff.podAffinity), preferredAntiAffinity: pref(aff.podAntiAffinity) };
}

/** Parsed terms of existing pods, per pod object (the cache replaces a pod's object when it changes). */
const parsedExisting = new WeakMap<Pod, PodAffinityInfo | null>();
function existingInfo(pod: Pod): PodAffinityInfo | undefined {
  let info = parsedExisting.get(pod);
  if (info === undefined) {
    try { info = parsePodAffinity(pod) ?? null; } catch { info = null; } // the API validated it; unparsable terms count as none
    parsedExisting.set(pod, info);
  }
  return info ?? undefined;
}

/**
 * True when `pod` is in one of the term's namespaces (explicit, or whose labels
 * `nsLabels` match its namespaceSelector; undefined = namespace unknown) and its labels
 * match the term's selector (upstream AffinityTerm.Matches).
 */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
  const inNs = term.namespaces.has(pod.metadata.namespace ?? '') || term.namespaceSelector.empty()
    || (nsLabels !== undefined && term.namespaceSelector.matches(nsLabels));
  return inNs && term.selector.matches(pod.metadata.labels ?? {});
}

/** True when the pod matches every term; false for no terms (upstream podMatchesAllAffinityTerms). */
const matchesAll = (terms: AffinityTerm[], pod: Pod, nsLabels: (p: Pod) => Record<string, string> | undefined): boolean =>
  terms.length > 0 && terms.every((t) => termMatches(t, pod, nsLabels(pod)));

/** Every pod of every node of the cycle, with its node. */
function* everyPod(state: CycleState): Iterable<{ pod: Pod; node: NodeInfo }> {
  for (const node of state.allNodes) for (const pod of node.pods) yield { pod, node };
}

/**
 * The pods that may match every one of `terms` (each of them must carry the label of any
 * `=`/`in` requirement of any term): the smallest such set from the cache's label index,
 * or undefined when there is no index or no term has such a requirement (scan every pod).
 */
function candidates(state: CycleState, terms: AffinityTerm[]): Array<{ pod: Pod; node: NodeInfo }> | undefined {
  if (!state.podsWithLabel) return undefined;
  let best: Array<{ pod: Pod; node: NodeInfo }> | undefined;
  for (const t of terms) {
    for (const r of t.selector.requirements) {
      if (r.operator !== '=' && r.operator !== 'in') continue;
      const c = state.podsWithLabel(r.key, r.values);
      if (!best || c.length < best.length) best = c;
    }
  }
  return best;
}

/** Topology pair (key, value) → count. */
type PairCounts = Map<string, number>;
const pair = (key: string, value: string): string => `${key}\u0000${value}`;
/** Adds `by` (±1) to the node's pair for `key` (no such label: nothing); a count down to zero is dropped (upstream topologyToMatchedTermCount.update). */
const inc = (m: PairCounts, node: Node, key: string, by = 1): void => {
  const v = node.metadata.labels?.[key];
  if (v === undefined) return;
  const k = pair(key, v);
  const n = (m.get(k) ?? 0) + by;
  if (n === 0) m.delete(k); else m.set(k, n);
};

interface PreFilterState {
  info: PodAffinityInfo;
  /** The incoming pod's namespace labels (for existing pods' terms with a namespaceSelector). */
  nsLabels: Record<string, string>;
  existingAntiAffinityCounts: PairCounts;
  affinityCounts: PairCounts;
  antiAffinityCounts: PairCounts;
  /** A copy whose counts can change apart from this one's (CycleState.clone). */
  clone(): PreFilterState;
}

function preFilterState(info: PodAffinityInfo, nsLabels: Record<string, string>, counts?: Pick<PreFilterState, 'existingAntiAffinityCounts' | 'affinityCounts' | 'antiAffinityCounts'>): PreFilterState {
  const s: PreFilterState = {
    info, nsLabels,
    existingAntiAffinityCounts: new Map(counts?.existingAntiAffinityCounts), affinityCounts: new Map(counts?.affinityCounts), antiAffinityCounts: new Map(counts?.antiAffinityCounts),
    clone: () => preFilterState(info, nsLabels, s),
  };
  return s;
}

interface PreScoreState { topologyScore: Map<string, Map<string, number>> }

const PRE_FILTER_KEY = 'PreFilterInterPodAffinity';
const PRE_SCORE_KEY = 'PreScoreInterPodAffinity';
const NO_TERMS: PodAffinityInfo = { requiredAffinity: [], requiredAntiAffinity: [], preferredAffinity: [], preferredAntiAffinity: [] };

/** Factory of the InterPodAffinity plugin (PreFilter, Filter, PreScore, Score with normalization). */
export const interPodAffinity = (handle: FrameworkHandle = {}): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin => {
  // Labels of a namespace: upstream merges the namespaces a selector picks into the
  // incoming pod's terms up front; looking the existing pod's namespace up is the same test.
  const nsLabelsOf = (p: Pod): Record<string, string> | undefined => handle.namespaceLister?.(p.metadata.namespace ?? '');
  /** The incoming pod's namespace labels, for existing pods' terms (unknown namespace: no labels). */
  const incomingNsLabels = (pod: Pod): Record<string, string> => nsLabelsOf(pod) ?? {};

  /** `pod`'s PreFilter counts as if `target` were added to (`by` 1) or removed from (−1) `node` (upstream preFilterState.updateWithPod). */
  const updateWithPod = (state: CycleState, pod: Pod, target: Pod, node: Node, by: 1 | -1): void => {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return;
    for (const t of existingInfo(target)?.requiredAntiAffinity ?? []) if (termMatches(t, pod, s.nsLabels)) inc(s.existingAntiAffinityCounts, node, t.topologyKey, by);
    if (matchesAll(s.info.requiredAffinity, target, nsLabelsOf)) for (const t of s.info.requiredAffinity) inc(s.affinityCounts, node, t.topologyKey, by);
    for (const t of s.info.requiredAntiAffinity) if (termMatches(t, target, nsLabelsOf(target))) inc(s.antiAffinityCounts, node, t.topologyKey, by);
  };

  return {
    name: INTER_POD_AFFINITY,
    preFilter(state, pod) {
      let info: PodAffinityInfo;
      try { info = parsePodAffinity(pod) ?? NO_TERMS; } catch (err) { return unschedulable(`parsing pod: ${(err as Error).message}`, true); }
      const nsLabels = incomingNsLabels(pod);
      const s = preFilterState(info, nsLabels);
      const withIncomingTerms = info.requiredAffinity.length > 0 || info.requiredAntiAffinity.length > 0;
      const countExisting = (p: Pod, n: NodeInfo): void => {
        for (const t of existingInfo(p)?.requiredAntiAffinity ?? []) if (termMatches(t, pod, nsLabels)) inc(s.existingAntiAffinityCounts, n.node, t.topologyKey);
      };
      // With the cache's index, only the pods whose terms this pod's labels may match.
      const existing = state.podsWithAntiAffinityMatching?.(pod.metadata.labels ?? {});
      if (existing) for (const { pod: p, node: n } of existing) countExisting(p, n);
      else for (const n of state.nodesWithRequiredAntiAffinityPods ?? state.allNodes) for (const p of n.podsWithRequiredAntiAffinity) countExisting(p, n);
      if (withIncomingTerms) {
        // Only pods carrying a label a term requires can match it: with the cache's label
        // index they are the candidates; without, every pod of every node is.
        const affinityCandidates = candidates(state, info.requiredAffinity);
        if (info.requiredAffinity.length) {
          for (const { pod: p, node: n } of affinityCandidates ?? everyPod(state)) {
            if (matchesAll(info.requiredAffinity, p, nsLabelsOf)) for (const t of info.requiredAffinity) inc(s.affinityCounts, n.node, t.topologyKey);
          }
        }
        for (const t of info.requiredAntiAffinity) {
          for (const { pod: p, node: n } of candidates(state, [t]) ?? everyPod(state)) {
            if (termMatches(t, p, nsLabelsOf(p))) inc(s.antiAffinityCounts, n.node, t.topologyKey);
          }
        }
      }
      if (s.existingAntiAffinityCounts.size === 0 && !withIncomingTerms) return skip();
      state.write(PRE_FILTER_KEY, s);
      return success();
    },
    addPod(state, pod, podToAdd, n) { updateWithPod(state, pod, podToAdd, n.node, 1); return success(); },
    removePod(state, pod, podToRemove, n) { updateWithPod(state, pod, podToRemove, n.node, -1); return success(); },
    filter(state, pod, n) {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY);
      if (!s) return success();
      const labels = n.node.metadata.labels ?? {};
      // Required affinity: every key present, a matching pod in each domain — or the first pod of its group.
      let podsExist = true;
      for (const t of s.info.requiredAffinity) {
        const v = labels[t.topologyKey];
        if (v === undefined) return unschedulable(ERR_REASON_AFFINITY_RULES_NOT_MATCH, true);
        if ((s.affinityCounts.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
      }
      if (!podsExist && !(s.affinityCounts.size === 0 && matchesAll(s.info.requiredAffinity, pod, nsLabelsOf))) {
        return unschedulable(ERR_REASON_AFFINITY_RULES_NOT_MATCH, true);
      }
      if (s.antiAffinityCounts.size > 0) {
        for (const t of s.info.requiredAntiAffinity) {
          const v = labels[t.topologyKey];
          if (v !== undefined && (s.antiAffinityCounts.get(pair(t.topologyKey, v)) ?? 0) > 0) return unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
        }
      }
      if (s.existingAntiAffinityCounts.size > 0) {
        for (const k in labels) {
          if ((s.existingAntiAffinityCounts.get(pair(k, labels[k])) ?? 0) > 0) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
        }
      }
      return success();
    },
    preScore(state, pod, nodes) {
      if (nodes.length === 0) return skip();
      const info = parsePodAffinity(pod) ?? NO_TERMS; // parsed fine in PreFilter already
      const hasConstraints = info.preferredAffinity.length > 0 || info.preferredAntiAffinity.length > 0;
      const nsLabels = incomingNsLabels(pod);
      const topologyScore = new Map<string, Map<string, number>>();
      const add = (term: AffinityTerm, weight: number, target: Pod, targetNsLabels: Record<string, string> | undefined, node: Node): void => {
        if (!termMatches(term, target, targetNsLabels)) return;
        const v = node.metadata.labels?.[term.topologyKey];
        if (v === undefined) return;
        let m = topologyScore.get(term.topologyKey);
        if (!m) topologyScore.set(term.topologyKey, (m = new Map()));
        m.set(v, (m.get(v) ?? 0) + weight);
      };
      for (const n of hasConstraints ? state.allNodes : (state.nodesWithScoringAffinityPods ?? state.nodesWithAffinityPods ?? state.allNodes)) {
        // Without preferred terms of its own, only pods with (anti-)affinity matter.
        const pods = hasConstraints ? n.pods : n.podsWithAffinity;
        if (pods.length === 0 || Object.keys(n.node.metadata.labels ?? {}).length === 0) continue;
        for (const p of pods) {
          const existing = existingInfo(p);
          for (const t of info.preferredAffinity) add(t, t.weight, p, nsLabelsOf(p), n.node);
          for (const t of info.preferredAntiAffinity) add(t, -t.weight, p, nsLabelsOf(p), n.node);
          if (!existing) continue;
          for (const t of existing.requiredAffinity) add(t, HARD_POD_AFFINITY_WEIGHT, pod, nsLabels, n.node);
          for (const t of existing.preferredAffinity) add(t, t.weight, pod, nsLabels, n.node);
          for (const t of existing.preferredAntiAffinity) add(t, -t.weight, pod, nsLabels, n.node);
        }
      }
      if (topologyScore.size === 0) return skip();
      state.write(PRE_SCORE_KEY, { topologyScore } satisfies PreScoreState);
      return success();
    },
    score(state: CycleState, _pod, n: NodeInfo) {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return 0;
      let score = 0;
      for (const [key, values] of s.topologyScore) {
        const v = n.node.metadata.labels?.[key];
        if (v !== undefined) score += values.get(v) ?? 0;
      }
      return score;
    },
    normalizeScores(state, _pod, scores) {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s || s.topologyScore.size === 0) return;
      let min = Infinity;
      let max = -Infinity;
      for (const v of scores) { min = Math.min(min, v); max = Math.max(max, v); }
      const diff = max - min;
      for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i] - min) / diff)) : 0;
    },
  };
};
