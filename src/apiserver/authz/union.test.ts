import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UnionAuthorizer } from './union.js';
import type { Attributes, AuthorizationResult, Authorizer, RulesResult } from './authorizer.js';

const fixed = (r: AuthorizationResult, rules?: Partial<RulesResult>): Authorizer & { calls: number } => {
  const a = { calls: 0, authorize() { a.calls++; return r; }, rulesFor(): RulesResult { return { resourceRules: [], nonResourceRules: [], incomplete: false, ...rules }; } };
  return a;
};
const attrs: Attributes = { user: { username: 'alice', groups: [] }, verb: 'get', resourceRequest: true, resource: 'pods', apiGroup: '' };

describe('UnionAuthorizer', () => {
  it('stops at the first Allow or Deny with that authorizer\'s reason', async () => {
    const last = fixed({ decision: 'Allow', reason: 'never asked' });
    const u = new UnionAuthorizer([fixed({ decision: 'NoOpinion', reason: 'first' }), fixed({ decision: 'Deny', reason: 'node says no' }), last]);
    assert.deepEqual(await u.authorize(attrs), { decision: 'Deny', reason: 'node says no' });
    assert.equal(last.calls, 0);
    assert.deepEqual(await new UnionAuthorizer([fixed({ decision: 'Allow', reason: 'ok' })]).authorize(attrs), { decision: 'Allow', reason: 'ok' });
  });

  it('joins the reasons and errors of authorizers without opinion', async () => {
    const u = new UnionAuthorizer([fixed({ decision: 'NoOpinion', reason: 'a' }), fixed({ decision: 'NoOpinion', reason: '' }), fixed({ decision: 'NoOpinion', reason: 'b', evaluationError: 'boom' })]);
    assert.deepEqual(await u.authorize(attrs), { decision: 'NoOpinion', reason: 'a\nb', evaluationError: 'boom' });
    assert.deepEqual(await new UnionAuthorizer([]).authorize(attrs), { decision: 'NoOpinion', reason: '' });
  });

  it('concatenates rules, incomplete if any is', async () => {
    const u = new UnionAuthorizer([
      fixed({ decision: 'NoOpinion', reason: '' }, { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], incomplete: true }),
      fixed({ decision: 'NoOpinion', reason: '' }, { nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }], evaluationError: 'e' }),
    ]);
    assert.deepEqual(await u.rulesFor(attrs.user, 'ns'), {
      resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }], incomplete: true, evaluationError: 'e',
    });
  });
});
