import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../../../test/support/apiserver.js';
import type { Client } from '../../../client/interface.js';
import { reconcileBootstrapPolicy } from './reconcile.js';
import { bootstrapPolicy } from './policy.js';
import { uncoveredRules } from './covers.js';

const CR = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' };
const CRB = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' };
const RB = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings' };

let server: TestApiServer;
let client: Client;
before(async () => { server = await startTestApiServer('bootstrap-policy'); client = server.adminClient(); });
after(async () => { await server.close(); });

test('uncoveredRules: wildcards, */subresource, URL prefixes and resource names', () => {
  assert.deepEqual(uncoveredRules([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), []);
  assert.deepEqual(uncoveredRules([{ verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] }], [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] }]), []);
  assert.deepEqual(uncoveredRules([{ verbs: ['get'], nonResourceURLs: ['/api/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/api/v1', '/apis'] }]), [{ verbs: ['get'], nonResourceURLs: ['/apis'] }]);
  assert.deepEqual(uncoveredRules([{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]), [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]);
});

test('first run creates every object; a second run changes nothing', async () => {
  const p = bootstrapPolicy();
  const total = p.clusterRoles.length + p.clusterRoleBindings.length + p.roles.length + p.roleBindings.length;
  const first = await reconcileBootstrapPolicy(client);
  assert.deepEqual(first.errors, []);
  assert.equal(first.created.length, total);
  const admin = await client.resource<any>(CR).get('cluster-admin');
  assert.equal(admin.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults');
  assert.equal(admin.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true');
  const rb = await client.resource<any>(RB).get('system::leader-locking-kube-scheduler', { namespace: 'kube-system' });
  assert.equal(rb.roleRef.name, 'system::leader-locking-kube-scheduler');
  const second = await reconcileBootstrapPolicy(client);
  assert.deepEqual(second.errors, []);
  assert.equal(second.unchanged.length, total);
});

test('autoupdate objects regain missing rules and subjects (union); user additions stay', async () => {
  const crs = client.resource<any>(CR);
  const role = await crs.get('system:kube-dns');
  role.rules = [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }];
  role.metadata.labels = { custom: 'x' };
  await crs.update(role);
  const crbs = client.resource<any>(CRB);
  const binding = await crbs.get('system:basic-user');
  binding.subjects = [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }];
  await crbs.update(binding);

  const report = await reconcileBootstrapPolicy(client);
  assert.deepEqual(report.errors, []);
  assert.ok(report.updated.includes('ClusterRole system:kube-dns'));
  assert.ok(report.updated.includes('ClusterRoleBinding system:basic-user'));
  const after = await crs.get('system:kube-dns');
  assert.deepEqual(after.rules, [
    { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['list'], apiGroups: [''], resources: ['endpoints'] },
    { verbs: ['watch'], apiGroups: [''], resources: ['endpoints'] },
    { verbs: ['list'], apiGroups: [''], resources: ['services'] },
    { verbs: ['watch'], apiGroups: [''], resources: ['services'] },
  ]);
  assert.equal(after.metadata.labels.custom, 'x');
  assert.equal(after.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults');
  const b = await crbs.get('system:basic-user');
  assert.deepEqual(b.subjects.map((s: any) => s.name), ['alice', 'system:authenticated']);
});

test('objects annotated autoupdate "false" are left alone; a changed roleRef is recreated', async () => {
  const crs = client.resource<any>(CR);
  const role = await crs.get('system:heapster');
  role.rules = [];
  role.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'] = 'false';
  await crs.update(role);
  const crbs = client.resource<any>(CRB);
  await crbs.delete('system:monitoring');
  await crbs.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:monitoring' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [] });

  const report = await reconcileBootstrapPolicy(client);
  assert.deepEqual(report.errors, []);
  assert.ok(report.skipped.includes('ClusterRole system:heapster'));
  assert.deepEqual((await crs.get('system:heapster')).rules ?? [], []);
  assert.ok(report.recreated.includes('ClusterRoleBinding system:monitoring'));
  assert.equal((await crbs.get('system:monitoring')).roleRef.name, 'system:monitoring');
});
