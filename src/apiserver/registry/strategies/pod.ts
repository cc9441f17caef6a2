/**
 * Pod strategy (upstream pkg/registry/core/pod/strategy.go): status cleared on create
 * (phase Pending, QoS class), graceful deletion (CheckGracefulDeleteStrategy: immediate
 * for unscheduled or terminal pods), and the admission plugins ServiceAccount (default
 * `serviceAccountName`) and DefaultTolerationSeconds.
 */
import type { KubeObject } from '../../../api/object.js';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import { findKind } from '../../../api/kinds.js';
import { defaultStrategy, type Strategy } from '../strategy.js';

/** QoS class (pkg/apis/core/helper/qos): Guaranteed, Burstable or BestEffort. */
export function qosClass(pod: Pod): string {
  const cs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export function podStrategy(): Strategy {
  return defaultStrategy(findKind('', 'pods')!, {
    tracksGeneration: true,
    prepareForCreate(obj) {
      const pod = obj as Pod;
      pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
    },
    admit(_ctx, obj, old) {
      const pod = obj as Pod;
      if (old) return;
      pod.spec ??= {};
      if (!pod.spec.serviceAccountName) pod.spec.serviceAccountName = pod.spec.serviceAccount || 'default';
      pod.spec.serviceAccount = pod.spec.serviceAccountName;
      const tol = pod.spec.tolerations ?? [];
      for (const t of DEFAULT_TOLERATIONS) {
        if (!tol.some((x) => x.key === t.key && (x.effect === 'NoExecute' || !x.effect))) tol.push({ ...t });
      }
      pod.spec.tolerations = tol;
      pod.spec.priority ??= 0;
    },
    gracePeriod(obj, opts) {
      const pod = obj as Pod;
      if (!pod.spec?.nodeName) return 0;
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
      const g = opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      // A pod already being deleted with grace 0 requested is removed now.
      return Math.max(0, g);
    },
  });
}

/** Pods being deleted are not bound anew; exported for the binding subresource. */
export const isTerminating = (obj: KubeObject): boolean => !!obj.metadata.deletionTimestamp;
