/**
 * Strategic merge patch, table-driven. The cases on the `MergeItem` schema are upstream's
 * (k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go: customStrategicMergePatchTestCaseData,
 * customStrategicMergePatchRawTestCases, createStrategicMergePatchTestCaseData and
 * strategicMergePatchRawTestCases — original + twoWay patch → modified, or current +
 * threeWay patch → result), with upstream's test struct rendered as a schema; the
 * Pod/Deployment cases are the community doc's examples (strategic-merge-patch.md) on the
 * real kind schemas; the error cases assert the Status upstream's apiserver answers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type, type TSchema } from '@sinclair/typebox';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { PodSchema } from '../../api/core/v1/pod-types.js';
import { DeploymentSchema } from '../../api/apps/v1/types.js';
import { StatusError } from '../errors.js';

/** Upstream's test type MergeItem (patch_test.go) with its patch tags as schema extensions. */
function mergeItemSchema(depth = 2): TSchema {
  const item: TSchema = depth === 0 ? Type.Object({}, { additionalProperties: true }) : mergeItemSchema(depth - 1);
  const merging = (key?: string, strategy = 'merge') => ({ 'x-kubernetes-patch-strategy': strategy, ...(key ? { 'x-kubernetes-patch-merge-key': key } : {}) });
  const retainKeysItem = Type.Object({
    name: Type.String(), value: Type.String(), other: Type.String(),
    simpleMap: Type.Record(Type.String(), Type.String()),
    mergingIntList: Type.Array(Type.Integer(), merging()),
    mergingList: Type.Array(item, merging('name')),
    nonMergingList: Type.Array(item),
  }, { additionalProperties: true });
  return Type.Object({
    name: Type.String(), value: Type.String(), other: Type.String(),
    mergingList: Type.Array(item, merging('name')),
    nonMergingList: Type.Array(item),
    mergingIntList: Type.Array(Type.Integer(), merging()),
    nonMergingIntList: Type.Array(Type.Integer()),
    simpleMap: Type.Record(Type.String(), Type.String()),
    retainKeysMap: Type.Unsafe({ ...retainKeysItem, 'x-kubernetes-patch-strategy': 'retainKeys' }),
    retainKeysMergingList: Type.Array(item, merging('name', 'merge,retainKeys')),
  }, { additionalProperties: true });
}
const MergeItem = mergeItemSchema();

interface Case {
  name: string;
  schema?: TSchema;
  original: unknown;
  patch: unknown;
  expected?: unknown;
  /** The Status the apiserver answers: code, reason (absent: none) and exact message. */
  error?: { code: number; reason?: string; message: string };
}

