/**
 * VolumeRestrictions (upstream pkg/scheduler/framework/plugins/volumerestrictions,
 * v1.32), the ReadWriteOncePod part: a pod whose claim has the `ReadWriteOncePod`
 * access mode cannot be placed while another pod on some node uses that claim —
 * Unschedulable (preemption may remove the other pod) `node has pod using
 * PersistentVolumeClaim with the same name and ReadWriteOncePod access mode`. PreFilter
 * counts the users over the cycle's nodes (upstream NodeInfo.PVCRefCounts); the PreFilter
 * extensions keep the count as preemption's dry runs remove pods. A missing claim is
 * UnschedulableAndUnresolvable `persistentvolumeclaim "x" not found`. The disk conflicts
 * of the in-tree GCE PD, AWS EBS, RBD and iSCSI volumes are not checked (those volume
 * types are not served).
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { KubeObject } from '../../../api/object.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { skip, success, unschedulable, type FilterPlugin, type FrameworkHandle, type NodeInfo, type PreFilterPlugin } from '../../framework/interface.js';
import { podClaimNames, readPodClaims } from '../volume-binding/pod-volume-claims.js';

export const VOLUME_RESTRICTIONS = 'VolumeRestrictions';
export const ERR_REASON_RWOP_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

/** How many other pods use each of the pod's ReadWriteOncePod claims. */
interface PreFilterState extends StateData { conflicts: number; claims: Set<string>; clone(): PreFilterState }
const PRE_FILTER_KEY = 'PreFilterVolumeRestrictions';

const preFilterState = (claims: Set<string>, conflicts: number): PreFilterState => {
  const s: PreFilterState = { claims, conflicts, clone: () => preFilterState(claims, s.conflicts) };
  return s;
};

/** Whether `other` (not `pod` itself) uses one of `claims` (names in the pod's namespace). */
const uses = (other: Pod, pod: Pod, claims: Set<string>): boolean =>
  other.metadata.uid !== pod.metadata.uid && other.metadata.namespace === pod.metadata.namespace && podClaimNames(other).some((c) => claims.has(c));

/** Factory of the VolumeRestrictions plugin (PreFilter with AddPod/RemovePod, Filter). */
export const volumeRestrictions = (handle: FrameworkHandle = {}): PreFilterPlugin & FilterPlugin => ({
  name: VOLUME_RESTRICTIONS,
  preFilter(state: CycleState, pod: Pod) {
    const claims = readPodClaims(pod, handle.objectGetter);
    if (!Array.isArray(claims)) return claims;
    const rwop = new Set<string>();
    for (const { name, pvc } of claims as Array<{ name: string; pvc: KubeObject & { spec?: { accessModes?: string[] } } }>) {
      if (pvc.spec?.accessModes?.includes('ReadWriteOncePod')) rwop.add(name);
    }
    if (!rwop.size) return skip();
    let conflicts = 0;
    for (const n of state.allNodes) for (const p of n.pods) if (uses(p, pod, rwop)) conflicts++;
    state.write(PRE_FILTER_KEY, preFilterState(rwop, conflicts));
    return success();
  },
  addPod(state, pod, podToAdd) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s && uses(podToAdd, pod, s.claims)) s.conflicts++;
    return success();
  },
  removePod(state, pod, podToRemove) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s && uses(podToRemove, pod, s.claims)) s.conflicts--;
    return success();
  },
  filter(state: CycleState, _pod: Pod, _n: NodeInfo) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    return s && s.conflicts > 0 ? unschedulable(ERR_REASON_RWOP_CONFLICT) : success();
  },
});
