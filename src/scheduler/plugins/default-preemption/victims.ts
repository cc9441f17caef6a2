/**
 * Victim selection on one node for DefaultPreemption (upstream
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go
 * SelectVictimsOnNode, framework/preemption filterPodsWithPDBViolation,
 * pkg/scheduler/util MoreImportantPod / GetPodStartTime). Pure functions over a copy of
 * the node; the fit check is passed in (the framework's Filter plugins).
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { PodDisruptionBudget } from '../../../api/policy/v1/pod-disruption-budget.js';
import { selectorFromLabelSelector } from '../../../machinery/labels.js';
import { addPodToNodeInfo, cloneNodeInfo, removePodFromNodeInfo, type NodeInfo } from '../../framework/node-info.js';
import { nonZeroRequests, podRequests } from '../../framework/resources.js';
import { unschedulable, type Status } from '../../framework/status.js';

/** spec.priority, 0 when unset (upstream corev1helpers.PodPriority). */
export const podPriority = (p: Pod): number => p.spec?.priority ?? 0;

/** status.startTime in ms; `now` for a pod not started yet (assumed or bound, as upstream GetPodStartTime). */
export function podStartTime(p: Pod, now = Date.now()): number {
  const t = p.status?.startTime ? Date.parse(p.status.startTime) : NaN;
  return Number.isNaN(t) ? now : t;
}

/** Higher priority first; at equal priority the pod that started earlier (upstream MoreImportantPod). */
export function moreImportantPod(a: Pod, b: Pod, now = Date.now()): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}

/** Sorts pods most important first (see moreImportantPod); returns a new array. */
export function sortByImportance(pods: Pod[], now = Date.now()): Pod[] {
  return [...pods].sort((a, b) => (moreImportantPod(a, b, now) ? -1 : moreImportantPod(b, a, now) ? 1 : 0));
}

/**
 * Splits `pods` (kept in order) into those whose eviction would violate a PDB and the
 * rest (upstream filterPodsWithPDBViolation). Each PDB's budget starts at
 * status.disruptionsAllowed and is spent by each matching pod in turn; a pod that takes
 * a budget below zero violates it. PDBs of other namespaces, with an empty or missing
 * (or invalid) selector, or listing the pod in status.disruptedPods do not count; a
 * pod without labels matches none.
 */
export function filterPodsWithPDBViolation(pods: Pod[], pdbs: PodDisruptionBudget[]): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = pdbs.map((p) => Number(p.status?.disruptionsAllowed ?? 0));
  const selectors = pdbs.map((p) => {
    try {
      const sel = p.spec?.selector ? selectorFromLabelSelector(p.spec.selector) : undefined;
      return sel && !sel.empty() ? sel : undefined;
    } catch { return undefined; }
  });
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violated = false;
    const labels = pod.metadata.labels;
    if (labels && Object.keys(labels).length) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata.namespace !== pod.metadata.namespace) return;
        const sel = selectors[i];
        if (!sel || !sel.matches(labels)) return;
        if (pdb.status?.disruptedPods && pod.metadata.name! in pdb.status.disruptedPods) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

/** What SelectVictimsOnNode decided for one node. */
export interface NodeVictims {
  /** Pods to delete, most important first; empty when `status` is not Success. */
  victims: Pod[];
  /** How many of the victims violate a PDB. */
  numPDBViolations: number;
  /** Success, or why preemption on this node cannot help. */
  status: Status;
}

/**
 * A dry run of preemption on one node (upstream SelectVictimsOnNode's state and
 * framework calls): `fits` checks the pod on the simulated node; `removePod`/`addPod`
 * keep a clone of the cycle state in step as pods leave and return (the PreFilter
 * extensions), Success or the failing status.
 */
export interface NodeSimulation {
  fits(n: NodeInfo): Status;
  removePod?(p: Pod, n: NodeInfo): Status;
  addPod?(p: Pod, n: NodeInfo): Status;
}

/**
 * Chooses the fewest, least important pods on `node` whose removal lets `pod` pass
 * `fits` (upstream SelectVictimsOnNode): every pod of lower priority is removed; if the
 * pod still does not fit, that status is returned; then, most important first, PDB
 * violators before the others, each is added back if the pod still fits ("reprieved"),
 * else it becomes a victim. UnschedulableAndUnresolvable "No preemption victims found
 * for incoming pod" when the node has no lower-priority pod. `node` is not modified.
 */
export function selectVictimsOnNode(pod: Pod, node: NodeInfo, pdbs: PodDisruptionBudget[], sim: NodeSimulation, now = Date.now()): NodeVictims {
  const copy = cloneNodeInfo(node);
  const prio = podPriority(pod);
  // A PreFilter extension that fails ends the dry run on this node with its status.
  const remove = (p: Pod): Status | undefined => {
    removePodFromNodeInfo(copy, p.metadata.uid!, podRequests(p), nonZeroRequests(p));
    const s = sim.removePod?.(p, copy);
    return s && s.code !== 'Success' ? s : undefined;
  };
  const add = (p: Pod): Status | undefined => {
    addPodToNodeInfo(copy, p, podRequests(p), nonZeroRequests(p));
    const s = sim.addPod?.(p, copy);
    return s && s.code !== 'Success' ? s : undefined;
  };
  const potential = copy.pods.filter((p) => podPriority(p) < prio);
  if (potential.length === 0) return { victims: [], numPDBViolations: 0, status: unschedulable('No preemption victims found for incoming pod', true) };
  for (const p of potential) {
    const failed = remove(p);
    if (failed) return { victims: [], numPDBViolations: 0, status: failed };
  }
  const fit = sim.fits(copy);
  if (fit.code !== 'Success') return { victims: [], numPDBViolations: 0, status: fit };
  const { violating, nonViolating } = filterPodsWithPDBViolation(sortByImportance(potential, now), pdbs);
  const victims: Pod[] = [];
  let numPDBViolations = 0;
  const reprieve = (p: Pod, violates: boolean): Status | undefined => {
    const failed = add(p);
    if (failed) return failed;
    if (sim.fits(copy).code === 'Success') return undefined;
    victims.push(p);
    if (violates) numPDBViolations++;
    return remove(p);
  };
  for (const [pods, violates] of [[violating, true], [nonViolating, false]] as const) {
    for (const p of pods) {
      const failed = reprieve(p, violates);
      if (failed) return { victims: [], numPDBViolations: 0, status: failed };
    }
  }
  return { victims: sortByImportance(victims, now), numPDBViolations, status: { code: 'Success', reasons: [] } };
}