const cases: Case[] = [
  // ---- patch_test.go customStrategicMergePatchTestCaseData ----
  { name: 'unique scalars when merging lists', original: { mergingIntList: [1, 2] }, patch: { mergingIntList: [2, 3] }, expected: { mergingIntList: [1, 2, 3] } },
  { name: 'delete map from nested map ($patch: delete empties it)', original: { simpleMap: { key1: 1, key2: 1 } }, patch: { simpleMap: { $patch: 'delete' } }, expected: { simpleMap: {} } },
  { name: 'delete all items from merging list ({$patch: replace} alone)', original: { mergingList: [{ name: 1 }, { name: 2 }] }, patch: { mergingList: [{ $patch: 'replace' }] }, expected: { mergingList: [] } },
  { name: 'merge empty merging lists', original: { mergingList: [] }, patch: { mergingList: [] }, expected: { mergingList: [] } },
  { name: 'delete all keys from map ($patch: replace at the top)', original: { name: 1, value: 1 }, patch: { $patch: 'replace' }, expected: {} },
  { name: 'add key and delete all keys from map', original: { name: 1, value: 1 }, patch: { other: 'a', $patch: 'replace' }, expected: { other: 'a' } },
  {
    name: 'delete all duplicate entries in a merging list',
    original: { mergingList: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }, { name: 3 }] },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 3, $patch: 'delete' }] },
    expected: { mergingList: [{ name: 2, value: 'a' }] },
  },
  { name: 'retainKeys map can add a field when no retainKeys directive present', original: { retainKeysMap: { name: 'foo' } }, patch: { retainKeysMap: { value: 'bar' } }, expected: { retainKeysMap: { name: 'foo', value: 'bar' } } },
  { name: 'retainKeys map can delete a field when no retainKeys directive present', original: { retainKeysMap: { name: 'foo', value: 'a' } }, patch: { retainKeysMap: { value: null } }, expected: { retainKeysMap: { name: 'foo' } } },
  { name: 'retainKeys map merge an empty map', original: { retainKeysMap: { name: 'foo', value: 'a' } }, patch: { retainKeysMap: {} }, expected: { retainKeysMap: { name: 'foo', value: 'a' } } },
  {
    name: 'retainKeys list can change a field when no retainKeys directive present',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
    patch: { retainKeysMergingList: [{ name: 'foo', value: 'b' }] },
    expected: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'b' }] },
  },
  {
    name: 'preserve the order from the patch in a merging list',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x' }] },
    expected: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, value: 'b', other: 'x' }] },
  },
  {
    name: 'preserve the order from the patch in a merging list 2 (server-only items interleave by live order)',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }] },
    expected: { mergingList: [{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }] },
  },
  { name: 'preserve the order from the patch in a merging int list', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1, 2] }, expected: { mergingIntList: [3, 1, 2] } },
  { name: 'preserve the order from the patch in a merging int list 2', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1] }, expected: { mergingIntList: [2, 3, 1] } },
  // ---- customStrategicMergePatchRawTestCases ----
  {
    name: '$setElementOrder contains item that is not present in the list to be merged',
    original: { mergingList: [{ name: 1 }, { name: 3 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 3 }, { name: 2 }, { name: 1 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
    expected: { mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
  },
  { name: '$setElementOrder contains item that is not present in the int list to be merged', original: { mergingIntList: [1, 3] }, patch: { '$setElementOrder/mergingIntList': [3, 2, 1] }, expected: { mergingIntList: [3, 1] } },
  {
    name: 'should check if order in $setElementOrder and patch list match',
    original: { mergingList: [{ name: 1 }, { name: 3 }, { name: 2 }] },
    patch: { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
    error: { code: 400, reason: 'BadRequest', message: 'The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn\'t match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n' },
  },
  {
    name: 'should check if order in $setElementOrder and patch int list match',
    original: { mergingIntList: [1, 3, 2] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
    error: { code: 400, reason: 'BadRequest', message: 'The order in patch list:\n[3 1]\n doesn\'t match $setElementOrder list:\n[1 2 3]\n' },
  },
  { name: 'missing merge key should error out', original: { mergingList: [{ name: 1, value: 'a' }] }, patch: { mergingList: [{ value: 'b' }] }, error: { code: 400, reason: 'BadRequest', message: 'map: map[value:b] does not contain declared merge key: name' } },
  { name: '$deleteFromPrimitiveList of nonexistent item should not add the item', original: { mergingIntList: [1, 2] }, patch: { '$deleteFromPrimitiveList/mergingIntList': [3] }, expected: { mergingIntList: [1, 2] } },
  { name: '$deleteFromPrimitiveList on empty primitive list should not add the item', original: { mergingIntList: null }, patch: { '$deleteFromPrimitiveList/mergingIntList': [3] }, expected: { mergingIntList: null } },
  { name: '$deleteFromPrimitiveList on nonexistent primitive list should not add the list', original: { foo: ['bar'] }, patch: { '$deleteFromPrimitiveList/mergingIntList': [3] }, expected: { foo: ['bar'] } },
  { name: '$deleteFromPrimitiveList deletes from a list with merge strategy', original: { mergingIntList: [1, 2, 3] }, patch: { '$deleteFromPrimitiveList/mergingIntList': [2] }, expected: { mergingIntList: [1, 3] } },
  { name: '$deleteFromPrimitiveList deletes from a list without merge strategy', original: { nonMergingIntList: [1, 2, 3] }, patch: { '$deleteFromPrimitiveList/nonMergingIntList': [2] }, expected: { nonMergingIntList: [1, 3] } },
  // ---- createStrategicMergePatchTestCaseData / strategicMergePatchRawTestCases ----
  { name: 'add field and delete field from map', original: { name: 1, other: 'a' }, patch: { name: null, value: 1 }, expected: { other: 'a', value: 1 } },
  { name: 'delete field from nested map', original: { simpleMap: { key1: 1, key2: 1, other: 'a' } }, patch: { simpleMap: { key2: null } }, expected: { simpleMap: { key1: 1, other: 'a' } } },
  { name: 'replace list of scalars (no merge strategy)', original: { nonMergingIntList: [1, 2] }, patch: { nonMergingIntList: [2, 3] }, expected: { nonMergingIntList: [2, 3] } },
  {
    name: 'delete all maps from merging list with conflict',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, other: 'b' }] },
    patch: { mergingList: [{ name: 1, $patch: 'delete' }, { name: 2, $patch: 'delete' }] },
    expected: { mergingList: [] },
  },
  { name: 'defined null values are dropped, unmatched ones ignored', original: { name: 'a', other: 'a' }, patch: { name: 1, value: 1, other: null }, expected: { name: 1, value: 1 } },
  {
    name: 'nested patch merge with empty list (directives dropped from a new list)',
    original: { name: 'hi' },
    patch: { mergingList: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }] },
    expected: { name: 'hi', mergingList: [{ name: 'hello' }] },
  },
  {
    name: 'nested patch merge with a live list, $setElementOrder naming a deleted item (threeWay → result)',
    original: { name: 'hi', mergingList: [{ name: 'hello2' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'hello' }, { name: 'doesntexist' }], mergingList: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }] },
    expected: { name: 'hi', mergingList: [{ name: 'hello' }, { name: 'hello2' }] },
  },
  {
    name: 'delete items in lists of scalars ($setElementOrder + $deleteFromPrimitiveList, server-only 4 kept)',
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    expected: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'delete all duplicate items in lists of scalars',
    original: { mergingIntList: [1, 2, 3, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    expected: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'add and delete items in lists of scalars',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4] },
    expected: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'merge lists of maps with $setElementOrder (threeWay → result keeps server fields)',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 4 }, { name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 4, value: 4 }, { name: 3, value: 3 }] },
    expected: { mergingList: [{ name: 4, value: 4 }, { name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
  },
  // ---- $retainKeys (strategic-merge-patch.md "$retainKeys") ----
  {
    name: '$retainKeys clears unlisted keys, then merges the patch',
    original: { retainKeysMap: { name: 'foo', value: 'a', other: 'b', simpleMap: { k: 'v' } } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'simpleMap', 'value'], value: 'c', simpleMap: { k2: 'v2' } } },
    expected: { retainKeysMap: { name: 'foo', value: 'c', simpleMap: { k: 'v', k2: 'v2' } } },
  },
  { name: '$retainKeys: a patched key missing from the list is rejected', original: { retainKeysMap: { name: 'foo' } }, patch: { retainKeysMap: { $retainKeys: ['name'], value: 'x' } }, error: { code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' } },
  { name: '$retainKeys must be a list', original: { retainKeysMap: { name: 'foo' } }, patch: { retainKeysMap: { $retainKeys: 'name' } }, error: { code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' } },
  // ---- directive errors, worded as upstream ----
  { name: 'unknown $patch in a map', original: { simpleMap: { a: 'b' } }, patch: { simpleMap: { $patch: 'foo', a: 'c' } }, error: { code: 400, reason: 'BadRequest', message: 'unknown patch type: foo in map: map[$patch:foo a:c]' } },
  { name: '$patch: merge in a map is not a map directive', original: { simpleMap: { a: 'b' } }, patch: { simpleMap: { $patch: 'merge' } }, error: { code: 400, reason: 'BadRequest', message: 'unknown patch type: merge in map: map[$patch:merge]' } },
  { name: '$patch: merge as a list element', original: { mergingList: [{ name: 1 }] }, patch: { mergingList: [{ $patch: 'merge' }] }, error: { code: 400, reason: 'BadRequest', message: 'merging lists cannot yet be specified in the patch' } },
  { name: 'unknown $patch as a list element', original: { mergingList: [{ name: 1 }] }, patch: { mergingList: [{ name: 1, $patch: 'remove' }] }, error: { code: 400, reason: 'BadRequest', message: 'unknown patch type: remove in map: map[$patch:remove name:1]' } },
  { name: 'non-string $patch value', original: { simpleMap: { a: 'b' } }, patch: { simpleMap: { $patch: 5 } }, error: { code: 400, reason: 'BadRequest', message: 'unknown patch type: %!s(int64=5) in map: map[$patch:5]' } },
  { name: '$patch: delete list element without its merge key', original: { mergingList: [{ name: 1 }] }, patch: { mergingList: [{ $patch: 'delete' }] }, error: { code: 400, reason: 'BadRequest', message: 'map: map[$patch:delete] does not contain declared merge key: name' } },
  { name: '$setElementOrder without a field name', original: { mergingIntList: [1] }, patch: { $setElementOrder: [1] }, error: { code: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list' } },
  { name: '$setElementOrder that is not a list', original: { mergingIntList: [1] }, patch: { '$setElementOrder/mergingIntList': 'x' }, error: { code: 400, reason: 'BadRequest', message: 'expected a []interface {}, but received a string' } },
  { name: '$deleteFromPrimitiveList without a field name', original: { mergingIntList: [1] }, patch: { $deleteFromPrimitiveListmergingIntList: [1] }, error: { code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' } },
  { name: 'lists of lists in a merging list', original: { mergingIntList: [1] }, patch: { mergingIntList: [[1]] }, error: { code: 400, reason: 'BadRequest', message: 'list element types are not identical: [[1] [[1]]]' } },
  { name: 'lists of lists first', original: { mergingIntList: [[1]] }, patch: { mergingIntList: [[2]] }, error: { code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' } },
  { name: '{$patch: replace} in a live list of primitives', original: { mergingIntList: [1, 2] }, patch: { mergingIntList: [3, { $patch: 'replace' }] }, error: { code: 400, reason: 'BadRequest', message: 'list element types are not identical: [[1 2] [3 map[$patch:replace]]]' } },
  { name: '{$patch: replace} in a new list of primitives just drops the marker', original: {}, patch: { mergingIntList: [3, { $patch: 'replace' }] }, expected: { mergingIntList: [3] } },
  { name: 'a new map carrying $patch is dropped (removeDirectives)', original: { name: 'a' }, patch: { simpleMap: { $patch: 'replace', a: 'b' } }, expected: { name: 'a' } },
  { name: 'a value replacing one of another type loses its nulls', original: { simpleMap: 'x' }, patch: { simpleMap: { a: 'b', c: null } }, expected: { simpleMap: { a: 'b' } } },
  {
    name: 'a new item in a merging list goes before the server-only items after the last patched one',
    original: { mergingList: [{ name: 1 }, { name: 2 }, { name: 3 }] },
    patch: { mergingList: [{ name: 2, value: 'b' }, { name: 4 }] },
    expected: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 4 }, { name: 3 }] },
  },
  { name: 'a list without merge key is replaced wholesale, $patch elements and all', original: { nonMergingList: [{ name: 1 }, { name: 2 }] }, patch: { nonMergingList: [{ name: 3 }] }, expected: { nonMergingList: [{ name: 3 }] } },
];

const pod = () => ({
  metadata: { name: 'p', labels: { a: '1', b: '2' }, finalizers: ['x'] },
  spec: {
    containers: [
      { name: 'c1', image: 'busybox:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }, { containerPort: 443 }], volumeMounts: [{ name: 'v', mountPath: '/data' }] },
      { name: 'c2', image: 'nginx' },
    ],
    tolerations: [{ key: 'k1', operator: 'Exists' }],
  },
});

const kindCases: Case[] = [
  {
    name: 'pod: kubectl set image merges containers by name',
    schema: PodSchema, original: pod(), patch: { spec: { containers: [{ name: 'c2', image: 'nginx:2' }] } },
    expected: { ...pod(), spec: { ...pod().spec, containers: [pod().spec.containers[0], { name: 'c2', image: 'nginx:2' }] } },
  },
  {
    name: 'pod: nested merge lists (env by name, ports by containerPort, volumeMounts by mountPath)',
    schema: PodSchema, original: pod(),
    patch: { spec: { containers: [{ name: 'c1', env: [{ name: 'B', value: '3' }, { name: 'A', $patch: 'delete' }], ports: [{ containerPort: 443, name: 'https' }], volumeMounts: [{ name: 'w', mountPath: '/data' }] }] } },
    expected: {
      ...pod(),
      spec: {
        ...pod().spec,
        containers: [
          { name: 'c1', image: 'busybox:1', env: [{ name: 'B', value: '3' }], ports: [{ containerPort: 80 }, { containerPort: 443, name: 'https' }], volumeMounts: [{ name: 'w', mountPath: '/data' }] },
          { name: 'c2', image: 'nginx' },
        ],
      },
    },
  },
  {
    name: 'pod: tolerations (no patch strategy) are replaced; labels merge; null deletes a label',
    schema: PodSchema, original: pod(), patch: { metadata: { labels: { a: null, c: '3' } }, spec: { tolerations: [{ key: 'k2', operator: 'Exists' }] } },
    expected: { ...pod(), metadata: { ...pod().metadata, labels: { b: '2', c: '3' } }, spec: { ...pod().spec, tolerations: [{ key: 'k2', operator: 'Exists' }] } },
  },
  {
    name: 'pod: finalizers merge as a set; the new one precedes the server-only ones (mergeSortedSlice)',
    schema: PodSchema, original: pod(), patch: { metadata: { finalizers: ['y'] } },
    expected: { ...pod(), metadata: { ...pod().metadata, finalizers: ['y', 'x'] } },
  },
  {
    name: 'pod: $setElementOrder/finalizers puts the server-only one last',
    schema: PodSchema, original: pod(), patch: { metadata: { '$setElementOrder/finalizers': ['x', 'y'], finalizers: ['y'] } },
    expected: { ...pod(), metadata: { ...pod().metadata, finalizers: ['x', 'y'] } },
  },
  {
    name: 'pod: $setElementOrder/containers with a deletion of an absent container (kubectl apply)',
    schema: PodSchema, original: pod(),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'c2' }, { name: 'c1' }], containers: [{ name: 'c1', image: 'busybox:2' }, { name: 'c3', $patch: 'delete' }] } },
    expected: { ...pod(), spec: { ...pod().spec, containers: [{ name: 'c2', image: 'nginx' }, { ...pod().spec.containers[0], image: 'busybox:2' }] } },
  },
  {
    name: 'pod: {$patch: replace} replaces the container list',
    schema: PodSchema, original: pod(), patch: { spec: { containers: [{ name: 'z', image: 'i' }, { $patch: 'replace' }] } },
    expected: { ...pod(), spec: { ...pod().spec, containers: [{ name: 'z', image: 'i' }] } },
  },
  {
    name: 'pod: $patch: replace on a map (labels)',
    schema: PodSchema, original: pod(), patch: { metadata: { labels: { $patch: 'replace', z: '9' } } },
    expected: { ...pod(), metadata: { ...pod().metadata, labels: { z: '9' } } },
  },
  {
    name: 'pod: a volume switching source with $retainKeys inside a merge,retainKeys list (kubectl apply)',
    schema: PodSchema, original: { spec: { volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: {} }] } },
    patch: { spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] } },
    expected: { spec: { volumes: [{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', emptyDir: {} }] } },
  },
  {
    name: 'pod: topologySpreadConstraints merge by topologyKey, schedulingGates by name',
    schema: PodSchema,
    original: { spec: { topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }], schedulingGates: [{ name: 'a' }, { name: 'b' }] } },
    patch: { spec: { topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 2 }], schedulingGates: [{ name: 'a', $patch: 'delete' }] } },
    expected: { spec: { topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' }], schedulingGates: [{ name: 'b' }] } },
  },
  {
    name: 'deployment: $retainKeys on spec.strategy (kubectl apply switching to Recreate)',
    schema: DeploymentSchema,
    original: { spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    expected: { spec: { replicas: 1, strategy: { type: 'Recreate' } } },
  },
  {
    name: 'deployment: $retainKeys keeps and merges listed keys',
    schema: DeploymentSchema,
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } },
    patch: { spec: { strategy: { $retainKeys: ['rollingUpdate', 'type'], rollingUpdate: { maxSurge: '50%' } } } },
    expected: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 0 } } } },
  },
];

