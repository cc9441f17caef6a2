/**
 * DefaultPreemption (upstream pkg/scheduler/framework/plugins/defaultpreemption and
 * pkg/scheduler/framework/preemption Evaluator.Preempt): a PostFilter plugin. When a
 * pod fits nowhere it looks for a node where deleting pods of lower priority would let
 * it fit:
 *   1. eligibility — not with spec.preemptionPolicy Never, nor while a lower-priority
 *      pod on its nominated node is still terminating (an earlier preemption's victim);
 *   2. candidates — nodes that rejected the pod with Unschedulable (not
 *      UnschedulableAndUnresolvable); on each, victims.ts selectVictimsOnNode with the
 *      framework's Filter plugins and the PodDisruptionBudgets (policy/v1, listed
 *      through the API client);
 *   3. the node — pick-node.ts pickOneNodeForPreemption;
 *   4. the victims — a victim waiting on Permit is rejected; every other one gets the
 *      condition DisruptionTarget=True (reason PreemptionByScheduler) through
 *      pods/status and is then deleted (graceful; NotFound ignored);
 *   5. the result nominates the node; the scheduler writes status.nominatedNodeName.
 * Failure messages start with "preemption: " (they end the FailedScheduling message);
 * when no node can help the nomination is cleared, as upstream.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import { podDisruptionBudgetDefinition, type PodDisruptionBudget } from '../../../api/policy/v1/pod-disruption-budget.js';
import { refOf, untyped } from '../../../api/resource-definition.js';
import { resources, type Client } from '../../../client/interface.js';
import { isNotFound } from '../../../machinery/errors.js';
import { rfc3339 } from '../../../machinery/time.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { nodesAvailableMessage } from '../../framework/fit-error.js';
import type { FrameworkHandle, FrameworkRuntime, PostFilterPlugin, PostFilterResult } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { asError, success, unschedulable, type Status } from '../../framework/status.js';
import { DEFAULT_SCHEDULER_NAME } from '../../pod-filters.js';
import { pickOneNodeForPreemption, type Candidate } from './pick-node.js';
import { podPriority, selectVictimsOnNode, type NodeSimulation } from './victims.js';

export const DEFAULT_PREEMPTION = 'DefaultPreemption';

/** policy/v1 poddisruptionbudgets. */
export const PDB_RESOURCE = refOf(untyped(podDisruptionBudgetDefinition));

/** Status of a node where deleting pods cannot help. */
const NOT_HELPFUL = unschedulable('Preemption is not helpful for scheduling', true);

/**
 * Can `pod` preempt at all (upstream PodEligibleToPreemptOthers)? Returns undefined when
 * it can, else upstream's reason. `nominated`: the NodeInfo of its
 * status.nominatedNodeName, if that node exists; `nominatedStatus` the node's status in
 * this cycle (an unresolvable node does not hold the pod back).
 */
export function preemptionIneligibility(pod: Pod, nominated?: NodeInfo, nominatedStatus?: Status): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  if (nominated && nominatedStatus?.code !== 'UnschedulableAndUnresolvable') {
    const prio = podPriority(pod);
    if (nominated.pods.some((p) => p.metadata.deletionTimestamp && podPriority(p) < prio)) return 'not eligible due to a terminating pod on the nominated node.';
  }
  return undefined;
}

/**
 * The candidates among `nodes` and the per-node statuses of those that are not (upstream
 * findCandidates + DryRunPreemption). `simulate` gives each node's dry run (victims.ts NodeSimulation).
 */
export function findCandidates(pod: Pod, nodes: NodeInfo[], nodeStatuses: Map<string, Status>, pdbs: PodDisruptionBudget[], simulate: (node: NodeInfo) => NodeSimulation, now = Date.now()): { candidates: Candidate[]; statuses: Map<string, Status> } {
  const candidates: Candidate[] = [];
  const statuses = new Map<string, Status>();
  for (const n of nodes) {
    const name = n.node.metadata.name!;
    if (nodeStatuses.get(name)?.code !== 'Unschedulable') { statuses.set(name, NOT_HELPFUL); continue; }
    const r = selectVictimsOnNode(pod, n, pdbs, simulate(n), now);
    if (r.status.code !== 'Success') { statuses.set(name, r.status); continue; }
    if (r.victims.length === 0) { statuses.set(name, asError(new Error(`expected at least one victim pod on node ${JSON.stringify(name)}`))); continue; }
    candidates.push({ nodeName: name, victims: r.victims, numPDBViolations: r.numPDBViolations });
  }
  return { candidates, statuses };
}

