import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RbacAuthorizer } from './rbac-authorizer.js';
import { staticRbacSource, type StaticRbacObjects } from './rbac-source.js';
import type { Attributes } from '../authorizer.js';

const alice = { username: 'alice', groups: ['system:authenticated'] };
const cr = (name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules });
const role = (ns: string, name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules });
const crb = (name: string, roleName: string, subjects: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects });
const rb = (ns: string, name: string, kind: string, roleName: string, subjects: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName }, subjects });
const res = (verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({ user: alice, verb, resourceRequest: true, apiGroup: '', resource, ...extra });

function authz(objs: StaticRbacObjects) { return new RbacAuthorizer(staticRbacSource(objs)); }

describe('RbacAuthorizer', () => {
  it('allows through a ClusterRoleBinding everywhere and names the source', async () => {
    const a = authz({ clusterRoles: [cr('reader', [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }])], clusterRoleBindings: [crb('read', 'reader', [{ kind: 'User', name: 'alice' }])] });
    assert.deepEqual(await a.authorize(res('get', 'pods', { namespace: 'prod', name: 'p' })), { decision: 'Allow', reason: 'RBAC: allowed by ClusterRoleBinding "read" of ClusterRole "reader" to User "alice"' });
    assert.equal((await a.authorize(res('list', 'pods'))).decision, 'Allow');
    assert.deepEqual(await a.authorize(res('delete', 'pods', { namespace: 'prod' })), { decision: 'NoOpinion', reason: '' });
    assert.equal((await a.authorize(res('get', 'pods', { user: { username: 'bob', groups: [] } }))).decision, 'NoOpinion');
  });

  it('applies RoleBindings only in their namespace, to Roles there or ClusterRoles', async () => {
    const a = authz({
      roles: [role('dev', 'edit', [{ verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] }])],
      clusterRoles: [cr('view', [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }])],
      roleBindings: [rb('dev', 'e', 'Role', 'edit', [{ kind: 'Group', name: 'system:authenticated' }]), rb('dev', 'v', 'ClusterRole', 'view', [{ kind: 'User', name: 'alice' }])],
    });
    assert.deepEqual(await a.authorize(res('create', 'deployments', { apiGroup: 'apps', namespace: 'dev' })), { decision: 'Allow', reason: 'RBAC: allowed by RoleBinding "e/dev" of Role "edit" to Group "system:authenticated"' });
    assert.equal((await a.authorize(res('create', 'deployments', { apiGroup: 'apps', namespace: 'prod' }))).decision, 'NoOpinion');
    assert.equal((await a.authorize(res('create', 'deployments', { apiGroup: 'apps' }))).decision, 'NoOpinion');
    assert.equal((await a.authorize(res('get', 'configmaps', { namespace: 'dev' }))).reason, 'RBAC: allowed by RoleBinding "v/dev" of ClusterRole "view" to User "alice"');
    assert.equal((await a.authorize(res('get', 'configmaps', { namespace: 'other' }))).decision, 'NoOpinion');
  });

  it('matches ServiceAccount subjects, defaulting the namespace to the RoleBinding\'s', async () => {
    const sa = { username: 'system:serviceaccount:dev:builder', groups: ['system:serviceaccounts'] };
    const a = authz({
      clusterRoles: [cr('view', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])],
      roleBindings: [rb('dev', 'v', 'ClusterRole', 'view', [{ kind: 'ServiceAccount', name: 'builder' }])],
      clusterRoleBindings: [crb('c', 'view', [{ kind: 'ServiceAccount', name: 'builder' }])],
    });
    assert.equal((await a.authorize(res('get', 'pods', { user: sa, namespace: 'dev' }))).reason, 'RBAC: allowed by RoleBinding "v/dev" of ClusterRole "view" to ServiceAccount "builder/dev"');
    // A ClusterRoleBinding subject without namespace matches nobody.
    assert.equal((await a.authorize(res('get', 'pods', { user: sa, namespace: 'prod' }))).decision, 'NoOpinion');
  });

  it('matches verbs, groups, resources, subresources, names and URLs as upstream', async () => {
    const rules = [
      { verbs: ['*'], apiGroups: ['batch'], resources: ['jobs'] },
      { verbs: ['get'], apiGroups: ['*'], resources: ['*/status'] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
      { verbs: ['get', 'update'], apiGroups: [''], resources: ['secrets'], resourceNames: ['s1'] },
      { verbs: ['get'], apiGroups: [''], resources: ['nodes/*'] },
      { verbs: ['get'], nonResourceURLs: ['/healthz', '/logs/*'] },
    ];
    const a = authz({ clusterRoles: [cr('r', rules)], clusterRoleBindings: [crb('b', 'r', [{ kind: 'User', name: 'alice' }])] });
    const ok = async (attrs: Attributes) => (await a.authorize(attrs)).decision === 'Allow';
    assert.ok(await ok(res('deletecollection', 'jobs', { apiGroup: 'batch', namespace: 'x' })));
    assert.ok(!(await ok(res('get', 'jobs', { apiGroup: 'apps' }))));
    assert.ok(await ok(res('get', 'deployments', { apiGroup: 'apps', subresource: 'status', name: 'd' })));
    assert.ok(!(await ok(res('get', 'deployments', { apiGroup: 'apps', name: 'd' }))));
    assert.ok(await ok(res('get', 'pods', { subresource: 'log', name: 'p' })));
    assert.ok(!(await ok(res('get', 'pods', { subresource: 'exec', name: 'p' }))));
    assert.ok(await ok(res('get', 'secrets', { name: 's1' })));
    assert.ok(!(await ok(res('get', 'secrets', { name: 's2' }))));
    assert.ok(!(await ok(res('list', 'secrets'))), 'a named rule never matches a collection');
    assert.ok(!(await ok(res('get', 'nodes', { subresource: 'proxy', name: 'n' }))), 'res/* is not a wildcard upstream');
    const url = (path: string, verb = 'get'): Attributes => ({ user: alice, verb, resourceRequest: false, path });
    assert.ok(await ok(url('/healthz')));
    assert.ok(!(await ok(url('/healthz/ping'))));
    assert.ok(await ok(url('/logs/kube.log')));
    assert.ok(await ok(url('/logs/')));
    assert.ok(!(await ok(url('/logs', 'get'))));
    assert.ok(!(await ok(url('/healthz', 'post'))));
  });

  it('reports roles it cannot resolve in the NoOpinion reason', async () => {
    const a = authz({ clusterRoleBindings: [crb('b1', 'missing', [{ kind: 'User', name: 'alice' }]), crb('b2', 'gone', [{ kind: 'User', name: 'alice' }])], roleBindings: [rb('dev', 'rb', 'Role', 'nope', [{ kind: 'User', name: 'alice' }])] });
    assert.deepEqual(await a.authorize(res('get', 'pods', { namespace: 'dev' })), {
      decision: 'NoOpinion',
      reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "missing" not found, clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "nope" not found]',
    });
    assert.equal((await a.authorize(res('get', 'pods'))).reason, 'RBAC: [clusterrole.rbac.authorization.k8s.io "missing" not found, clusterrole.rbac.authorization.k8s.io "gone" not found]');
  });

  it('lists rules for SelfSubjectRulesReview', async () => {
    const a = authz({
      clusterRoles: [cr('r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }, { verbs: ['get'], nonResourceURLs: ['/api'] }])],
      roles: [role('dev', 'w', [{ verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] }])],
      clusterRoleBindings: [crb('b', 'r', [{ kind: 'User', name: 'alice' }])],
      roleBindings: [rb('dev', 'w', 'Role', 'w', [{ kind: 'User', name: 'alice' }]), rb('dev', 'x', 'Role', 'missing', [{ kind: 'User', name: 'alice' }])],
    });
    assert.deepEqual(await a.rulesFor(alice, 'dev'), {
      resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }, { verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] }],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api'] }],
      incomplete: false,
      evaluationError: 'role.rbac.authorization.k8s.io "missing" not found',
    });
    assert.equal((await a.rulesFor(alice, '')).resourceRules.length, 1);
  });
});
