/**
 * The scheduling framework's plugin contracts (upstream
 * pkg/scheduler/framework/interface.go): one interface per extension point. A plugin
 * implements any subset; the framework calls them in profile order.
 * Scheduling cycle (one pod at a time):
 *   PreFilter (once per pod) → Filter (per node) → PostFilter (only when no node is
 *   feasible; e.g. preemption) → PreScore (once, feasible nodes) → Score (per feasible
 *   node) → NormalizeScore → [assume] → Reserve → Permit.
 * Binding cycle (in the background): wait for Permit → PreBind → Bind → PostBind.
 * A failure after Reserve runs every Reserve plugin's Unreserve in reverse order and
 * forgets the assumed pod.
 * Every call returns a {@link Status} value; exceptions are faults (treated as Error).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { KubeObject } from '../../api/object.js';
import type { Client } from '../../client/interface.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { Status } from './status.js';
import type { NominatedPods } from '../queue/nominator.js';

export type { Status, Code } from './status.js';
export { success, skip, unschedulable, isSuccess, isRejected } from './status.js';
export type { NodeInfo } from './node-info.js';

/** Highest score a Score plugin may give (upstream framework.MaxNodeScore). */
export const MAX_NODE_SCORE = 100;

export interface Plugin { readonly name: string }

/** Runs once per pod before filtering; Skip disables this plugin's Filter for the cycle; a rejection fails every node. */
/** What a QueueSort plugin compares: a queued pod and when it was (re)queued (ms; upstream QueuedPodInfo). */
export interface QueuedPodRef { pod: Pod; timestamp: number }
/** Orders activeQ (upstream QueueSortPlugin.Less): true when `a` pops before `b`. A profile uses its first. */
export interface QueueSortPlugin extends Plugin { less(a: QueuedPodRef, b: QueuedPodRef): boolean }
/** Whether a pod may enter the scheduling queue now (upstream PreEnqueuePlugin): Success, or a rejection saying what it waits for. */
export interface PreEnqueuePlugin extends Plugin { preEnqueue(pod: Pod): Status }
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod): Status;
  /**
   * PreFilterExtensions (upstream AddPod/RemovePod): update this plugin's PreFilter state
   * in `state` as if `podToAdd` were also on `node` (`podToRemove` no longer were), for
   * the nominated pods and preemption's dry runs, which work on a clone of the cycle
   * state. Absent: the plugin's state does not depend on the pods of the cluster.
   */
  addPod?(state: CycleState, podToSchedule: Pod, podToAdd: Pod, node: NodeInfo): Status;
  removePod?(state: CycleState, podToSchedule: Pod, podToRemove: Pod, node: NodeInfo): Status;
}
/** Is `node` feasible for `pod`? Success or a rejection with reasons. */
export interface FilterPlugin extends Plugin { filter(state: CycleState, pod: Pod, node: NodeInfo): Status }
/** Runs once before scoring with the feasible nodes; Skip disables this plugin's Score. */
export interface PreScorePlugin extends Plugin { preScore(state: CycleState, pod: Pod, nodes: NodeInfo[]): Status }
/**
 * Scores a feasible node 0..MAX_NODE_SCORE (higher is better). `normalizeScores`, when
 * present, rewrites the raw scores of all the feasible nodes, in their order (upstream's
 * NodeScoreList), into 0..MAX_NODE_SCORE, in place.
 */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  normalizeScores?(state: CycleState, pod: Pod, scores: Float64Array): void;
}
/** Binds the pod to the node through the API; Skip lets the next Bind plugin try. */
export interface BindPlugin extends Plugin { bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> }

/** What a PostFilter plugin may nominate: the node the pod should wait for (upstream PostFilterResult). */
export interface PostFilterResult { nominatedNodeName?: string }
/**
 * Runs only when no node is feasible; `nodeStatuses` holds each rejected node's status
 * (node name → Status). Success with a nominated node ends the PostFilter phase;
 * Unschedulable lets the next plugin try; Error aborts.
 */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, nodeStatuses: Map<string, Status>): Promise<{ status: Status; result?: PostFilterResult }>;
}
/**
 * Reserve: the plugin holds state for the pod on `nodeName` (after the pod is assumed).
 * Unreserve undoes it; it is called for every Reserve plugin (in reverse order) when
 * any later step fails, so it must be idempotent and tolerate a reserve that never ran.
 */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}
/**
 * Permit: Success lets the pod bind; a rejection fails it; Wait holds it in the binding
 * cycle until allowed through Framework.getWaitingPod(uid)/.allow(plugin), rejected, or
 * `timeoutMs` passes (then Unschedulable). Timeouts are capped at 15 minutes.
 */
export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: Pod, nodeName: string): { status: Status; timeoutMs?: number };
}
/** Before Bind (e.g. provisioning volumes); any non-Success fails the binding cycle. */
export interface PreBindPlugin extends Plugin { preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> }
/** Informational, after a successful Bind. */
export interface PostBindPlugin extends Plugin { postBind(state: CycleState, pod: Pod, nodeName: string): void }

