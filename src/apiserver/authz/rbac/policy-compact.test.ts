import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compactRules, compactString } from './policy-compact.js';

describe('policy compaction', () => {
  it('merges single group/resource rules differing only in verbs', () => {
    assert.deepEqual(compactRules([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
      { nonResourceURLs: ['/x'], verbs: ['get'] },
    ]), [
      { nonResourceURLs: ['/x'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
    ]);
  });

  it('prints rules compactly', () => {
    assert.equal(compactString({ verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['w'] }), '{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["w"], Verbs:["get" "list"]}');
    assert.equal(compactString({ verbs: ['get'], nonResourceURLs: ['/healthz'] }), '{NonResourceURLs:["/healthz"], Verbs:["get"]}');
  });
});
