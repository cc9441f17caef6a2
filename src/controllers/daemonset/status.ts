/**
 * DaemonSet status counting (upstream daemon_controller.go updateDaemonSetStatus).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import type { DaemonSet } from '../../api/apps/v1/daemon-set.js';
import { isPodAvailable, isPodReady } from '../pod-util.js';
import { isPodUpdated, nodeShouldRunDaemonPod, sortByCreationAndPhase } from './daemon-pods.js';

/** The apps/v1 DaemonSetStatus fields this controller writes (counts are numbers of nodes). */
export interface DaemonSetStatus {
  desiredNumberScheduled: number; currentNumberScheduled: number; numberMisscheduled: number; numberReady: number;
  updatedNumberScheduled: number; numberAvailable: number; numberUnavailable: number; observedGeneration?: number; collisionCount?: number;
}

/**
 * Upstream status counting: a node that should run the pod is desired, and current when
 * it has a pod; its oldest pod (bound first) decides ready/available/updated. A node
 * that should not run it but has a pod is misscheduled. numberUnavailable is desired
 * minus available. `now` is milliseconds since the epoch (for minReadySeconds).
 */
export function computeDaemonSetStatus(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string, generation: string | undefined, now: number): DaemonSetStatus {
  const s: DaemonSetStatus = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
  const minReady = ds.spec?.minReadySeconds ?? 0;
  for (const n of nodes) {
    const pods = byNode.get(n.metadata.name!) ?? [];
    const scheduled = pods.length > 0;
    if (nodeShouldRunDaemonPod(n, ds).shouldRun) {
      s.desiredNumberScheduled++;
      if (!scheduled) continue;
      s.currentNumberScheduled++;
      const pod = sortByCreationAndPhase(pods)[0];
      if (isPodReady(pod)) {
        s.numberReady++;
        if (isPodAvailable(pod, minReady, now)) s.numberAvailable++;
      }
      if (isPodUpdated(pod, hash, generation)) s.updatedNumberScheduled++;
    } else if (scheduled) s.numberMisscheduled++;
  }
  s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
  return s;
}
