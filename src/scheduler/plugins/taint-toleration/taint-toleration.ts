/**
 * TaintToleration (upstream plugins/tainttoleration): Filter rejects a node with a
 * NoSchedule/NoExecute taint the pod does not tolerate; Score counts the untolerated
 * PreferNoSchedule taints, normalized in reverse (fewer is better).
 */
import type { Pod, Toleration } from '../../../api/core/v1/pod-types.js';
import type { Taint } from '../../../api/core/v1/types.js';
import { defaultNormalizeScore, success, unschedulable, type FilterPlugin, type ScorePlugin } from '../../framework/interface.js';

export const TAINT_TOLERATION = 'TaintToleration';

/** Upstream Toleration.ToleratesTaint: effect (empty = all), key (empty + Exists = all), operator Exists/Equal. */
export function tolerates(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  return op === 'Exists' || (op === 'Equal' && (t.value ?? '') === (taint.value ?? ''));
}

/** The first NoSchedule/NoExecute taint of `taints` the pod does not tolerate, if any. */
export function untoleratedTaint(pod: Pod, taints: Taint[]): Taint | undefined {
  const tols = pod.spec?.tolerations ?? [];
  return taints.find((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tols.some((t) => tolerates(t, taint)));
}

/** Factory of the TaintToleration plugin (Filter, Score with reverse normalization). */
export const taintToleration = (): FilterPlugin & ScorePlugin => ({
  name: TAINT_TOLERATION,
  filter(_state, pod, n) {
    const taint = untoleratedTaint(pod, n.node.spec?.taints ?? []);
    return taint ? unschedulable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`, true) : success();
  },
  score(_state, pod, n) {
    if (!n.node.spec?.taints?.length) return 0;
    const tols = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return (n.node.spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !tols.some((x) => tolerates(x, t))).length;
  },
  normalizeScores: (_state, _pod, scores) => defaultNormalizeScore(scores, true),
});
