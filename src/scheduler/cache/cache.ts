/**
 * The scheduler cache (upstream pkg/scheduler/backend/cache): one NodeInfo per node kept
 * up to date incrementally from the informers' events and the scheduler's own
 * decisions, so a scheduling cycle reads the nodes as they are without rebuilding them.
 *
 * Pods enter a NodeInfo when the informer shows them bound (addPod/updatePod) or when
 * the scheduler assumes them right after choosing a node, before the asynchronous
 * Binding returns (assumePod) — so the next cycle already counts them. An assumed pod
 * leaves when the informer shows it bound (its entry is replaced by the bound copy), when
 * binding fails or the pod is deleted (forgetPod / removePod), or `ttlMs` after its
 * binding finished without the informer confirming it (expiry, checked on each
 * nodeInfoList()). Terminal pods (Succeeded/Failed) hold nothing and are left out. Each
 * pod's requests are computed once per pod version (resources.ts memo).
 *
 * A cycle is synchronous (Framework.schedule), so the NodeInfos it reads cannot change
 * under it: the list returned by nodeInfoList() is the cycle's snapshot, in a stable
 * order (node creation order) rebuilt only when nodes come or go.
 *
 * It also keeps the cluster-wide image states ImageLocality reads (image-states.ts),
 * updated only when a node's `status.images` changes, not on every Node heartbeat.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { addPodToNodeInfo, emptyNodeInfo, hasPodAffinity, hasRequiredPodAntiAffinity, hasScoringPodAffinity, isTerminal, removePodFromNodeInfo, type NodeInfo } from '../framework/node-info.js';
import { ImageStates, type ImageState } from '../framework/image-states.js';
import { CycleState } from '../framework/cycle-state.js';
import { allocatable, nonZeroRequests, podRequests, type Resources } from '../framework/resources.js';

type RawTerm = { labelSelector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | null };

/**
 * `key\0value` index keys of a label every pod matching the term's selector carries (its
 * first matchLabels entry, else its first `In` expression, one key per value); undefined
 * when the selector requires no such label (none, empty, or only other operators).
 */
function requiredLabelKeys(t: RawTerm): string[] | undefined {
  const sel = t.labelSelector;
  if (!sel) return undefined;
  for (const k in sel.matchLabels ?? {}) return [`${k}\u0000${sel.matchLabels![k]}`];
  const expr = sel.matchExpressions?.find((e) => e.operator === 'In');
  return expr ? (expr.values ?? []).map((v) => `${expr.key}\u0000${v}`) : undefined;
}

interface PodState { pod: Pod; nodeName: string; assumed: boolean; req: Resources; nonZero: { cpu: number; memory: number } }

export class SchedulerCache {
  /** Node name → NodeInfo; `node` is undefined for a node known only through its pods. */
  private readonly nodes = new Map<string, NodeInfo>();
  /** Names of the nodes that exist (a NodeInfo may outlive its node while pods still name it). */
  private readonly present = new Set<string>();
  private readonly pods = new Map<string, PodState>();
  /** Assumed pods whose binding finished: uid → when they expire (ms). */
  private readonly expiring = new Map<string, number>();
  private list: NodeInfo[] | undefined;
  /** Nodes holding pods with (anti-)affinity terms, derived lazily from `list` (upstream's HavePodsWith… lists). */
  private affinityList: NodeInfo[] | undefined;
  private antiAffinityList: NodeInfo[] | undefined;
  private scoringAffinityList: NodeInfo[] | undefined;
  private readonly images = new ImageStates();
  /** `key\0value` → uids of the pods (bound or assumed) carrying that label: InterPodAffinity's candidates for a term. */
  private readonly byLabel = new Map<string, Set<string>>();
  /**
   * `key\0value` → uids of the pods with a required anti-affinity term whose selector
   * requires that label (its first matchLabels entry, or its first `In` expression's
   * values): only a pod carrying it can match the term. Terms without such a requirement
   * put their pod in `antiAffinityUnindexed`.
   */
  private readonly antiAffinityByLabel = new Map<string, Set<string>>();
  private readonly antiAffinityUnindexed = new Set<string>();

  /** `ttlMs`: how long an assumed pod whose binding finished waits for the informer (ms). */
  constructor(private readonly ttlMs = 30_000, private readonly now: () => number = Date.now) {}

  private info(name: string): NodeInfo {
    let n = this.nodes.get(name);
    if (!n) {
      n = emptyNodeInfo({ apiVersion: 'v1', kind: 'Node', metadata: { name } }, {});
      this.nodes.set(name, n);
    }
    return n;
  }