/**
 * The framework as plugins see it (upstream framework.Handle): what PostFilter
 * plugins such as DefaultPreemption need to simulate a node and reach waiting pods.
 */
export interface FrameworkRuntime {
  /** Filter plugins on one node: Success or the first rejecting/erroring status. */
  runFilter(state: CycleState, pod: Pod, node: NodeInfo): Status;
  /** The PreFilter extensions not skipped this cycle: `state` as if `podToAdd` were on `node` (Success or the first failing status). */
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podToAdd: Pod, node: NodeInfo): Status;
  /** The same as if `podToRemove` were no longer on `node`. */
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podToRemove: Pod, node: NodeInfo): Status;
  /** Rejects the waiting (Permit) pod with this uid; false when none waits. */
  rejectWaitingPod(uid: string, plugin: string, message: string): boolean;
}

/**
 * What a plugin factory gets: access to the API (binder, preemption) — absent in pure
 * unit tests — the scheduler's name, and the framework that built the plugin (set by
 * the Framework constructor).
 */
export interface FrameworkHandle {
  client?: Client;
  schedulerName?: string;
  framework?: FrameworkRuntime;
  /**
   * A namespace's labels, or undefined when the namespace is unknown (upstream's
   * namespace lister); InterPodAffinity needs it for terms with a namespaceSelector.
   */
  namespaceLister?: (name: string) => Record<string, string> | undefined;
  /** Where plugins report what only they know (DefaultPreemption: its victims' count). */
  metrics?: { preemptionVictims(victims: number): void };
  /**
   * The objects of one kind in a namespace (upstream's informer listers);
   * PodTopologySpread deduces default constraints' selectors from them.
   */
  objectLister?: ObjectLister;
  /** Single cached PersistentVolumeClaims, PersistentVolumes and StorageClasses (upstream's listers), for VolumeBinding and VolumeRestrictions. */
  objectGetter?: ObjectGetter;
  /** The pods nominated to nodes by earlier preemptions (queue/nominator.ts); filtering counts them. */
  nominator?: NominatedPods;
}
/** Kinds a plugin may list through {@link FrameworkHandle.objectLister}. */
export type ListedResource = 'services' | 'replicationcontrollers' | 'replicasets' | 'statefulsets';
/** Lists the cached objects of `resource` in `namespace`. */
export type ObjectLister = (resource: ListedResource, namespace: string) => KubeObject[];
/** Kinds a plugin may read one by one through {@link FrameworkHandle.objectGetter} (the volume plugins). */
export type GotResource = 'persistentvolumeclaims' | 'persistentvolumes' | 'storageclasses';
/** The cached object `name` of `resource` in `namespace` ('' for cluster-scoped kinds), or undefined. */
export type ObjectGetter = (resource: GotResource, namespace: string, name: string) => KubeObject | undefined;
/** Builds a plugin; `args` are its arguments from the profile's pluginConfig (plugins check them and throw Error on bad ones). */
export type PluginFactory = (handle: FrameworkHandle, args?: unknown) => Plugin;

export const isQueueSort = (p: Plugin): p is QueueSortPlugin => typeof (p as QueueSortPlugin).less === 'function';
export const isPreEnqueue = (p: Plugin): p is PreEnqueuePlugin => typeof (p as PreEnqueuePlugin).preEnqueue === 'function';
export const isPreFilter = (p: Plugin): p is PreFilterPlugin => typeof (p as PreFilterPlugin).preFilter === 'function';
export const isFilter = (p: Plugin): p is FilterPlugin => typeof (p as FilterPlugin).filter === 'function';
export const isPreScore = (p: Plugin): p is PreScorePlugin => typeof (p as PreScorePlugin).preScore === 'function';
export const isScore = (p: Plugin): p is ScorePlugin => typeof (p as ScorePlugin).score === 'function';
export const isBind = (p: Plugin): p is BindPlugin => typeof (p as BindPlugin).bind === 'function';
export const isPostFilter = (p: Plugin): p is PostFilterPlugin => typeof (p as PostFilterPlugin).postFilter === 'function';
export const isReserve = (p: Plugin): p is ReservePlugin => typeof (p as ReservePlugin).reserve === 'function' && typeof (p as ReservePlugin).unreserve === 'function';
export const isPermit = (p: Plugin): p is PermitPlugin => typeof (p as PermitPlugin).permit === 'function';
export const isPreBind = (p: Plugin): p is PreBindPlugin => typeof (p as PreBindPlugin).preBind === 'function';
export const isPostBind = (p: Plugin): p is PostBindPlugin => typeof (p as PostBindPlugin).postBind === 'function';

/**
 * Helper for normalizeScores (upstream plugins/helper/normalize_score.go
 * DefaultNormalizeScore): scales scores so the highest becomes MAX_NODE_SCORE; with
 * `reverse`, higher raw values become lower scores.
 */
export function defaultNormalizeScore(scores: Float64Array, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]);
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) { scores[i] = reverse ? MAX_NODE_SCORE : 0; continue; }
    const s = Math.floor((scores[i] * MAX_NODE_SCORE) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