/** The DisruptionTarget condition put on a victim before it is deleted. */
export function preemptionCondition(schedulerName: string, now = new Date()): Record<string, unknown> {
  return { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: rfc3339(now) };
}

/**
 * Evicts `victim` for the preemptor (upstream prepareCandidate, per victim): adds the
 * DisruptionTarget condition (unless present) via a strategic merge patch of
 * pods/status, then deletes the pod (uid precondition). NotFound counts as done;
 * other API errors are thrown.
 */
export async function evictVictim(client: Client, victim: Pod, schedulerName: string): Promise<void> {
  const pods = client.resource<Pod>(resources.pods);
  const { name, namespace, uid } = victim.metadata;
  try {
    if (!(victim.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.status === 'True')) {
      await pods.patch(name!, { status: { conditions: [preemptionCondition(schedulerName)] } }, 'application/strategic-merge-patch+json', { namespace, subresource: 'status' });
    }
    await pods.delete(name!, { namespace, preconditions: { uid } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/**
 * The dry runs of `pod`'s preemption through the framework (upstream DryRunPreemption):
 * each node's on its own clone of the cycle state, which the PreFilter extensions keep
 * in step as pods leave and return; the pod fits when the Filter plugins pass.
 */
export function dryRunOn(fw: FrameworkRuntime, state: CycleState, pod: Pod): (node: NodeInfo) => NodeSimulation {
  return () => {
    const s = state.clone();
    return {
      fits: (n) => fw.runFilter(s, pod, n),
      removePod: (p, n) => fw.runPreFilterExtensionRemovePod(s, pod, p, n),
      addPod: (p, n) => fw.runPreFilterExtensionAddPod(s, pod, p, n),
    };
  };
}

/** Factory of the DefaultPreemption plugin; evicting needs `handle.client` (without one, PDBs are empty and eviction is an Error). */
export const defaultPreemption = (handle: FrameworkHandle): PostFilterPlugin => ({
  name: DEFAULT_PREEMPTION,
  async postFilter(state: CycleState, pod: Pod, nodeStatuses: Map<string, Status>): Promise<{ status: Status; result?: PostFilterResult }> {
    const nodes = state.allNodes;
    const nominatedName = pod.status?.nominatedNodeName;
    const nominated = nominatedName ? nodes.find((n) => n.node.metadata.name === nominatedName) : undefined;
    const ineligible = preemptionIneligibility(pod, nominated, nominatedName ? nodeStatuses.get(nominatedName) : undefined);
    if (ineligible) return { status: unschedulable(`preemption: ${ineligible}`) };
    const fw = handle.framework;
    if (!fw) return { status: asError(new Error('DefaultPreemption needs the framework handle')) };

    // PDBs matter only when some candidate node has a lower-priority pod (saves the list otherwise).
    const prio = podPriority(pod);
    const mightHelp = nodes.some((n) => nodeStatuses.get(n.node.metadata.name!)?.code === 'Unschedulable' && n.pods.some((p) => podPriority(p) < prio));
    let pdbs: PodDisruptionBudget[] = [];
    if (mightHelp && handle.client) {
      try { pdbs = (await handle.client.resource<PodDisruptionBudget>(PDB_RESOURCE).list()).items; } catch (err) { return { status: asError(err) }; }
    }
    // After the await the NodeInfos may have moved on; the dry run reads them as they are now.
    const { candidates, statuses } = findCandidates(pod, nodes, nodeStatuses, pdbs, dryRunOn(fw, state, pod));
    const best = pickOneNodeForPreemption(candidates);
    if (!best) {
      return { status: unschedulable(`preemption: ${nodesAvailableMessage(nodes.length, statuses.values())}`), result: { nominatedNodeName: '' } };
    }
    if (!handle.client) return { status: asError(new Error('DefaultPreemption needs an API client')) };
    const schedulerName = pod.spec?.schedulerName || handle.schedulerName || DEFAULT_SCHEDULER_NAME;
    try {
      await Promise.all(best.victims.map(async (v) => {
        if (fw.rejectWaitingPod(v.metadata.uid!, DEFAULT_PREEMPTION, 'preempted')) return;
        await evictVictim(handle.client!, v, schedulerName);
      }));
    } catch (err) {
      return { status: asError(err) };
    }
    handle.metrics?.preemptionVictims(best.victims.length);
    return { status: success(), result: { nominatedNodeName: best.nodeName } };
  },
});