  addNode(node: Node): void {
    const n = this.info(node.metadata.name!);
    n.node = node;
    n.allocatable = allocatable(node);
    this.images.setNode(node.metadata.name!, node);
    if (!this.present.has(node.metadata.name!)) { this.present.add(node.metadata.name!); this.invalidate(); }
  }

  updateNode(node: Node): void { this.addNode(node); }

  removeNode(name: string): void {
    const n = this.nodes.get(name);
    if (!n) return;
    this.present.delete(name);
    this.images.setNode(name, undefined);
    this.invalidate();
    if (!n.pods.length) this.nodes.delete(name);
  }

  /**
   * Image name → size and number of present nodes listing it (upstream's cache
   * imageStates). The same Map for the cache's lifetime, changed in place between
   * cycles only when some node's images change.
   */
  imageStates(): ReadonlyMap<string, ImageState> { return this.images.states; }

  /**
   * A new cycle's state seeded with this cache's indexes (nodes with (anti-)affinity pods,
   * image states, pods by label, pods by anti-affinity term): the per-cycle snapshot
   * upstream's framework reads from its Snapshot's lister.
   */
  cycleState(): CycleState {
    const state = new CycleState();
    state.nodesWithAffinityPods = this.nodesWithAffinityPods();
    state.nodesWithRequiredAntiAffinityPods = this.nodesWithRequiredAntiAffinityPods();
    state.nodesWithScoringAffinityPods = this.nodesWithScoringAffinityPods();
    state.imageStates = this.imageStates();
    state.podsWithLabel = (key, values) => this.podsWithLabel(key, values);
    state.podsWithAntiAffinityMatching = (labels) => this.podsWithAntiAffinityMatching(labels);
    return state;
  }

  /** Bumped whenever imageStates() changes (a node's images changed, or a node with images came or went). */
  get imageGeneration(): number { return this.images.generation; }

  private invalidate(): void { this.list = undefined; this.affinityList = undefined; this.antiAffinityList = undefined; this.scoringAffinityList = undefined; }

  /** A pod's (anti-)affinity terms came or went: the derived lists are rebuilt on next use. */
  private touched(pod: Pod): void {
    if (hasPodAffinity(pod)) this.affinityList = undefined;
    if (hasRequiredPodAntiAffinity(pod)) this.antiAffinityList = undefined;
    if (hasScoringPodAffinity(pod)) this.scoringAffinityList = undefined;
  }

  /** The nodes of nodeInfoList() holding a pod with any pod (anti-)affinity term. */
  nodesWithAffinityPods(): NodeInfo[] {
    return (this.affinityList ??= this.nodeInfoList().filter((n) => n.podsWithAffinity.length > 0));
  }

  /** The nodes of nodeInfoList() holding a pod with a required anti-affinity term. */
  nodesWithRequiredAntiAffinityPods(): NodeInfo[] {
    return (this.antiAffinityList ??= this.nodeInfoList().filter((n) => n.podsWithRequiredAntiAffinity.length > 0));
  }

  /**
   * The nodes of nodeInfoList() holding a pod whose terms score other pods (pod affinity,
   * or preferred anti-affinity; required anti-affinity only filters): InterPodAffinity's
   * PreScore for a pod without preferred terms of its own needs only these.
   */
  nodesWithScoringAffinityPods(): NodeInfo[] {
    return (this.scoringAffinityList ??= this.nodeInfoList().filter((n) => n.podsWithAffinity.some(hasScoringPodAffinity)));
  }

