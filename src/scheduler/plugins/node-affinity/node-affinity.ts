/**
 * NodeAffinity (upstream plugins/nodeaffinity): Filter requires spec.nodeSelector
 * (every label equal) and, when set, one of the required node affinity terms
 * (terms ORed, expressions ANDed; operators In, NotIn, Exists, DoesNotExist, Gt, Lt;
 * matchFields on metadata.name). Score sums the weights of the preferred terms the
 * node matches, normalized so the best node gets 100.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import { defaultNormalizeScore, skip, success, unschedulable, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interface.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_REASON_POD_NOT_MATCH_NODE_SELECTOR = "node(s) didn't match Pod's node affinity/selector";

/** A node selector requirement (key, operator, values). */
export interface SelectorRequirement { key: string; operator: string; values?: string[] }
/** A node selector term: all expressions and fields must match. */
export interface SelectorTerm { matchExpressions?: SelectorRequirement[]; matchFields?: SelectorRequirement[] }

/** One requirement against a label map (upstream labels.Requirement.Matches for node selectors). */
export function matchRequirement(labels: Record<string, string>, r: SelectorRequirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return has && values.includes(v);
    case 'NotIn': return !has || !values.includes(v);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1 || !/^-?\d+$/.test(v) || !/^-?\d+$/.test(values[0])) return false;
      return r.operator === 'Gt' ? Number(v) > Number(values[0]) : Number(v) < Number(values[0]);
    }
    default: return false;
  }
}

/** True when `node` matches the term; an empty term matches nothing (upstream). */
export function nodeMatchesTerm(node: Node, t: SelectorTerm): boolean {
  if (!t.matchExpressions?.length && !t.matchFields?.length) return false;
  const labels = node.metadata.labels ?? {};
  const fields = { 'metadata.name': node.metadata.name ?? '' };
  return (t.matchExpressions ?? []).every((e) => matchRequirement(labels, e)) && (t.matchFields ?? []).every((e) => matchRequirement(fields, e));
}

/** True when `node` matches any of the terms (ORed). */
export const nodeMatchesTerms = (node: Node, terms: SelectorTerm[]): boolean => terms.some((t) => nodeMatchesTerm(node, t));

/** spec.nodeSelector and required node affinity together (upstream RequiredNodeAffinity.Match). */
export function podMatchesNode(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  if (Object.entries(pod.spec?.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as SelectorTerm[] | undefined;
  return !terms || nodeMatchesTerms(node, terms);
}

const preferred = (pod: Pod) => (pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Array<{ weight?: number; preference?: SelectorTerm }>;

/** Factory of the NodeAffinity plugin (PreFilter/Filter, PreScore/Score). */
export const nodeAffinity = (): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin => ({
  name: NODE_AFFINITY,
  preFilter(_state, pod) {
    const hasSelector = Object.keys(pod.spec?.nodeSelector ?? {}).length > 0;
    const hasRequired = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
    return hasSelector || hasRequired ? success() : skip();
  },
  filter: (_state, pod, n) => (podMatchesNode(pod, n.node) ? success() : unschedulable(ERR_REASON_POD_NOT_MATCH_NODE_SELECTOR, true)),
  preScore: (_state, pod) => (preferred(pod).length ? success() : skip()),
  score: (_state, pod, n) => preferred(pod).reduce((sum, p) => sum + (p.preference && nodeMatchesTerm(n.node, p.preference) ? p.weight ?? 0 : 0), 0),
  normalizeScores: (_state, _pod, scores) => defaultNormalizeScore(scores, false),
});
