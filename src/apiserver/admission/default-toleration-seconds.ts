/**
 * DefaultTolerationSeconds (upstream plugin/pkg/admission/defaulttolerationseconds): a
 * new pod that does not tolerate the `not-ready` / `unreachable` NoExecute taints gets
 * tolerations for them with tolerationSeconds 300, so it is evicted 5 minutes after its
 * node fails.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';
import { isPodCreate } from './pod-create.js';

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export const defaultTolerationSeconds = (): AdmissionPlugin => ({
  name: 'DefaultTolerationSeconds',
  admit(a: AdmissionAttributes) {
    if (!isPodCreate(a)) return;
    const spec = ((a.object as Pod).spec ??= {});
    const tol = spec.tolerations ?? [];
    for (const t of DEFAULT_TOLERATIONS) {
      if (!tol.some((x) => x.key === t.key && (x.effect === 'NoExecute' || !x.effect))) tol.push({ ...t });
    }
    spec.tolerations = tol;
  },
});
