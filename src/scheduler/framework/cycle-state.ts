/**
 * Per-cycle scratch data shared by the plugins of one scheduling attempt (upstream
 * framework/cycle_state.go): PreFilter computes (e.g. the pod's requests), Filter and
 * Score read. Also records which plugins' PreFilter returned Skip.
 */
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
  /**
   * The pods (bound or assumed) whose label `key` has one of `values`, with their nodes,
   * when the cache indexes them (else plugins scan allNodes' pods).
   */
  podsWithLabel?: (key: string, values: readonly string[]) => Array<{ pod: import('../../api/core/v1/pod-types.js').Pod; node: import('./node-info.js').NodeInfo }>;
  /** The cache's cluster-wide image states (ImageLocality), when the cache keeps them (else the plugin derives them from allNodes). */
  imageStates?: ReadonlyMap<string, import('./image-states.js').ImageState>;

  write(key: string, value: unknown): void { this.data.set(key, value); }
  /** The value written under `key`, or undefined. */
  read<T>(key: string): T | undefined { return this.data.get(key) as T | undefined; }
}
