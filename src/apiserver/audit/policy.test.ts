import { it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAuditPolicy, parseAuditPolicy } from './policy.js';
import type { Attributes } from '../authz/authorizer.js';

const user = { username: 'alice', groups: ['dev', 'system:authenticated'] };
const res = (a: Partial<Attributes>): Attributes => ({ user, verb: 'get', resourceRequest: true, apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', name: 'p', ...a });

it('the first matching rule decides; no match is None; stages add up', () => {
  const p = parseAuditPolicy(`
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- {level: None, users: [system:kube-proxy]}
- {level: RequestResponse, userGroups: [dev], resources: [{group: "", resources: ["pods/log", "*/status"]}], omitStages: [ResponseStarted]}
- {level: Request, resources: [{group: apps, resources: ["deployments/*"]}]}
- {level: Metadata, resources: [{group: "", resources: [secrets], resourceNames: [token]}]}
- {level: Metadata, nonResourceURLs: ["/healthz*"]}
- {level: Request, namespaces: [prod]}
`);
  assert.equal(evaluateAuditPolicy(p, res({ user: { username: 'system:kube-proxy', groups: [] } })).level, 'None');
  assert.deepEqual(evaluateAuditPolicy(p, res({ subresource: 'log' })), { level: 'RequestResponse', omitStages: ['RequestReceived', 'ResponseStarted'], omitManagedFields: false });
  assert.equal(evaluateAuditPolicy(p, res({ resource: 'nodes', subresource: 'status', namespace: '' })).level, 'RequestResponse');
  assert.equal(evaluateAuditPolicy(p, res({ subresource: '' })).level, 'None', 'pods without a subresource match no rule');
  assert.equal(evaluateAuditPolicy(p, res({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' })).level, 'Request');
  assert.equal(evaluateAuditPolicy(p, res({ apiGroup: 'apps', resource: 'deployments' })).level, 'Request', 'deployments/* matches the resource itself too, as upstream');
  assert.equal(evaluateAuditPolicy(p, res({ apiGroup: 'apps', resource: 'replicasets' })).level, 'None');
  assert.equal(evaluateAuditPolicy(p, res({ resource: 'secrets', name: 'token' })).level, 'Metadata');
  assert.equal(evaluateAuditPolicy(p, res({ resource: 'secrets', name: 'other' })).level, 'None');
  assert.equal(evaluateAuditPolicy(p, { user, verb: 'get', resourceRequest: false, path: '/healthz/etcd' }).level, 'Metadata');
  assert.equal(evaluateAuditPolicy(p, { user, verb: 'get', resourceRequest: false, path: '/version' }).level, 'None');
  assert.equal(evaluateAuditPolicy(p, res({ resource: 'configmaps', namespace: 'prod' })).level, 'Request');
  assert.equal(evaluateAuditPolicy(p, { user, verb: 'get', resourceRequest: false, path: '/api' }).level, 'None', 'a namespaces rule applies to resource requests only');
});

it('refuses unknown levels and stages, and rules mixing resources with non-resource URLs', () => {
  const head = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n';
  assert.throws(() => parseAuditPolicy(`${head}- {level: Everything}`), /rules\[0\]\.level: Unsupported value: "Everything"/);
  assert.throws(() => parseAuditPolicy(`${head}- {level: Metadata, omitStages: [Later]}`), /rules\[0\]\.omitStages\[0\]: Unsupported value: "Later"/);
  assert.throws(() => parseAuditPolicy(`${head}- {level: Metadata, nonResourceURLs: [/x], resources: [{resources: [pods]}]}`), /cannot apply to both/);
  assert.throws(() => parseAuditPolicy('apiVersion: v1\nkind: ConfigMap\n'), /audit\.k8s\.io\/v1/);
});