  /** A pod the informer shows bound to a node (replaces an assumed entry of the same uid). */
  addPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    this.removePod(pod);
    if (isTerminal(pod)) return;
    const st: PodState = { pod, nodeName, assumed: false, req: podRequests(pod), nonZero: nonZeroRequests(pod) };
    this.pods.set(pod.metadata.uid!, st);
    this.indexLabels(pod, true);
    this.indexAntiAffinity(pod, true);
    addPodToNodeInfo(this.info(nodeName), pod, st.req, st.nonZero);
    this.touched(pod);
  }

  updatePod(pod: Pod): void { this.addPod(pod); }

  /** The pod is gone (or no longer bound): its resources are released. */
  removePod(pod: Pod): void { this.drop(pod.metadata.uid!); }

  /** Right after a cycle chose `nodeName`: counted there until confirmed or forgotten. */
  assumePod(pod: Pod, nodeName: string): void {
    this.drop(pod.metadata.uid!);
    const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName } };
    const st: PodState = { pod: assumed, nodeName, assumed: true, req: podRequests(pod), nonZero: nonZeroRequests(pod) };
    this.pods.set(pod.metadata.uid!, st);
    this.indexLabels(assumed, true);
    this.indexAntiAffinity(assumed, true);
    addPodToNodeInfo(this.info(nodeName), assumed, st.req, st.nonZero);
    this.touched(pod);
  }

  /** Binding returned: the assumed entry now expires after the TTL unless the informer confirms it. */
  finishBinding(uid: string): void {
    if (this.pods.get(uid)?.assumed) this.expiring.set(uid, this.now() + this.ttlMs);
  }

  /** Binding failed: the assumed pod's resources are released. */
  forgetPod(uid: string): void {
    if (this.pods.get(uid)?.assumed) this.drop(uid);
  }

  isAssumed(uid: string): boolean { return !!this.pods.get(uid)?.assumed; }

  /** The nodes that exist, each with its pods (see module doc). */
  nodeInfoList(): NodeInfo[] {
    this.expire();
    if (!this.list) this.list = [...this.nodes].filter(([name]) => this.present.has(name)).map(([, n]) => n);
    return this.list;
  }

  private drop(uid: string): void {
    const s = this.pods.get(uid);
    if (!s) return;
    this.pods.delete(uid);
    this.indexLabels(s.pod, false);
    this.indexAntiAffinity(s.pod, false);
    this.expiring.delete(uid);
    const n = this.nodes.get(s.nodeName);
    if (!n) return;
    removePodFromNodeInfo(n, uid, s.req, s.nonZero);
    this.touched(s.pod);
    if (!this.present.has(s.nodeName) && !n.pods.length) this.nodes.delete(s.nodeName);
  }

  /**
   * The pods (bound or assumed) whose label `key` has one of `values`, each with the
   * NodeInfo of its node, on nodes of nodeInfoList() only. Order is unspecified.
   */
  podsWithLabel(key: string, values: readonly string[]): Array<{ pod: Pod; node: NodeInfo }> {
    const out: Array<{ pod: Pod; node: NodeInfo }> = [];
    for (const v of values) {
      for (const uid of this.byLabel.get(`${key}\u0000${v}`) ?? []) {
        const s = this.pods.get(uid)!;
        const node = this.nodes.get(s.nodeName);
        if (node && this.present.has(s.nodeName)) out.push({ pod: s.pod, node });
      }
    }
    return out;
  }

  /**
   * The pods (bound or assumed, on nodes of nodeInfoList()) with a required anti-affinity
   * term that a pod labelled `labels` may match — every pod whose term does match is
   * among them, each once — with their NodeInfos. InterPodAffinity's PreFilter checks
   * these instead of every pod with anti-affinity terms.
   */
  podsWithAntiAffinityMatching(labels: Readonly<Record<string, string>>): Array<{ pod: Pod; node: NodeInfo }> {
    const uids = new Set(this.antiAffinityUnindexed);
    for (const k in labels) for (const uid of this.antiAffinityByLabel.get(`${k}\u0000${labels[k]}`) ?? []) uids.add(uid);
    const out: Array<{ pod: Pod; node: NodeInfo }> = [];
    for (const uid of uids) {
      const s = this.pods.get(uid)!;
      const node = this.nodes.get(s.nodeName);
      if (node && this.present.has(s.nodeName)) out.push({ pod: s.pod, node });
    }
    return out;
  }

  private indexAntiAffinity(pod: Pod, add: boolean): void {
    if (!hasRequiredPodAntiAffinity(pod)) return;
    const uid = pod.metadata.uid!;
    const terms = (pod.spec?.affinity as { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: RawTerm[] } } | undefined)
      ?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    for (const t of terms) {
      const keys = requiredLabelKeys(t);
      if (!keys) { if (add) this.antiAffinityUnindexed.add(uid); else this.antiAffinityUnindexed.delete(uid); continue; }
      for (const key of keys) {
        let set = this.antiAffinityByLabel.get(key);
        if (add) { if (!set) this.antiAffinityByLabel.set(key, (set = new Set())); set.add(uid); continue; }
        set?.delete(uid);
        if (set?.size === 0) this.antiAffinityByLabel.delete(key);
      }
    }
  }

  private indexLabels(pod: Pod, add: boolean): void {
    const uid = pod.metadata.uid!;
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) {
      const key = `${k}\u0000${v}`;
      let set = this.byLabel.get(key);
      if (add) { if (!set) this.byLabel.set(key, (set = new Set())); set.add(uid); continue; }
      set?.delete(uid);
      if (set?.size === 0) this.byLabel.delete(key);
    }
  }

  private lastExpiry = -Infinity;

  /** Drops expired assumed pods; at most once per second (a cycle runs per pod). */
  private expire(): void {
    const now = this.now();
    if (now - this.lastExpiry < 1000 && now >= this.lastExpiry) return;
    this.lastExpiry = now;
    for (const [uid, deadline] of this.expiring) if (deadline <= now) this.drop(uid);
  }
}
