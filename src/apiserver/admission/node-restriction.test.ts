import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResourceTable } from '../../api/builtin-resources.js';
import type { KubeObject } from '../../api/object.js';
import { StatusError } from '../../machinery/errors.js';
import type { AdmissionAttributes } from './interface.js';
import { NodeRestriction } from './node-restriction.js';

const table = builtinResourceTable();
const node1 = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const pods: Record<string, KubeObject> = {
  'ns/mine': { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', name: 'mine', uid: 'u-mine' }, spec: { nodeName: 'n1' } } as KubeObject,
  'ns/theirs': { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', name: 'theirs', uid: 'u-theirs' }, spec: { nodeName: 'n2' } } as KubeObject,
};
const plugin = new NodeRestriction({
  getPod: (ns, name) => pods[`${ns}/${name}`],
  getNode: (name) => (name === 'n1' ? { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'node-uid' } } : undefined),
});
const attrs = (group: string, plural: string, a: Partial<AdmissionAttributes>): AdmissionAttributes =>
  ({ operation: 'CREATE', resource: table.byResource(group, plural)!.info, subresource: '', namespace: 'ns', name: '', user: node1, dryRun: false, ...a });

async function refused(a: AdmissionAttributes): Promise<string> {
  try { await plugin.admit(a); } catch (e) { assert.ok(e instanceof StatusError); return `${e.status.code} ${e.status.message}`; }
  return 'admitted';
}

const mirror = (over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'static-n1', namespace: 'ns', annotations: { 'kubernetes.io/config.mirror': 'h' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid', controller: true }], ...over },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }], ...spec },
}) as KubeObject;

test('non-node users pass; nameless nodes are refused', async () => {
  assert.equal(await refused(attrs('', 'pods', { user: { username: 'alice', groups: [] }, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } })), 'admitted');
  assert.equal(await refused(attrs('', 'pods', { user: { username: 'system:node:', groups: ['system:nodes'] }, name: 'p' })), '403 pods "p" is forbidden: could not determine node from user "system:node:"');
});

test('mirror pods only, bound to and owned by the node, referencing nothing', async () => {
  assert.equal(await refused(attrs('', 'pods', { object: mirror() })), 'admitted');
  assert.equal(await refused(attrs('', 'pods', { object: mirror({ annotations: {} }) })), '403 pods "static-n1" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods');
  assert.equal(await refused(attrs('', 'pods', { object: mirror({}, { nodeName: 'n2' }) })), '403 pods "static-n1" is forbidden: node "n1" can only create pods with spec.nodeName set to itself');
  assert.equal(await refused(attrs('', 'pods', { object: mirror({ ownerReferences: [] }) })), '403 pods "static-n1" is forbidden: node "n1" can only create pods with an owner reference set to itself');
  assert.equal(await refused(attrs('', 'pods', { object: mirror({ ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'other', controller: true }] }) })), '403 pods "static-n1" is forbidden: node n1 UID mismatch: expected other got node-uid');
  assert.equal(await refused(attrs('', 'pods', { object: mirror({}, { volumes: [{ name: 'v', secret: { secretName: 's' } }] }) })), '403 pods "static-n1" is forbidden: node "n1" can not create pods that reference secrets');
  assert.equal(await refused(attrs('', 'pods', { object: mirror({}, { serviceAccountName: 'sa' }) })), '403 pods "static-n1" is forbidden: node "n1" can not create pods that reference a service account');
  assert.equal(await refused(attrs('', 'pods', { object: mirror({}, { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'c' } }] }) })), '403 pods "static-n1" is forbidden: node "n1" can not create pods that reference persistentvolumeclaims');
  assert.equal(await refused(attrs('', 'pods', { operation: 'UPDATE', name: 'mine', object: mirror() })), '403 pods "mine" is forbidden: unexpected operation "UPDATE", node "n1" can only create and delete mirror pods');
});

test('delete, status and eviction only for pods bound to the node', async () => {
  assert.equal(await refused(attrs('', 'pods', { operation: 'DELETE', name: 'mine' })), 'admitted');
  assert.equal(await refused(attrs('', 'pods', { operation: 'DELETE', name: 'theirs' })), '403 pods "theirs" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself');
  assert.match(await refused(attrs('', 'pods', { operation: 'DELETE', name: 'gone' })), /^404 /);
  const st = (oldObject: KubeObject, object: KubeObject) => attrs('', 'pods', { operation: 'UPDATE', subresource: 'status', name: oldObject.metadata.name!, oldObject, object });
  assert.equal(await refused(st(pods['ns/mine'], { ...pods['ns/mine'], status: { phase: 'Running' } } as KubeObject)), 'admitted');
  assert.equal(await refused(st(pods['ns/theirs'], pods['ns/theirs'])), '403 pods "theirs" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself');
  assert.equal(await refused(st(pods['ns/mine'], { ...pods['ns/mine'], metadata: { ...pods['ns/mine'].metadata, labels: { a: 'b' } } })), '403 pods "mine" is forbidden: node "n1" cannot update labels through pod status');
  const ev = (name: string) => attrs('', 'pods', { subresource: 'eviction', name, object: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } } });
  assert.equal(await refused(ev('mine')), 'admitted');
  assert.equal(await refused(ev('theirs')), '403 pods "theirs" is forbidden: node n1 can only evict pods with spec.nodeName set to itself');
  assert.equal(await refused(attrs('', 'pods', { subresource: 'exec', name: 'mine' })), `403 pods "mine" is forbidden: unexpected pod subresource "exec", only 'status' and 'eviction' are allowed`);
});

