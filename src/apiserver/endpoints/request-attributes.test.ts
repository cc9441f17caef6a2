import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requestAttributes } from './request-attributes.js';
import { forbiddenRequestError as forbiddenError } from '../authz/forbidden-message.js';
import { parseRequestInfo } from './request-info.js';

const alice = { username: 'alice', groups: ['system:authenticated'] };
const attrs = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  return requestAttributes(alice, method, u.pathname, parseRequestInfo(u.pathname.replace(/\/+$/, '') || '/'), u.searchParams);
};

describe('request attributes and the 403 message', () => {
  it('maps methods to verbs as upstream RequestInfoFactory', () => {
    const pick = (a: ReturnType<typeof attrs>) => [a.verb, a.apiGroup, a.resource, a.subresource, a.namespace, a.name];
    assert.deepEqual(pick(attrs('GET', '/apis/apps/v1/namespaces/prod/deployments')), ['list', 'apps', 'deployments', '', 'prod', '']);
    assert.deepEqual(pick(attrs('GET', '/apis/apps/v1/namespaces/prod/deployments/web')), ['get', 'apps', 'deployments', '', 'prod', 'web']);
    assert.deepEqual(pick(attrs('GET', '/api/v1/pods?watch=true')), ['watch', '', 'pods', '', '', '']);
    assert.deepEqual(pick(attrs('GET', '/api/v1/watch/namespaces/a/pods')), ['watch', '', 'pods', '', 'a', '']);
    assert.deepEqual(pick(attrs('GET', '/api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dweb-1&watch=1')), ['watch', '', 'pods', '', 'a', 'web-1']);
    assert.deepEqual(pick(attrs('POST', '/api/v1/namespaces/a/pods/p/exec')), ['create', '', 'pods', 'exec', 'a', 'p']);
    assert.deepEqual(pick(attrs('PUT', '/api/v1/namespaces/a/pods/p/status')), ['update', '', 'pods', 'status', 'a', 'p']);
    assert.deepEqual(pick(attrs('PATCH', '/api/v1/nodes/n1')), ['patch', '', 'nodes', '', '', 'n1']);
    assert.deepEqual(pick(attrs('DELETE', '/api/v1/namespaces/a/pods')), ['deletecollection', '', 'pods', '', 'a', '']);
    assert.deepEqual(pick(attrs('DELETE', '/api/v1/namespaces/a')), ['delete', '', 'namespaces', '', 'a', 'a']);
    const np = attrs('GET', '/healthz/');
    assert.deepEqual([np.resourceRequest, np.verb, np.path], [false, 'get', '/healthz/']);
    assert.equal(attrs('POST', '/apis').verb, 'post');
  });

  it('words the 403 as upstream', () => {
    const e1 = forbiddenError(attrs('POST', '/apis/apps/v1/namespaces/prod/deployments'), '');
    assert.equal(e1.status.code, 403);
    assert.equal(e1.status.message, 'deployments.apps is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "prod"');
    assert.deepEqual(e1.status.details, { group: 'apps', kind: 'deployments' });
    const e2 = forbiddenError(attrs('GET', '/api/v1/namespaces/a/pods/p/log'), '');
    assert.equal(e2.status.message, 'pods "p" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "a"');
    assert.equal(forbiddenError(attrs('GET', '/api/v1/nodes'), '').status.message, 'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope');
    assert.equal(forbiddenError(attrs('GET', '/metrics'), 'no RBAC policy matched').status.message, 'forbidden: User "alice" cannot get path "/metrics": no RBAC policy matched');
  });
});
