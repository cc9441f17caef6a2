import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { breakdownRule, covers, ruleCovers } from './policy-comparator.js';

describe('policy comparator', () => {
  it('breaks rules into single tuples', () => {
    assert.deepEqual(breakdownRule({ verbs: ['get', 'list'], apiGroups: ['', 'apps'], resources: ['x'], resourceNames: ['n'] }), [
      { apiGroups: [''], resources: ['x'], verbs: ['get'], resourceNames: ['n'] }, { apiGroups: [''], resources: ['x'], verbs: ['list'], resourceNames: ['n'] },
      { apiGroups: ['apps'], resources: ['x'], verbs: ['get'], resourceNames: ['n'] }, { apiGroups: ['apps'], resources: ['x'], verbs: ['list'], resourceNames: ['n'] },
    ]);
    assert.deepEqual(breakdownRule({ verbs: ['get'], nonResourceURLs: ['/a', '/b'] }), [{ nonResourceURLs: ['/a'], verbs: ['get'] }, { nonResourceURLs: ['/b'], verbs: ['get'] }]);
  });

  it('covers with wildcards, */subresource, names and URL prefixes', () => {
    assert.ok(ruleCovers({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['delete'], apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['d'] }));
    assert.ok(ruleCovers({ verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, { verbs: ['get'], apiGroups: [''], resources: ['pods/status'] }));
    assert.ok(!ruleCovers({ verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }, { verbs: ['get'], apiGroups: [''], resources: ['pods/status'] }));
    assert.ok(!ruleCovers({ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, { verbs: ['get'], apiGroups: [''], resources: ['pods'] }));
    assert.ok(ruleCovers({ verbs: ['get'], nonResourceURLs: ['/api/*'] }, { verbs: ['get'], nonResourceURLs: ['/api/v1'] }));
    assert.ok(!ruleCovers({ verbs: ['get'], nonResourceURLs: ['/api/*'] }, { verbs: ['get'], nonResourceURLs: ['/apis'] }));
    assert.ok(!ruleCovers({ verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }));
    assert.deepEqual(covers([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]),
      { covered: false, missing: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] });
  });
});
