import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceInfo } from '../../api/resource-definition.js';
import { admissionRequest } from './admission-request.js';

const pods: ResourceInfo = { group: '', version: 'v1', kind: 'Pod', listKind: 'PodList', plural: 'pods', singular: 'pod', namespaced: true, verbs: [] };

describe('AdmissionRequest', () => {
  it('carries the request\'s kind, resource, user, objects with type meta and options', () => {
    const r = admissionRequest({
      operation: 'DELETE', resource: pods, subresource: '', namespace: 'ns', name: 'p', oldObject: { metadata: { name: 'p' } },
      user: { username: 'bob', uid: '1', groups: ['g'], extra: { k: ['v'] } }, dryRun: true,
    }, 'uid-1');
    assert.deepEqual(r, {
      uid: 'uid-1', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' }, requestResource: { group: '', version: 'v1', resource: 'pods' },
      name: 'p', namespace: 'ns', operation: 'DELETE', userInfo: { username: 'bob', uid: '1', groups: ['g'], extra: { k: ['v'] } },
      object: null, oldObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, dryRun: true,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', dryRun: ['All'] },
    });
  });
  it('names the subresource', () => {
    const r = admissionRequest({ operation: 'UPDATE', resource: pods, subresource: 'status', namespace: 'ns', name: 'p', user: { username: 'u', groups: [] }, dryRun: false }, 'x');
    assert.equal(r.subResource, 'status');
    assert.equal(r.requestSubResource, 'status');
    assert.equal(r.options?.kind, 'UpdateOptions');
  });
});
