import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../authz/authorizer.js';
import { mandatoryFlowSchemas, suggestedFlowSchemas } from './bootstrap-configuration.js';
import { classify, sortFlowSchemas } from './classifier.js';
import { nonResourceRuleMatches, subjectMatches } from './rule-matching.js';

const schemas = sortFlowSchemas([...mandatoryFlowSchemas(), ...suggestedFlowSchemas()]);
const pick = (a: Attributes) => {
  const c = classify(schemas, a, { levelExists: () => true });
  return c && `${c.flowSchema.metadata.name}/${c.distinguisher}`;
};
const res = (username: string, groups: readonly string[], verb: string, apiGroup: string, resource: string, namespace = '', subresource = ''): Attributes =>
  ({ user: { username, groups: [...groups, 'system:authenticated'] }, verb, resourceRequest: true, apiGroup, resource, subresource, namespace });

test('bootstrap schemas classify k8ts components as upstream does', () => {
  assert.equal(pick(res('kubernetes-admin', ['system:masters'], 'list', '', 'nodes')), 'exempt/');
  assert.equal(pick(res('system:node:n1', ['system:nodes'], 'update', 'coordination.k8s.io', 'leases', 'kube-node-lease')), 'system-node-high/system:node:n1');
  assert.equal(pick(res('system:node:n1', ['system:nodes'], 'patch', '', 'nodes', '', 'status')), 'system-node-high/system:node:n1');
  assert.equal(pick(res('system:node:n1', ['system:nodes'], 'get', '', 'secrets', 'default')), 'system-nodes/system:node:n1');
  assert.equal(pick(res('system:kube-scheduler', [], 'update', 'coordination.k8s.io', 'leases', 'kube-system')), 'system-leader-election/system:kube-scheduler');
  assert.equal(pick(res('system:kube-scheduler', [], 'create', '', 'pods', 'default', 'binding')), 'kube-scheduler/default');
  const sa = (name: string) => [`system:serviceaccount:kube-system:${name}`, ['system:serviceaccounts', 'system:serviceaccounts:kube-system']] as const;
  assert.equal(pick(res(...sa('endpoint-controller'), 'update', '', 'endpoints', 'default')), 'endpoint-controller/system:serviceaccount:kube-system:endpoint-controller');
  assert.equal(pick(res(...sa('replicaset-controller'), 'create', '', 'pods', 'default')), 'kube-system-service-accounts/default');
  assert.equal(pick(res(...sa('some-operator'), 'update', '', 'configmaps', 'apps')), 'workload-leader-election/system:serviceaccount:kube-system:some-operator');
  assert.equal(pick(res(...sa('some-operator'), 'update', 'coordination.k8s.io', 'leases', 'apps')), 'system-leader-election/system:serviceaccount:kube-system:some-operator');
  assert.equal(pick(res('system:serviceaccount:default:app', ['system:serviceaccounts'], 'list', '', 'pods', 'default')), 'service-accounts/system:serviceaccount:default:app');
  assert.equal(pick(res('alice', [], 'list', '', 'configmaps', 'default')), 'global-default/alice');
  assert.equal(pick({ user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, verb: 'get', resourceRequest: false, path: '/healthz' }), 'probes/');
  assert.equal(pick({ user: { username: 'alice', groups: ['system:authenticated'] }, verb: 'get', resourceRequest: false, path: '/version' }), 'global-default/alice');
});

test('precedence, then name; dangling schemas are skipped; no match is undefined', () => {
  const mine = { metadata: { name: 'a-mine' }, spec: { priorityLevelConfiguration: { name: 'gone' }, matchingPrecedence: 5, rules: [{ subjects: [{ kind: 'User' as const, user: { name: 'alice' } }], resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'] }] }] } };
  const sorted = sortFlowSchemas([...schemas, mine]);
  assert.equal(sorted.findIndex((s) => s.metadata.name === 'a-mine'), 2);
  const a = res('alice', [], 'list', '', 'configmaps', 'default');
  assert.equal(classify(sorted, a, { levelExists: (n) => n !== 'gone' })?.flowSchema.metadata.name, 'global-default');
  assert.equal(classify(sorted, a, { levelExists: () => true })?.flowSchema.metadata.name, 'a-mine');
  // A cluster-scoped request only matches rules with clusterScope.
  assert.equal(classify(sorted, res('alice', [], 'list', '', 'nodes'), { levelExists: () => true })?.flowSchema.metadata.name, 'global-default');
  assert.equal(classify([], a, { levelExists: () => true }), undefined);
});

test('subjects and non-resource URLs', () => {
  const user = { username: 'system:serviceaccount:ns1:builder', groups: ['system:serviceaccounts'] };
  assert.ok(subjectMatches({ kind: 'ServiceAccount', serviceAccount: { namespace: 'ns1', name: '*' } }, user));
  assert.ok(subjectMatches({ kind: 'ServiceAccount', serviceAccount: { namespace: 'ns1', name: 'builder' } }, user));
  assert.ok(!subjectMatches({ kind: 'ServiceAccount', serviceAccount: { namespace: 'ns2', name: '*' } }, user));
  assert.ok(subjectMatches({ kind: 'Group', group: { name: '*' } }, user));
  assert.ok(!subjectMatches({ kind: 'User', user: { name: 'builder' } }, user));
  const get = (path: string): Attributes => ({ user, verb: 'get', resourceRequest: false, path });
  const rule = { verbs: ['get'], nonResourceURLs: ['/apis/*', '/healthz'] };
  assert.ok(nonResourceRuleMatches(rule, get('/apis/apps')));
  assert.ok(nonResourceRuleMatches(rule, get('/apis')));
  assert.ok(nonResourceRuleMatches(rule, get('/healthz')));
  assert.ok(!nonResourceRuleMatches(rule, get('/healthz/etcd')));
  assert.ok(!nonResourceRuleMatches(rule, { ...get('/healthz'), verb: 'post' }));
});
