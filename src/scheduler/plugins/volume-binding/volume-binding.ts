/**
 * VolumeBinding (upstream pkg/scheduler/framework/plugins/volumebinding, v1.32), the
 * part that needs no volume binder yet — the hooks later storage work extends:
 *
 * PreFilter: Skip for a pod without PersistentVolumeClaims. Each claim must exist
 * (`persistentvolumeclaim "x" not found`) and not be deleting (`persistentvolumeclaim
 * "x" is being deleted`), both UnschedulableAndUnresolvable; an unbound claim whose
 * StorageClass binds Immediately (or that has no class) makes the pod wait for the PV
 * controller: UnschedulableAndUnresolvable `pod has unbound immediate
 * PersistentVolumeClaims`. A class that does not exist is an Error
 * (`storageclass.storage.k8s.io "x" not found`), retried with back-off.
 *
 * Filter: for each bound claim, its PersistentVolume must exist (`node(s) unavailable
 * due to one or more pvc(s) bound to non-existent pv(s)`) and its
 * `spec.nodeAffinity.required` must match the node (`node(s) had volume node affinity
 * conflict`), UnschedulableAndUnresolvable. Claims of a WaitForFirstConsumer class that
 * are still unbound pass: finding or provisioning a volume on the chosen node (upstream's
 * FindPodVolumes, Reserve/PreBind and the `volume.kubernetes.io/selected-node`
 * annotation) is not implemented.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { KubeObject } from '../../../api/object.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { asError } from '../../framework/status.js';
import { success, unschedulable, type FilterPlugin, type FrameworkHandle, type NodeInfo, type PreFilterPlugin } from '../../framework/interface.js';
import { nodeMatchesTerms, type SelectorTerm } from '../node-affinity/node-affinity.js';
import { readPodClaims } from './pod-volume-claims.js';

export const VOLUME_BINDING = 'VolumeBinding';
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

type Claim = KubeObject & { spec?: { volumeName?: string; storageClassName?: string } };
type Volume = KubeObject & { spec?: { nodeAffinity?: { required?: { nodeSelectorTerms?: SelectorTerm[] } } } };

/** The bound claims' volumes (undefined: the PV does not exist). */
interface PreFilterState { boundVolumes: Array<Volume | undefined> }
const PRE_FILTER_KEY = 'PreFilterVolumeBinding';

/** Factory of the VolumeBinding plugin (PreFilter, Filter); reads claims, volumes and classes through the handle's `objectGetter` (none: the plugin skips). */
export const volumeBinding = (handle: FrameworkHandle = {}): PreFilterPlugin & FilterPlugin => ({
  name: VOLUME_BINDING,
  preFilter(state: CycleState, pod: Pod) {
    const get = handle.objectGetter!;
    const claims = readPodClaims(pod, handle.objectGetter);
    if (!Array.isArray(claims)) return claims; // Skip without a getter or claims
    const boundVolumes: Array<Volume | undefined> = [];
    let unboundImmediate = false;
    for (const { name, pvc } of claims as Array<{ name: string; pvc: Claim }>) {
      if (pvc.metadata.deletionTimestamp) return unschedulable(`persistentvolumeclaim "${name}" is being deleted`, true);
      if (pvc.spec?.volumeName) { boundVolumes.push(get('persistentvolumes', '', pvc.spec.volumeName) as Volume | undefined); continue; }
      const className = pvc.spec?.storageClassName ?? '';
      if (!className) { unboundImmediate = true; continue; }
      const sc = get('storageclasses', '', className) as (KubeObject & { volumeBindingMode?: string }) | undefined;
      if (!sc) return asError(new Error(`storageclass.storage.k8s.io "${className}" not found`));
      if (sc.volumeBindingMode !== 'WaitForFirstConsumer') unboundImmediate = true;
    }
    if (unboundImmediate) return unschedulable(ERR_REASON_UNBOUND_IMMEDIATE, true);
    state.write(PRE_FILTER_KEY, { boundVolumes } satisfies PreFilterState);
    return success();
  },
  filter(state: CycleState, _pod: Pod, n: NodeInfo) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return success();
    const reasons = new Set<string>();
    for (const pv of s.boundVolumes) {
      if (!pv) { reasons.add(ERR_REASON_PV_NOT_EXIST); continue; }
      const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
      if (terms && !nodeMatchesTerms(n.node, terms)) reasons.add(ERR_REASON_NODE_CONFLICT);
    }
    return reasons.size ? unschedulable([...reasons], true) : success();
  },
});