describe('strategic merge patch (upstream cases)', () => {
  for (const c of [...cases, ...kindCases]) {
    it(c.name, () => {
      const original = structuredClone(c.original);
      const patch = structuredClone(c.patch);
      if (c.error) {
        assert.throws(() => applyStrategicMergePatch(original, patch, c.schema ?? MergeItem), (err: unknown) => {
          assert.ok(err instanceof StatusError, `not a StatusError: ${String(err)}`);
          assert.equal(err.status.code, c.error!.code);
          assert.equal(err.status.reason, c.error!.reason);
          assert.equal(err.status.message, c.error!.message);
          return true;
        });
        return;
      }
      assert.deepEqual(applyStrategicMergePatch(original, patch, c.schema ?? MergeItem), c.expected);
      assert.deepEqual(original, c.original, 'the original is not modified');
      assert.deepEqual(patch, c.patch, 'the patch is not modified');
    });
  }

  it('a null patch is a no-op; a non-object patch is a 400 as the JSON decoder words it', () => {
    assert.deepEqual(applyStrategicMergePatch({ a: 1 }, null, MergeItem), { a: 1 });
    for (const [patch, what] of [[[1], 'array'], ['x', 'string'], [1, 'number'], [true, 'bool']] as const) {
      assert.throws(() => applyStrategicMergePatch({}, patch, MergeItem), (err: unknown) =>
        err instanceof StatusError && err.status.code === 400 && err.status.message === `json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
    }
  });
});
