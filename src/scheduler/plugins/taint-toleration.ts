/** TaintToleration (upstream plugins/tainttoleration): NoSchedule/NoExecute taints need a matching toleration. */
import type { Toleration } from '../../api/core/v1/pod-types.js';
import type { Taint } from '../../api/core/v1/types.js';
import { success, unschedulable, type FilterPlugin, type ScorePlugin } from '../framework/interface.js';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

export const taintToleration = (): FilterPlugin & ScorePlugin => ({
  name: 'TaintToleration',
  filter(pod, n) {
    for (const taint of n.node.spec?.taints ?? []) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!(pod.spec?.tolerations ?? []).some((t) => tolerates(t, taint))) return unschedulable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`, true);
    }
    return success();
  },
  score(pod, n) {
    const intolerable = (n.node.spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !(pod.spec?.tolerations ?? []).some((x) => tolerates(x, t))).length;
    return Math.max(0, 100 - intolerable * 10);
  },
});
