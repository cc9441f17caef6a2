import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeAuthorizer, type NodeAttributes } from './node-authorizer.js';
import { objectsGraphSource, podRefs, type NodeGraphSource } from './graph-source.js';

const node1 = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const graph: NodeGraphSource = {
  nodeExists: (n) => n === 'n1' || n === 'n2',
  podsOnNode: (n) => n === 'n1'
    ? [{ namespace: 'ns', name: 'web', serviceAccountName: 'sa1', secrets: ['s1'], configMaps: ['c1'], persistentVolumeClaims: ['claim1'], resourceClaims: [] }]
    : [],
  persistentVolumeForClaim: (ns, c) => (ns === 'ns' && c === 'claim1' ? { name: 'pv1', secrets: [{ namespace: 'other', name: 'pvsecret' }] } : undefined),
  volumeAttachmentsOnNode: (n) => (n === 'n1' ? ['va1'] : []),
};
const messages: string[] = [];
const authz = new NodeAuthorizer(graph, { log: (m) => messages.push(m) });
const req = (over: Partial<NodeAttributes>): NodeAttributes => ({ user: node1, verb: 'get', resourceRequest: true, apiGroup: '', ...over });

test('non-nodes get NoOpinion with no reason; a node without a name is unknown', async () => {
  assert.deepEqual(await authz.authorize(req({ user: { username: 'alice', groups: ['system:authenticated'] }, resource: 'secrets', namespace: 'ns', name: 's1' })), { decision: 'NoOpinion', reason: '' });
  assert.deepEqual(await authz.authorize(req({ user: { username: 'system:node:n1', groups: [] }, resource: 'secrets', namespace: 'ns', name: 's1' })), { decision: 'NoOpinion', reason: '' });
  assert.deepEqual(await authz.authorize(req({ user: { username: 'system:node:', groups: ['system:nodes'] }, resource: 'pods' })), { decision: 'NoOpinion', reason: 'unknown node for user "system:node:"' });
});

test('secrets, configmaps, PVCs, PVs and PV secrets referenced by pods on the node', async () => {
  for (const [resource, namespace, name] of [['secrets', 'ns', 's1'], ['configmaps', 'ns', 'c1'], ['persistentvolumeclaims', 'ns', 'claim1'], ['persistentvolumes', '', 'pv1'], ['secrets', 'other', 'pvsecret']]) {
    assert.equal((await authz.authorize(req({ resource, namespace, name }))).decision, 'Allow', `${resource} ${name}`);
  }
  assert.equal((await authz.authorize(req({ resource: 'volumeattachments', apiGroup: 'storage.k8s.io', name: 'va1' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ resource: 'secrets', namespace: 'ns', name: 's1', verb: 'watch' }))).decision, 'Allow');
});

test('unrelated objects and other nodes: NoOpinion with upstream reasons', async () => {
  assert.deepEqual(await authz.authorize(req({ resource: 'secrets', namespace: 'ns', name: 'foo' })), { decision: 'NoOpinion', reason: "no relationship found between node 'n1' and this object" });
  assert.ok(messages.some((m) => m.includes("node 'n1' cannot get secret ns/foo")));
  const n2 = { username: 'system:node:n2', groups: ['system:nodes'] };
  assert.equal((await authz.authorize(req({ user: n2, resource: 'secrets', namespace: 'ns', name: 's1' }))).decision, 'NoOpinion');
  const n9 = { username: 'system:node:n9', groups: ['system:nodes'] };
  assert.equal((await authz.authorize(req({ user: n9, resource: 'configmaps', namespace: 'ns', name: 'c1' }))).reason, "no relationship found between node 'n9' and this object");
  assert.deepEqual(await authz.authorize(req({ resource: 'secrets', namespace: 'ns', verb: 'list' })), { decision: 'NoOpinion', reason: 'No Object name found' });
  assert.deepEqual(await authz.authorize(req({ resource: 'secrets', namespace: 'ns', name: 's1', verb: 'update' })), { decision: 'NoOpinion', reason: 'can only read resources of this type' });
  assert.deepEqual(await authz.authorize(req({ resource: 'persistentvolumes', name: 'pv1', verb: 'list' })), { decision: 'NoOpinion', reason: 'can only get individual resources of this type' });
});

test('service account tokens only for service accounts of pods on the node', async () => {
  assert.equal((await authz.authorize(req({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'ns', name: 'sa1' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'ns', name: 'default' }))).reason, "no relationship found between node 'n1' and this object");
  assert.equal((await authz.authorize(req({ verb: 'get', resource: 'serviceaccounts', namespace: 'ns', name: 'sa1' }))).reason, 'can only create tokens for individual service accounts');
});

