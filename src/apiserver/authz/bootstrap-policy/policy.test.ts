import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapPolicy } from './policy.js';
import { nodeRules } from './cluster-roles.js';
import { AUTOUPDATE_ANNOTATION, BOOTSTRAPPING_LABEL } from './metadata.js';

test('every bootstrap object carries the bootstrapping label and the autoupdate annotation', () => {
  const p = bootstrapPolicy();
  for (const o of [...p.clusterRoles, ...p.clusterRoleBindings, ...p.roles, ...p.roleBindings]) {
    assert.equal(o.metadata.labels[BOOTSTRAPPING_LABEL], 'rbac-defaults', o.metadata.name);
    assert.equal(o.metadata.annotations[AUTOUPDATE_ANNOTATION], 'true', o.metadata.name);
  }
});

test('names are unique and every binding refers to a bootstrap role', () => {
  const p = bootstrapPolicy();
  const crNames = p.clusterRoles.map((r) => r.metadata.name);
  assert.equal(new Set(crNames).size, crNames.length);
  for (const b of p.clusterRoleBindings) assert.ok(crNames.includes(b.roleRef.name), b.metadata.name);
  for (const b of p.roleBindings) assert.ok(p.roles.some((r) => r.metadata.name === b.roleRef.name && r.metadata.namespace === b.metadata.namespace), b.metadata.name);
});

test('the well-known roles and bindings are as upstream', () => {
  const p = bootstrapPolicy();
  const cr = (n: string) => p.clusterRoles.find((r) => r.metadata.name === n)!;
  const crb = (n: string) => p.clusterRoleBindings.find((r) => r.metadata.name === n)!;
  assert.deepEqual(cr('cluster-admin').rules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }]);
  assert.deepEqual(cr('admin').aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }] });
  assert.equal(cr('edit').metadata.labels['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
  assert.equal(cr('view').metadata.labels['rbac.authorization.k8s.io/aggregate-to-edit'], 'true');
  assert.equal(cr('system:aggregate-to-view').metadata.labels['rbac.authorization.k8s.io/aggregate-to-view'], 'true');
  assert.deepEqual(crb('cluster-admin').subjects, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }]);
  assert.deepEqual(crb('system:public-info-viewer').subjects!.map((s) => s.name), ['system:authenticated', 'system:unauthenticated']);
  assert.equal(crb('system:node').subjects, undefined);
  assert.deepEqual(crb('system:controller:job-controller').subjects, [{ kind: 'ServiceAccount', name: 'job-controller', namespace: 'kube-system' }]);
  assert.deepEqual(cr('system:node').rules, nodeRules());
  const rb = p.roleBindings.find((b) => b.metadata.name === 'system::extension-apiserver-authentication-reader')!;
  assert.equal(rb.metadata.namespace, 'kube-system');
  assert.equal(rb.roleRef.name, 'extension-apiserver-authentication-reader');
});
