/** Upstream's validation of the access reviews (pkg/apis/authorization/validation): field paths, bad values as Go prints them, messages. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldErrors } from '../../../machinery/field-errors.js';
import { subjectAccessReviewDefinition } from './subject-access-review.js';
import { localSubjectAccessReviewDefinition } from './local-subject-access-review.js';
import { selfSubjectAccessReviewDefinition } from './self-subject-access-review.js';
import { selfSubjectRulesReviewDefinition } from './self-subject-rules-review.js';
import type { Review } from './review-helpers.js';

const sar = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Review => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata, spec } as Review);
const msg = (errs: ReturnType<typeof subjectAccessReviewDefinition.validate>) => formatFieldErrors(errs);

describe('access review validation', () => {
  it('SubjectAccessReview: exactly one of the attributes, and a user or groups', () => {
    assert.equal(msg(subjectAccessReviewDefinition.validate(sar({}))),
      '[spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]');
    assert.equal(msg(subjectAccessReviewDefinition.validate(sar({ user: 'bob', resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/healthz', verb: 'get' } }))),
      'spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/healthz", Verb:"get"}: cannot be specified in combination with resourceAttributes');
    assert.deepEqual(subjectAccessReviewDefinition.validate(sar({ groups: ['g'], resourceAttributes: {} })), []);
    assert.deepEqual(subjectAccessReviewDefinition.validate(sar({ user: 'bob', nonResourceAttributes: { path: '/x', verb: 'get' } })), []);
    const [e] = subjectAccessReviewDefinition.validate(sar({ user: 'bob', resourceAttributes: {} }, { name: 'x' }));
    assert.equal(e.field, 'metadata');
    assert.match(msg([e]), /^metadata: Invalid value: v1\.ObjectMeta\{Name:"x", GenerateName:"", Namespace:"", .*CreationTimestamp:time\.Date\(1, time\.January, 1, 0, 0, 0, 0, time\.UTC\), DeletionTimestamp:<nil>, .*Labels:map\[string\]string\(nil\), .*ManagedFields:\[\]v1\.ManagedFieldsEntry\(nil\)\}: must be empty$/);
    // managedFields and a null creationTimestamp are "empty".
    assert.deepEqual(subjectAccessReviewDefinition.validate(sar({ user: 'bob', resourceAttributes: {} }, { creationTimestamp: null, managedFields: [{ manager: 'x' }] })), []);
  });

  it('SelfSubjectAccessReview needs no user', () => {
    assert.deepEqual(selfSubjectAccessReviewDefinition.validate(sar({ resourceAttributes: { verb: 'get', resource: 'pods' } })), []);
    assert.equal(msg(selfSubjectAccessReviewDefinition.validate(sar({}))),
      'spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  });

  it('LocalSubjectAccessReview: namespace must match, no nonResourceAttributes, metadata empty but the namespace', () => {
    const local = (spec: Record<string, unknown>, metadata: Record<string, unknown>) => localSubjectAccessReviewDefinition.validate({ ...sar(spec, metadata), kind: 'LocalSubjectAccessReview' } as Review);
    assert.deepEqual(local({ user: 'bob', resourceAttributes: { namespace: 'ns1', verb: 'get' } }, { namespace: 'ns1' }), []);
    assert.equal(msg(local({ user: 'bob', resourceAttributes: { namespace: 'other' } }, { namespace: 'ns1' })),
      'spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace');
    assert.equal(msg(local({ user: 'bob', resourceAttributes: {} }, { namespace: 'ns1' })),
      'spec.resourceAttributes.namespace: Invalid value: "": must match metadata.namespace');
    assert.equal(msg(local({ user: 'bob', nonResourceAttributes: { path: '/x', verb: 'get' } }, { namespace: 'ns1' })),
      'spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: disallowed on this kind of request');
    assert.match(msg(local({ user: 'bob', resourceAttributes: { namespace: 'ns1' } }, { namespace: 'ns1', labels: { a: 'b' } })),
      /^metadata: Invalid value: v1\.ObjectMeta\{.*Namespace:"ns1", .*Labels:map\[string\]string\{"a":"b"\}, .*\}: must be empty except for namespace$/);
  });

  it('selectors: rawSelector or requirements, not both', () => {
    assert.equal(msg(subjectAccessReviewDefinition.validate(sar({ user: 'bob', resourceAttributes: { fieldSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'In', values: ['b'] }] } } }))),
      'spec.resourceAttributes.fieldSelector.rawSelector: Invalid value: "a=b": may not specified at the same time as requirements');
    assert.equal(msg(subjectAccessReviewDefinition.validate(sar({ user: 'bob', resourceAttributes: { labelSelector: {} } }))),
      'spec.resourceAttributes.labelSelector.requirements: Required value: when spec.resourceAttributes.labelSelector is specified, requirements or rawSelector is required');
  });

  it('selector requirements: key, values by operator; unknown operators pass (skewed clients)', () => {
    const ra = (fieldSelector: unknown, labelSelector?: unknown) => subjectAccessReviewDefinition.validate(sar({ user: 'bob', resourceAttributes: { fieldSelector, ...(labelSelector ? { labelSelector } : {}) } }));
    assert.equal(msg(ra({ requirements: [{ operator: 'In' }, { key: 'a', operator: 'Exists', values: ['x'] }, { key: 'b', operator: 'Matches' }] })), [
      '[spec.resourceAttributes.fieldSelector.requirements[0].key: Required value: must be specified',
      "spec.resourceAttributes.fieldSelector.requirements[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.resourceAttributes.fieldSelector.requirements[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist']",
    ].join(', '));
    assert.match(msg(ra({ rawSelector: 'a=b' }, { requirements: [{ key: 'bad key', operator: 'Exists' }] })), /^spec\.resourceAttributes\.labelSelector\.requirements\[0\]\.key: Invalid value: "bad key": name part must consist of/);
    assert.deepEqual(ra({ requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] }, { requirements: [{ key: 'app', operator: 'NotIn', values: ['x'] }] }), []);
  });

  it('SelfSubjectRulesReview has no validation', () => {
    assert.deepEqual(selfSubjectRulesReviewDefinition.validate(sar({})), []);
  });
});