test('node leases: only its own in kube-node-lease', async () => {
  const lease = (o: Partial<NodeAttributes>) => authz.authorize(req({ apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n1', ...o }));
  for (const verb of ['get', 'update', 'patch', 'create', 'delete']) assert.equal((await lease({ verb })).decision, 'Allow', verb);
  assert.equal((await lease({ name: 'n2' })).reason, 'can only access node lease with the same name as the requesting node');
  assert.equal((await lease({ namespace: 'default' })).reason, 'can only access leases in the "kube-node-lease" system namespace');
  assert.equal((await lease({ verb: 'list' })).reason, 'can only get, create, update, patch, or delete a node lease');
});

test('nodes and pods as with AuthorizeNodeWithSelectors', async () => {
  assert.equal((await authz.authorize(req({ resource: 'nodes', name: 'n1' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ resource: 'nodes', name: 'n2' }))).reason, "node 'n1' cannot read 'n2', only its own Node object");
  assert.equal((await authz.authorize(req({ resource: 'nodes', verb: 'list' }))).reason, "node 'n1' cannot read all nodes, only its own Node object");
  assert.equal((await authz.authorize(req({ resource: 'nodes', verb: 'patch', subresource: 'status', name: 'n1' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ resource: 'pods', verb: 'list', fieldSelector: 'spec.nodeName=n1' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ resource: 'pods', verb: 'watch', fieldSelector: 'spec.nodeName=n2' }))).reason, 'can only list/watch pods with spec.nodeName field selector');
  assert.equal((await authz.authorize(req({ resource: 'pods', namespace: 'ns', name: 'web' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ resource: 'pods', namespace: 'ns', name: 'other' }))).decision, 'NoOpinion');
  assert.equal((await authz.authorize(req({ resource: 'pods', verb: 'create', namespace: 'ns' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ resource: 'pods', verb: 'create', subresource: 'eviction', namespace: 'ns', name: 'web' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ resource: 'pods', verb: 'update', namespace: 'ns', name: 'web' }))).decision, 'NoOpinion');
  assert.equal((await authz.authorize(req({ apiGroup: 'resource.k8s.io', resource: 'resourceslices', verb: 'list', fieldSelector: 'nodeName=n1' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ apiGroup: 'resource.k8s.io', resource: 'resourceslices', verb: 'list' }))).reason, 'can only list/watch/deletecollection resourceslices with nodeName field selector');
});

test('everything else through the static node rules', async () => {
  assert.equal((await authz.authorize(req({ resource: 'services', verb: 'list' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ resource: 'events', verb: 'create', namespace: 'ns' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', verb: 'create' }))).decision, 'Allow');
  assert.equal((await authz.authorize(req({ apiGroup: 'node.k8s.io', resource: 'runtimeclasses', verb: 'watch' }))).decision, 'Allow');
  assert.deepEqual(await authz.authorize(req({ resource: 'services', verb: 'delete', namespace: 'ns', name: 'x' })), { decision: 'NoOpinion', reason: '' });
  assert.equal((await authz.authorize(req({ apiGroup: 'apps', resource: 'deployments', verb: 'list' }))).decision, 'NoOpinion');
  assert.equal((await authz.authorize({ user: node1, verb: 'get', resourceRequest: false, path: '/healthz' })).decision, 'NoOpinion');
});

test('rulesFor: incomplete for nodes', async () => {
  assert.deepEqual(authz.rulesFor(node1), { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'node authorizer does not support user rule resolution' });
  assert.equal(authz.rulesFor({ username: 'alice', groups: [] }).incomplete, false);
});

test('podRefs and objectsGraphSource read Pod and PV objects', async () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', name: 'p' }, spec: {
    nodeName: 'n1', serviceAccountName: 'sa', imagePullSecrets: [{ name: 'pull' }],
    containers: [{ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'envsec', key: 'k' } } }], envFrom: [{ configMapRef: { name: 'envcm' } }] }],
    volumes: [{ name: 'v', secret: { secretName: 'volsec' } }, { name: 'pj', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }] } }, { name: 'data', persistentVolumeClaim: { claimName: 'claim' } }, { name: 'scratch', ephemeral: {} }],
  } };
  const refs = podRefs(pod);
  assert.deepEqual(refs.secrets.sort(), ['envsec', 'pull', 'volsec']);
  assert.deepEqual(refs.configMaps.sort(), ['envcm', 'kube-root-ca.crt']);
  assert.deepEqual(refs.persistentVolumeClaims, ['claim', 'p-scratch']);
  assert.equal(refs.serviceAccountName, 'sa');
  const src = objectsGraphSource({ nodes: () => [], pods: () => [pod], persistentVolumes: () => [{ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { claimRef: { namespace: 'ns', name: 'claim' }, csi: { driver: 'd', nodePublishSecretRef: { name: 'csisec', namespace: 'sys' } } } }] });
  const a = new NodeAuthorizer(src);
  assert.equal((await a.authorize(req({ resource: 'secrets', namespace: 'sys', name: 'csisec' }))).decision, 'Allow');
  assert.equal((await a.authorize(req({ resource: 'persistentvolumes', name: 'pv' }))).decision, 'Allow');
  assert.equal((await a.authorize(req({ resource: 'configmaps', namespace: 'ns', name: 'kube-root-ca.crt' }))).decision, 'Allow');
});
