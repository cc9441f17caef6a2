import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkBindingWrite, checkRoleWrite, confirmNoEscalation, uncoveredRules, type EscalationContext } from './escalation.js';
import { RbacAuthorizer } from './rbac-authorizer.js';
import { staticRbacSource, type StaticRbacObjects } from './rbac-source.js';
import { StatusError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../api/object.js';

const alice = { username: 'alice', groups: ['devs'] };
const cr = (name: string, rules: unknown[], extra = {}) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules, ...extra }) as KubeObject;
const role = (ns: string, name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules }) as KubeObject;
const crb = (name: string, roleName: string, subjects: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects }) as KubeObject;
const rb = (ns: string, name: string, kind: string, roleName: string, subjects: unknown[] = []) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName }, subjects }) as KubeObject;

function ctx(objs: StaticRbacObjects, namespace = 'dev', user = alice): EscalationContext {
  const a = new RbacAuthorizer(staticRbacSource(objs));
  return { user, namespace, authorizer: a, resolver: a.resolver };
}
async function rejects(p: Promise<unknown>, code: number, message: string) {
  await assert.rejects(p, (e: unknown) => { assert.ok(e instanceof StatusError); assert.equal(e.status.code, code); assert.equal(e.status.message, message); return true; });
}

describe('escalation prevention', () => {
  it('lists the uncovered rules, broken down and compacted by verb', () => {
    const owner = [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['*'], apiGroups: ['*'], resources: ['*/status'] }, { verbs: ['get'], nonResourceURLs: ['/logs/*'] }];
    assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/status', 'pods/log'] }, { verbs: ['get'], nonResourceURLs: ['/logs/a', '/metrics'] }]), [
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list', 'watch'] },
    ]);
    assert.deepEqual(uncoveredRules([{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }]), []);
    assert.equal(uncoveredRules([{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]).length, 1);
  });

  it('formats the message as upstream', () => {
    const msg = confirmNoEscalation(alice, { rules: [], errors: ['clusterrole.rbac.authorization.k8s.io "x" not found'] }, [{ verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] }, { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['s'] }]);
    assert.equal(msg, 'user "alice" (groups=["devs"]) is attempting to grant RBAC permissions not currently held:\n'
      + '{APIGroups:[""], Resources:["secrets"], ResourceNames:["s"], Verbs:["get"]}\n'
      + '{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}'
      + '; resolution errors: [clusterrole.rbac.authorization.k8s.io "x" not found]');
    assert.equal(confirmNoEscalation(alice, { rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], errors: [] }, [{ verbs: ['get'], apiGroups: ['x'], resources: ['y'] }]), undefined);
  });

  it('lets users write roles within their rules, or anything with escalate or system:masters', async () => {
    const objs: StaticRbacObjects = {
      clusterRoles: [cr('pod-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), cr('escalator', [{ verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'] }])],
      roleBindings: [rb('dev', 'r', 'ClusterRole', 'pod-reader', [{ kind: 'User', name: 'alice' }])],
    };
    await checkRoleWrite(ctx(objs), 'Role', role('dev', 'ok', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]));
    await rejects(checkRoleWrite(ctx(objs), 'Role', role('dev', 'big', [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }])), 403,
      'roles.rbac.authorization.k8s.io "big" is forbidden: user "alice" (groups=["devs"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}');
    await rejects(checkRoleWrite(ctx(objs, ''), 'ClusterRole', cr('c', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])), 403,
      'clusterroles.rbac.authorization.k8s.io "c" is forbidden: user "alice" (groups=["devs"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}');
    await checkRoleWrite(ctx(objs, 'dev', { username: 'root', groups: ['system:masters'] }), 'Role', role('dev', 'any', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]));
    objs.roleBindings!.push(rb('dev', 'esc', 'ClusterRole', 'escalator', [{ kind: 'Group', name: 'devs' }]));
    await checkRoleWrite(ctx(objs), 'Role', role('dev', 'any', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]));
  });

  it('skips updates touching only GC fields and guards aggregationRule', async () => {
    const objs: StaticRbacObjects = {
      clusterRoles: [cr('admin-ish', [{ verbs: ['*'], apiGroups: [''], resources: ['*'] }])],
      clusterRoleBindings: [crb('b', 'admin-ish', [{ kind: 'User', name: 'alice' }])],
    };
    const old = cr('secret', [{ verbs: ['*'], nonResourceURLs: ['*'] }]);
    await checkRoleWrite(ctx({}, ''), 'ClusterRole', { ...old, metadata: { ...old.metadata, finalizers: ['x'] } }, old);
    const agg = cr('agg', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } });
    await rejects(checkRoleWrite(ctx(objs, ''), 'ClusterRole', agg), 403, 'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule');
    // Removing the rule from an aggregated role is checked too.
    await rejects(checkRoleWrite(ctx(objs, ''), 'ClusterRole', cr('agg', []), agg), 403, 'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule');
    objs.clusterRoles![0].rules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] });
    await checkRoleWrite(ctx(objs, ''), 'ClusterRole', agg);
  });

  it('lets users bind roles they hold or may bind', async () => {
    const objs: StaticRbacObjects = {
      clusterRoles: [cr('view', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), cr('edit', [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }]),
        cr('binder', [{ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['edit'] }])],
      roleBindings: [rb('dev', 'mine', 'ClusterRole', 'view', [{ kind: 'User', name: 'alice' }])],
    };
    await checkBindingWrite(ctx(objs), 'RoleBinding', rb('dev', 'new', 'ClusterRole', 'view'));
    await rejects(checkBindingWrite(ctx(objs), 'RoleBinding', rb('dev', 'new', 'ClusterRole', 'edit')), 403,
      'rolebindings.rbac.authorization.k8s.io "new" is forbidden: user "alice" (groups=["devs"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}');
    await rejects(checkBindingWrite(ctx(objs, ''), 'ClusterRoleBinding', crb('new', 'view', [])), 403,
      'clusterrolebindings.rbac.authorization.k8s.io "new" is forbidden: user "alice" (groups=["devs"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}');
    await rejects(checkBindingWrite(ctx(objs), 'RoleBinding', rb('dev', 'new', 'Role', 'missing')), 404, 'roles.rbac.authorization.k8s.io "missing" not found');
    objs.roleBindings!.push(rb('dev', 'binder', 'ClusterRole', 'binder', [{ kind: 'User', name: 'alice' }]));
    await checkBindingWrite(ctx(objs), 'RoleBinding', rb('dev', 'new', 'ClusterRole', 'edit'));
    await rejects(checkBindingWrite(ctx(objs, 'prod'), 'RoleBinding', rb('prod', 'new', 'ClusterRole', 'edit')), 403,
      'rolebindings.rbac.authorization.k8s.io "new" is forbidden: user "alice" (groups=["devs"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get" "delete"]}');
    await checkBindingWrite(ctx({}, '', { username: 'root', groups: ['system:masters'] }), 'ClusterRoleBinding', crb('x', 'missing', []));
  });
});