test('own Node only; no taint changes; labels restricted', async () => {
  const n = (labels: Record<string, string>, taints?: unknown[]) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels }, spec: taints ? { taints } : {} }) as KubeObject;
  assert.equal(await refused(attrs('', 'nodes', { namespace: '', object: n({ 'kubernetes.io/hostname': 'n1', 'node.kubernetes.io/exclude-from-external-load-balancers': '', custom: 'x' }) })), 'admitted');
  assert.equal(await refused(attrs('', 'nodes', { namespace: '', name: 'n2', operation: 'UPDATE', object: n({}), oldObject: n({}) })), '403 nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
  assert.equal(await refused(attrs('', 'nodes', { namespace: '', object: n({ 'node-role.kubernetes.io/master': '', 'node-restriction.kubernetes.io/x': '' }) })), '403 nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: node-restriction.kubernetes.io/x, node-role.kubernetes.io/master');
  assert.equal(await refused(attrs('', 'nodes', { namespace: '', name: 'n1', operation: 'UPDATE', object: n({}, []), oldObject: n({}, [{ key: 'k', effect: 'NoSchedule' }]) })), '403 nodes "n1" is forbidden: node "n1" is not allowed to modify taints');
  assert.equal(await refused(attrs('', 'nodes', { namespace: '', name: 'n1', operation: 'UPDATE', object: n({ 'example.k8s.io/a': 'b' }), oldObject: n({}) })), '403 nodes "n1" is forbidden: is not allowed to modify labels: example.k8s.io/a');
  assert.equal(await refused(attrs('', 'nodes', { namespace: '', name: 'n1', operation: 'UPDATE', subresource: 'status', object: n({ 'kubernetes.io/os': 'linux' }), oldObject: n({}) })), 'admitted');
});

test('leases, CSINodes, PVC status and service account tokens', async () => {
  const lease = (name: string, namespace = 'kube-node-lease') => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace } }) as KubeObject;
  assert.equal(await refused(attrs('coordination.k8s.io', 'leases', { namespace: 'kube-node-lease', object: lease('n1') })), 'admitted');
  assert.equal(await refused(attrs('coordination.k8s.io', 'leases', { namespace: 'kube-node-lease', object: lease('n2') })), '403 leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node');
  assert.equal(await refused(attrs('coordination.k8s.io', 'leases', { namespace: 'default', operation: 'UPDATE', name: 'n1', object: lease('n1', 'default') })), '403 leases.coordination.k8s.io "n1" is forbidden: can only access leases in the "kube-node-lease" system namespace');
  const pvc = (status: unknown, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'ns', resourceVersion: '1', labels }, spec: { volumeName: 'pv' }, status }) as KubeObject;
  const pvcUpd = (oldObject: KubeObject, object: KubeObject) => attrs('', 'persistentvolumeclaims', { operation: 'UPDATE', subresource: 'status', name: 'c', oldObject, object });
  assert.equal(await refused(pvcUpd(pvc({ phase: 'Bound' }), pvc({ phase: 'Bound', capacity: { storage: '2Gi' } }))), 'admitted');
  assert.equal(await refused(pvcUpd(pvc({ phase: 'Bound' }), pvc({ phase: 'Bound' }, { x: 'y' }))), '403 persistentvolumeclaims "c" is forbidden: node "n1" is not allowed to update fields other than status.capacity and status.conditions');
  assert.equal(await refused(attrs('', 'persistentvolumeclaims', { operation: 'UPDATE', name: 'c' })), '403 persistentvolumeclaims "c" is forbidden: may only update PVC status');
  const tr = (ref?: unknown) => attrs('', 'serviceaccounts', { subresource: 'token', name: 'sa', object: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { boundObjectRef: ref } } as KubeObject });
  assert.equal(await refused(tr({ apiVersion: 'v1', kind: 'Pod', name: 'mine', uid: 'u-mine' })), 'admitted');
  assert.equal(await refused(tr()), '403 serviceaccounts "sa" is forbidden: node requested token not bound to a pod');
  assert.equal(await refused(tr({ apiVersion: 'v1', kind: 'Pod', name: 'mine' })), '403 serviceaccounts "sa" is forbidden: node requested token with a pod binding without a uid');
  assert.equal(await refused(tr({ apiVersion: 'v1', kind: 'Pod', name: 'theirs', uid: 'u-theirs' })), '403 serviceaccounts "sa" is forbidden: node requested token bound to a pod scheduled on a different node');
  assert.match(await refused(tr({ apiVersion: 'v1', kind: 'Pod', name: 'mine', uid: 'old' })), /the UID in the bound object reference \(old\) does not match/);
});
