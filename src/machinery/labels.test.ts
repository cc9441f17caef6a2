import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSelector, selectorFromLabelSelector, labelSelectorString } from './labels.js';
import { parseFieldSelector } from './fields.js';
import { parseQuantity, milliValue, isQuantity } from './quantity.js';
import { StatusError } from './errors.js';

it('label selector string syntax matches as upstream', () => {
  const s = parseSelector('app=web,tier!=db,env in (prod, staging),release notin (canary),has,!gone');
  assert.equal(s.matches({ app: 'web', env: 'prod', has: 'x' }), true);
  assert.equal(s.matches({ app: 'web', env: 'prod', has: 'x', gone: '1' }), false);
  assert.equal(s.matches({ app: 'web', env: 'dev', has: 'x' }), false);
  assert.equal(s.matches({ app: 'web', env: 'prod', has: 'x', tier: 'db' }), false);
  assert.equal(s.matches({ app: 'web', env: 'prod', has: 'x', release: 'canary' }), false);
  assert.equal(parseSelector('a==b').matches({ a: 'b' }), true);
  assert.equal(parseSelector('').matches({}), true);
  assert.throws(() => parseSelector('a in b'), StatusError);
  assert.throws(() => parseSelector('=x'), StatusError);
});

it('metav1.LabelSelector: nil matches nothing, empty everything, expressions', () => {
  assert.equal(selectorFromLabelSelector(undefined).matches({ a: 'b' }), false);
  assert.equal(selectorFromLabelSelector({}).matches({ a: 'b' }), true);
  const s = selectorFromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }, { key: 'x', operator: 'DoesNotExist' }] });
  assert.equal(s.matches({ app: 'web', tier: 'fe' }), true);
  assert.equal(s.matches({ app: 'web', tier: 'fe', x: '1' }), false);
  assert.equal(labelSelectorString({ matchLabels: { app: 'web' } }), 'app=web');
  assert.throws(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), StatusError);
});

it('field selectors', () => {
  const f = parseFieldSelector('spec.nodeName=n1,status.phase!=Failed');
  assert.equal(f.matches({ 'spec.nodeName': 'n1', 'status.phase': 'Running' }), true);
  assert.equal(f.matches({ 'spec.nodeName': 'n1', 'status.phase': 'Failed' }), false);
  assert.equal(parseFieldSelector('').empty(), true);
  assert.throws(() => parseFieldSelector('nonsense'), StatusError);
});

it('quantities', () => {
  assert.equal(parseQuantity('100m'), 0.1);
  assert.equal(parseQuantity('1Gi'), 2 ** 30);
  assert.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('2k'), 2000);
  assert.equal(milliValue('1'), 1000);
  assert.equal(milliValue('250m'), 250);
  assert.equal(isQuantity('12x'), false);
  assert.throws(() => parseQuantity('abc'));
});
