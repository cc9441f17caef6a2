/**
 * ImageLocality (upstream pkg/scheduler/framework/plugins/imagelocality, v1.32): favours
 * nodes that already hold the pod's images, as listed in `node.status.images`.
 *
 * Each image of the pod's init and app containers that the node lists (the container's
 * image with `:latest` appended when it has no tag; otherwise compared verbatim with the
 * node's names — no registry defaulting, as upstream) adds its size scaled by the share
 * of all nodes holding it (against the "node heating" of always picking the same nodes).
 * The sum, clamped to [23 MiB, 1000 MiB × number of containers], maps linearly onto
 * 0..100. An image's size and node count come from all nodes (upstream's cache-wide
 * ImageStateSummary, kept by the scheduler cache: image-states.ts; the size is the one of
 * the first node listing the name).
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import { ImageStates, nodeImageSizes, type ImageState } from '../../framework/image-states.js';
import { MAX_NODE_SCORE, skip, success, type NodeInfo, type PreScorePlugin, type ScorePlugin } from '../../framework/interface.js';

export const IMAGE_LOCALITY = 'ImageLocality';

const MB = 1024 * 1024;
/** Below this sum a node scores 0. */
export const MIN_THRESHOLD = 23 * MB;
/** Per container: at or above this sum (× containers) a node scores 100. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

export type { ImageState } from '../../framework/image-states.js';

const PRE_SCORE_KEY = 'PreScoreImageLocality';

/** The image name with `:latest` appended when it carries no tag (upstream normalizedImageName). */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** The normalized image names of the pod's init and app containers, in order (duplicates kept). */
export const podImageNames = (pod: Pod): string[] => {
  let names = podImages.get(pod);
  if (!names) {
    names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => normalizedImageName(c.image ?? ''));
    podImages.set(pod, names);
  }
  return names;
};
const podImages = new WeakMap<Pod, string[]>();

/** Image states per snapshot array with the Node objects they were built from (for callers without a scheduler cache). */
const indexes = new WeakMap<NodeInfo[], { nodes: Node[]; states: ImageStates }>();

/**
 * Image name → size (of the first node that listed it) and number of nodes listing it,
 * over `nodes` (upstream's cache-wide ImageStateSummary). The scheduler reads the
 * cache's states instead (CycleState.imageStates); this derives them from a snapshot,
 * kept per snapshot array and updated for the nodes whose Node object changed.
 */
export function imageStates(nodes: NodeInfo[]): ReadonlyMap<string, ImageState> {
  let ix = indexes.get(nodes);
  if (!ix || ix.nodes.length !== nodes.length) {
    ix = { nodes: nodes.map((n) => n.node), states: new ImageStates() };
    ix.nodes.forEach((n, i) => ix!.states.setNode(String(i), n));
    indexes.set(nodes, ix);
    return ix.states.states;
  }
  for (let i = 0; i < nodes.length; i++) {
    if (ix.nodes[i] === nodes[i].node) continue;
    ix.nodes[i] = nodes[i].node;
    ix.states.setNode(String(i), ix.nodes[i]);
  }
  return ix.states.states;
}

/** Sum of the scaled sizes of the pod's images the node holds (upstream sumImageScores). */
export function sumImageScores(node: Node, pod: Pod, states: ReadonlyMap<string, ImageState>, totalNumNodes: number): number {
  const onNode = nodeImageSizes(node);
  let sum = 0;
  for (const name of podImageNames(pod)) {
    const s = states.get(name);
    if (s && onNode.has(name)) sum += Math.trunc(s.size * (s.numNodes / totalNumNodes));
  }
  return sum;
}

/** The node score for a sum of image scores and the pod's container count (upstream calculatePriority, integer maths). */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const clamped = sumScores < MIN_THRESHOLD ? MIN_THRESHOLD : sumScores > maxThreshold ? maxThreshold : sumScores;
  const num = MAX_NODE_SCORE * (clamped - MIN_THRESHOLD);
  const den = maxThreshold - MIN_THRESHOLD;
  if (num === 0 || den <= 0) return 0;
  let q = Math.floor(num / den);
  if (q * den > num) q--; // exact integer division despite float rounding
  return q;
}

/** Factory of the ImageLocality plugin (PreScore computes the image states, Score per node). */
export const imageLocality = (): PreScorePlugin & ScorePlugin => ({
  name: IMAGE_LOCALITY,
  preScore(state, pod) {
    const states = state.imageStates ?? imageStates(state.allNodes);
    // None of the pod's images is on any node: every score would be 0 (no call per node needed).
    if (!podImageNames(pod).some((name) => states.has(name))) return skip();
    state.write(PRE_SCORE_KEY, states);
    return success();
  },
  score(state, pod, n) {
    const states = state.read<ReadonlyMap<string, ImageState>>(PRE_SCORE_KEY) ?? state.imageStates ?? imageStates(state.allNodes);
    const total = Math.max(1, state.allNodes.length);
    const containers = (pod.spec?.initContainers?.length ?? 0) + (pod.spec?.containers?.length ?? 0);
    return calculatePriority(sumImageScores(n.node, pod, states, total), containers);
  },
});
