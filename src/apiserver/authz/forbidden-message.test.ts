import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forbiddenMessage, forbiddenRequestError, forbiddenStatusMessage } from './forbidden-message.js';
import type { Attributes } from './authorizer.js';

const user = { username: 'alice', groups: [] };
const r = (extra: Partial<Attributes>): Attributes => ({ user, verb: 'create', resourceRequest: true, apiGroup: 'apps', resource: 'deployments', ...extra });

describe('forbidden messages', () => {
  it('describes namespaced, cluster-scoped, subresource and non-resource requests', () => {
    assert.equal(forbiddenMessage(r({ namespace: 'prod' })), 'User "alice" cannot create resource "deployments" in API group "apps" in the namespace "prod"');
    assert.equal(forbiddenMessage(r({ verb: 'list', apiGroup: '', resource: 'nodes' })), 'User "alice" cannot list resource "nodes" in API group "" at the cluster scope');
    assert.equal(forbiddenMessage(r({ verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'd', name: 'p' })), 'User "alice" cannot get resource "pods/log" in API group "" in the namespace "d"');
    assert.equal(forbiddenMessage({ user, verb: 'get', resourceRequest: false, path: '/foo' }), 'User "alice" cannot get path "/foo"');
  });

  it('prefixes the qualified resource and name and appends the reason', () => {
    assert.equal(forbiddenStatusMessage(r({ namespace: 'prod' }), ''), 'deployments.apps is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "prod"');
    assert.equal(forbiddenStatusMessage(r({ verb: 'get', namespace: 'prod', name: 'web' }), 'no way'),
      'deployments.apps "web" is forbidden: User "alice" cannot get resource "deployments" in API group "apps" in the namespace "prod": no way');
    assert.equal(forbiddenStatusMessage(r({ verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'd', name: 'p' }), ''),
      'pods "p" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "d"');
    assert.equal(forbiddenStatusMessage({ user: { username: 'system:anonymous', groups: [] }, verb: 'get', resourceRequest: false, path: '/<x>&' }, ''),
      'forbidden: User "system:anonymous" cannot get path "/&lt;x&gt;&amp;"');
  });

  it('builds the 403 Status', () => {
    const e = forbiddenRequestError(r({ verb: 'delete', namespace: 'prod', name: 'web' }), '');
    assert.equal(e.status.code, 403);
    assert.equal(e.status.reason, 'Forbidden');
    assert.deepEqual(e.status.details, { name: 'web', group: 'apps', kind: 'deployments' });
    assert.deepEqual(forbiddenRequestError({ user, verb: 'get', resourceRequest: false, path: '/x' }, '').status.details, {});
    assert.deepEqual(forbiddenRequestError(r({ verb: 'list', namespace: 'prod' }), '').status.details, { group: 'apps', kind: 'deployments' });
  });
});
