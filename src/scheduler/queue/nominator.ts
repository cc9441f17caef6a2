/**
 * The pods nominated to nodes (upstream pkg/scheduler/backend/queue nominator): a pod
 * that preempted others waits, still unbound, for its victims to go, with
 * `status.nominatedNodeName` naming the node. Until it is bound (or its nomination is
 * cleared, or it is deleted), pods of lower or equal priority are filtered on that node
 * as if it were already there, so they do not take the room the preemption made
 * (Framework.runFilterWithNominatedPods).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';

/** What the framework reads of the nominator. */
export interface NominatedPods {
  /** How many pods are nominated, over all nodes. */
  readonly size: number;
  /** The pods nominated to `nodeName` (empty when none). */
  podsFor(nodeName: string): readonly Pod[];
}

const NONE: readonly Pod[] = Object.freeze([]);

export class PodNominator implements NominatedPods {
  /** Node name → uid → pod. */
  private readonly byNode = new Map<string, Map<string, Pod>>();
  /** Pod uid → node it is nominated to. */
  private readonly nodeOf = new Map<string, string>();

  get size(): number { return this.nodeOf.size; }

  /** Per node, the array podsFor hands out, built once per change of that node's nominations (filters ask per node per pod). */
  private readonly lists = new Map<string, readonly Pod[]>();

  podsFor(nodeName: string): readonly Pod[] {
    const pods = this.byNode.get(nodeName);
    if (!pods) return NONE;
    let list = this.lists.get(nodeName);
    if (!list) { list = [...pods.values()]; this.lists.set(nodeName, list); }
    return list;
  }

  /** Nominates `pod` to `nodeName` (replacing an earlier nomination of the same uid); an empty name removes it. */
  add(pod: Pod, nodeName: string): void {
    const uid = pod.metadata.uid!;
    this.delete(uid);
    if (!nodeName) return;
    let pods = this.byNode.get(nodeName);
    if (!pods) { pods = new Map(); this.byNode.set(nodeName, pods); }
    pods.set(uid, pod);
    this.nodeOf.set(uid, nodeName);
    this.lists.delete(nodeName);
  }

  /** Follows a pod the informer shows: nominated while unbound with status.nominatedNodeName, else not. */
  update(pod: Pod): void {
    const node = !pod.spec?.nodeName && !pod.metadata.deletionTimestamp ? pod.status?.nominatedNodeName ?? '' : '';
    this.add(pod, node);
  }

  /** Drops the nomination of the pod with `uid`, if any. */
  delete(uid: string): void {
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    this.lists.delete(node);
    const pods = this.byNode.get(node)!;
    pods.delete(uid);
    if (pods.size === 0) this.byNode.delete(node);
  }
}
