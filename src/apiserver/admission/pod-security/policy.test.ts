import { it } from 'node:test';
import assert from 'node:assert/strict';
import { compareLevels, parseVersion, policyToEvaluate } from './policy.js';

const P = 'pod-security.kubernetes.io/';

it('defaults every mode to privileged:latest', () => {
  const { policy, errors } = policyToEvaluate(undefined);
  assert.deepEqual(policy.enforce, { level: 'privileged', version: 'latest' });
  assert.deepEqual(errors, []);
});

it('reads levels and versions; warn follows a stricter enforce when unset', () => {
  const { policy } = policyToEvaluate({ [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.32', [`${P}audit`]: 'baseline' });
  assert.deepEqual(policy.enforce, { level: 'restricted', version: 'v1.32' });
  assert.deepEqual(policy.audit, { level: 'baseline', version: 'latest' });
  assert.deepEqual(policy.warn, { level: 'restricted', version: 'v1.32' });
  const explicit = policyToEvaluate({ [`${P}enforce`]: 'restricted', [`${P}warn`]: 'baseline' }).policy;
  assert.equal(explicit.warn.level, 'baseline');
});

it('invalid enforce fails closed (restricted), invalid warn/audit fail open, bad versions are latest', () => {
  const { policy, errors } = policyToEvaluate({ [`${P}enforce`]: 'strict', [`${P}warn`]: 'loud', [`${P}audit-version`]: 'v2.0' });
  assert.equal(policy.enforce.level, 'restricted');
  assert.equal(policy.warn.level, 'privileged');
  assert.equal(policy.audit.version, 'latest');
  assert.deepEqual(errors.map((e) => [e.field, e.badValue, e.detail]), [
    [`metadata.labels[${P}enforce]`, 'strict', 'must be one of privileged, baseline, restricted'],
    [`metadata.labels[${P}audit-version]`, 'v2.0', 'must be "latest" or "v1.x"'],
    [`metadata.labels[${P}warn]`, 'loud', 'must be one of privileged, baseline, restricted'],
  ]);
});

it('parses versions and compares levels', () => {
  assert.deepEqual(parseVersion('v1.0'), { version: 'v1.0' });
  assert.equal(parseVersion('v1.01').error, 'must be "latest" or "v1.x"');
  assert.equal(compareLevels('restricted', 'baseline'), 1);
  assert.equal(compareLevels('privileged', 'baseline'), -1);
  assert.equal(compareLevels('baseline', 'baseline'), 0);
});
