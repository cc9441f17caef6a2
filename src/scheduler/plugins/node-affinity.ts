/**
 * NodeAffinity (upstream plugins/nodeaffinity): spec.nodeSelector and required node
 * affinity terms (In, NotIn, Exists, DoesNotExist, Gt, Lt; terms ORed, expressions ANDed).
 */
import type { Node } from '../../api/core/v1/types.js';
import { success, unschedulable, type FilterPlugin } from '../framework/interface.js';

type Req = { key: string; operator: string; values?: string[] };

function matchExpr(labels: Record<string, string>, e: Req): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, e.key);
  const v = labels[e.key];
  switch (e.operator) {
    case 'In': return has && (e.values ?? []).includes(v);
    case 'NotIn': return !has || !(e.values ?? []).includes(v);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': return has && Number(v) > Number(e.values?.[0]);
    case 'Lt': return has && Number(v) < Number(e.values?.[0]);
    default: return false;
  }
}

export function nodeMatchesTerms(node: Node, terms: Array<{ matchExpressions?: Req[]; matchFields?: Req[] }>): boolean {
  const labels = node.metadata.labels ?? {};
  return terms.some((t) => (t.matchExpressions?.length || t.matchFields?.length)
    && (t.matchExpressions ?? []).every((e) => matchExpr(labels, e))
    && (t.matchFields ?? []).every((e) => matchExpr({ 'metadata.name': node.metadata.name ?? '' }, e)));
}

export const nodeAffinity = (): FilterPlugin => ({
  name: 'NodeAffinity',
  filter(pod, n) {
    const labels = n.node.metadata.labels ?? {};
    const sel = pod.spec?.nodeSelector ?? {};
    const fail = unschedulable("node(s) didn't match Pod's node affinity/selector", true);
    if (Object.entries(sel).some(([k, v]) => labels[k] !== v)) return fail;
    const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (terms && !nodeMatchesTerms(n.node, terms as never)) return fail;
    return success();
  },
});
