/**
 * Cluster-wide image states for ImageLocality (upstream pkg/scheduler/backend/cache
 * imageStates / addNodeImageStates / removeNodeImageStates): image name → its size and
 * the number of nodes listing it in `status.images`, kept incrementally as nodes come,
 * change and go. A node update whose images are unchanged (the kubelet's status
 * heartbeat every 10 s) leaves the states, and their generation, untouched.
 */
import type { Node } from '../../api/core/v1/types.js';

/** An image's size (bytes, from the first node that listed it) and how many nodes hold it (upstream ImageStateSummary). */
export interface ImageState { size: number; numNodes: number }

type NodeImage = { names?: string[]; sizeBytes?: number };

const memo = new WeakMap<Node, Map<string, number>>();

/** A node's image names → size in bytes (the first listing of a name wins), memoized per Node object. */
export function nodeImageSizes(node: Node): Map<string, number> {
  let m = memo.get(node);
  if (!m) {
    m = new Map();
    for (const img of (node.status?.images ?? []) as NodeImage[]) for (const name of img.names ?? []) if (!m.has(name)) m.set(name, img.sizeBytes ?? 0);
    memo.set(node, m);
  }
  return m;
}

const EMPTY = new Map<string, number>();

const sameImages = (a: Map<string, number>, b: Map<string, number>): boolean => {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [name, size] of a) if (b.get(name) !== size) return false;
  return true;
};

/** Image states over a set of nodes, updated per node (see module doc). */
export class ImageStates {
  /** Image name → state; the same Map (and entries) for the object's lifetime, changed in place. */
  readonly states = new Map<string, ImageState>();
  /** Bumped whenever `states` changes. */
  generation = 0;
  private readonly byNode = new Map<string, Map<string, number>>();

  /** Node `name` now is `node` (undefined: removed). Returns whether the states changed. */
  setNode(name: string, node: Node | undefined): boolean {
    const before = this.byNode.get(name);
    const after = node ? nodeImageSizes(node) : undefined;
    if (after) this.byNode.set(name, after);
    else this.byNode.delete(name);
    if (sameImages(before ?? EMPTY, after ?? EMPTY)) return false;
    if (before) {
      for (const image of before.keys()) {
        const s = this.states.get(image);
        if (s && --s.numNodes <= 0) this.states.delete(image);
      }
    }
    if (after) {
      for (const [image, size] of after) {
        const s = this.states.get(image);
        if (s) s.numNodes++;
        else this.states.set(image, { size, numNodes: 1 });
      }
    }
    this.generation++;
    return true;
  }
}
