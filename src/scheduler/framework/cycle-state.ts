/**
 * Per-cycle scratch data shared by the plugins of one scheduling attempt (upstream
 * framework/cycle_state.go): PreFilter computes (e.g. the pod's requests), Filter and
 * Score read. Also records which plugins' PreFilter returned Skip.
 */
/** Cycle-state data a PreFilter extension changes: cloned with the state (upstream StateData). */
export interface StateData { clone(): StateData }

export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose Filter is skipped this cycle (their PreFilter returned Skip). */
  readonly skipFilterPlugins = new Set<string>();
  /** The Filter plugins not skipped, worked out once per cycle by the framework after PreFilter. */
  filtersToRun?: readonly import('./interface.js').FilterPlugin[];
  /** Plugins whose Score is skipped this cycle (their PreScore returned Skip). */
  readonly skipScorePlugins = new Set<string>();
  /** Every node of the cycle's snapshot (set by the framework before PreFilter; upstream's SharedLister). */
  allNodes: import('./node-info.js').NodeInfo[] = [];
  /** The nodes of allNodes holding pods with (anti-)affinity terms, when the cache keeps them (else plugins scan allNodes). */
  nodesWithAffinityPods?: import('./node-info.js').NodeInfo[];
  /** The nodes of allNodes holding pods with required anti-affinity terms, when the cache keeps them. */
  nodesWithRequiredAntiAffinityPods?: import('./node-info.js').NodeInfo[];
  /** The nodes of allNodes holding pods whose terms score other pods (pod affinity, preferred anti-affinity), when the cache keeps them. */
  nodesWithScoringAffinityPods?: import('./node-info.js').NodeInfo[];
  /**
   * The pods (bound or assumed) whose label `key` has one of `values`, with their nodes,
   * when the cache indexes them (else plugins scan allNodes' pods).
   */
  podsWithLabel?: (key: string, values: readonly string[]) => Array<{ pod: import('../../api/core/v1/pod-types.js').Pod; node: import('./node-info.js').NodeInfo }>;
  /**
   * The pods with a required anti-affinity term a pod labelled `labels` may match (each
   * once, with its node), when the cache indexes them (else plugins scan
   * nodesWithRequiredAntiAffinityPods).
   */
  podsWithAntiAffinityMatching?: (labels: Readonly<Record<string, string>>) => Array<{ pod: import('../../api/core/v1/pod-types.js').Pod; node: import('./node-info.js').NodeInfo }>;
  /** The cache's cluster-wide image states (ImageLocality), when the cache keeps them (else the plugin derives them from allNodes). */
  imageStates?: ReadonlyMap<string, import('./image-states.js').ImageState>;

  write(key: string, value: unknown): void { this.data.set(key, value); }

  /**
   * A copy for a simulation (upstream CycleState.Clone): the same snapshot and skip
   * lists; each written value that has a `clone()` method ({@link StateData}) is cloned,
   * others (never changed after PreFilter) are shared.
   */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, typeof (v as StateData | undefined)?.clone === 'function' ? (v as StateData).clone() : v);
    for (const n of this.skipFilterPlugins) c.skipFilterPlugins.add(n);
    for (const n of this.skipScorePlugins) c.skipScorePlugins.add(n);
    c.filtersToRun = this.filtersToRun;
    c.allNodes = this.allNodes;
    c.nodesWithAffinityPods = this.nodesWithAffinityPods;
    c.nodesWithRequiredAntiAffinityPods = this.nodesWithRequiredAntiAffinityPods;
    c.nodesWithScoringAffinityPods = this.nodesWithScoringAffinityPods;
    c.podsWithLabel = this.podsWithLabel;
    c.podsWithAntiAffinityMatching = this.podsWithAntiAffinityMatching;
    c.imageStates = this.imageStates;
    return c;
  }
  /** The value written under `key`, or undefined. */
  read<T>(key: string): T | undefined { return this.data.get(key) as T | undefined; }
}
