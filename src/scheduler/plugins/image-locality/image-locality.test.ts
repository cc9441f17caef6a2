import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import { CycleState } from '../../framework/cycle-state.js';
import { Framework } from '../../framework/framework.js';
import { newNodeInfo, type NodeInfo } from '../../framework/node-info.js';
import { calculatePriority, IMAGE_LOCALITY, imageLocality, imageStates, MAX_CONTAINER_THRESHOLD, MIN_THRESHOLD, normalizedImageName } from './image-locality.js';
import { defaultProfile, pluginRegistry } from '../registry.js';

const MB = 1024 * 1024;
const node = (name: string, images: Array<[string[], number]> = []): Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, images: images.map(([names, sizeBytes]) => ({ names, sizeBytes })) },
});
const pod = (images: string[], initImages: string[] = []): Pod => ({
  metadata: { name: 'p', namespace: 'd', uid: Math.random().toString(36) },
  spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })), ...(initImages.length ? { initContainers: initImages.map((image, i) => ({ name: `i${i}`, image })) } : {}) },
} as Pod);

/** Score of every node, PreScore run first over `nodes` as the whole snapshot. */
function scores(p: Pod, nodes: NodeInfo[]): Record<string, number> {
  const pl = imageLocality();
  const state = new CycleState();
  state.allNodes = nodes;
  // Skip (no image of the pod on any node) means every score is 0.
  if (pl.preScore(state, p, nodes).code === 'Skip') return Object.fromEntries(nodes.map((n) => [n.node.metadata.name!, 0]));
  return Object.fromEntries(nodes.map((n) => [n.node.metadata.name!, pl.score(state, p, n)]));
}

describe('ImageLocality', () => {
  it('normalizes names by appending :latest only when there is no tag', () => {
    assert.equal(normalizedImageName('nginx'), 'nginx:latest');
    assert.equal(normalizedImageName('nginx:1.27'), 'nginx:1.27');
    assert.equal(normalizedImageName('registry:5000/team/app'), 'registry:5000/team/app:latest');
    assert.equal(normalizedImageName('registry:5000/team/app:v2'), 'registry:5000/team/app:v2');
    assert.equal(normalizedImageName('docker.io/library/nginx'), 'docker.io/library/nginx:latest');
  });

  it('maps the sum onto 0..100 between 23 MiB and 1000 MiB per container', () => {
    assert.equal(calculatePriority(0, 1), 0);
    assert.equal(calculatePriority(MIN_THRESHOLD, 1), 0);
    assert.equal(calculatePriority(MAX_CONTAINER_THRESHOLD, 1), 100);
    assert.equal(calculatePriority(5000 * MB, 1), 100);
    assert.equal(calculatePriority(500 * MB, 1), 48); // 100·477/977
    assert.equal(calculatePriority(500 * MB, 2), 24); // 100·477/1977
  });

  it('counts nodes per image name once per node, over the whole snapshot', () => {
    const states = imageStates([
      newNodeInfo(node('a', [[['nginx:latest', 'nginx@sha256:x'], 100], [['nginx:latest'], 100]]), []),
      newNodeInfo(node('b', [[['nginx:latest'], 120]]), []),
    ]);
    assert.deepEqual(states.get('nginx:latest'), { size: 100, numNodes: 2 });
    assert.deepEqual(states.get('nginx@sha256:x'), { size: 100, numNodes: 1 });
  });

  it('updates the counts of a snapshot when a node object changes', () => {
    const nodes = [newNodeInfo(node('a', [[['app:v1'], 10]]), []), newNodeInfo(node('b', [[['app:v1'], 10]]), [])];
    assert.deepEqual(imageStates(nodes).get('app:v1'), { size: 10, numNodes: 2 });
    nodes[1].node = node('b', [[['app:v2'], 20]]);
    assert.deepEqual([...imageStates(nodes)], [['app:v1', { size: 10, numNodes: 1 }], ['app:v2', { size: 20, numNodes: 1 }]]);
    nodes[0].node = node('a');
    assert.deepEqual([...imageStates(nodes)], [['app:v2', { size: 20, numNodes: 1 }]]);
    nodes.push(newNodeInfo(node('c', [[['app:v2'], 30]]), []));
    assert.deepEqual(imageStates(nodes).get('app:v2'), { size: 20, numNodes: 2 });
  });

  it('scores the images the node holds, scaled by their spread; init containers count', () => {
    const nodes = [
      newNodeInfo(node('a', [[['nginx:latest'], 500 * MB], [['busybox:1.36'], 300 * MB]]), []),
      newNodeInfo(node('b', [[['nginx:latest'], 500 * MB]]), []),
      newNodeInfo(node('c'), []),
    ];
    // nginx on 2 of 3 nodes: trunc(500 MiB · 2/3) = 349525333 → 100·(349525333 − 23 MiB)/(977 MiB) = 31.
    assert.deepEqual(scores(pod(['nginx']), nodes), { a: 31, b: 31, c: 0 });
    // Two containers: the node holding both images scores higher; busybox on 1 of 3 nodes.
    assert.deepEqual(scores(pod(['nginx'], ['busybox:1.36']), nodes), { a: 20, b: 15, c: 0 });
    // A name that differs (registry prefix, other tag) does not match.
    assert.deepEqual(scores(pod(['docker.io/library/nginx', 'nginx:1.27']), nodes), { a: 0, b: 0, c: 0 });
  });

  it('is in the default profile after NodeResourcesBalancedAllocation with weight 1, and steers placement', () => {
    const names = defaultProfile.map((c) => c.name);
    assert.equal(names.indexOf(IMAGE_LOCALITY), names.indexOf('NodeResourcesBalancedAllocation') + 1);
    assert.equal(defaultProfile.find((c) => c.name === IMAGE_LOCALITY)?.weight, 1);
    const nodes = [newNodeInfo(node('a'), []), newNodeInfo(node('b', [[['app:v1'], 800 * MB]]), []), newNodeInfo(node('c'), [])];
    const r = new Framework(pluginRegistry, defaultProfile, {}, () => 0).schedule(pod(['app:v1']), nodes);
    assert.equal(r.kind === 'scheduled' && r.nodeName, 'b');
  });

  it('PreScore skips when none of the pod\'s images is on any node (every score would be 0)', () => {
    const pl = imageLocality();
    const state = new CycleState();
    const n = newNodeInfo({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { images: [{ names: ['docker.io/library/nginx:1.27'], sizeBytes: 200 * 1024 * 1024 }] } } as never, []);
    state.allNodes = [n];
    const p = { metadata: { name: 'p', namespace: 'd', uid: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } as Pod;
    assert.equal(pl.preScore(state, p, [n]).code, 'Skip');
  });
});
