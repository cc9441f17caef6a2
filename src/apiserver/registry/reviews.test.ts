/** The review storages over a given Authorizer and Authenticator chain, and impersonation: upstream's answers and errors. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResourceTable } from '../../api/builtin-resources.js';
import { isReason, StatusError } from '../../machinery/errors.js';
import type { Authenticator } from '../authn/authenticator.js';
import type { Attributes, Authorizer } from '../authz/authorizer.js';
import { AlwaysAllowAuthorizer } from '../authz/always-allow.js';
import { impersonate } from '../endpoints/impersonation.js';
import { reviewStorage, type ReviewDeps } from './reviews.js';
import type { RequestContext, UserInfo } from './rest.js';

const table = builtinResourceTable();
const admin: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const ctx = (namespace = ''): RequestContext => ({ user: admin, namespace });
const clock = () => new Date('2026-01-02T03:04:05.678Z');

/** Denies everything but what `allow` says; records the attributes asked. */
class FakeAuthorizer implements Authorizer {
  asked: Attributes[] = [];
  constructor(private readonly allow: (a: Attributes) => boolean) {}
  authorize(a: Attributes) { this.asked.push(a); return this.allow(a) ? { decision: 'Allow' as const, reason: 'ok' } : { decision: 'Deny' as const, reason: 'nope' }; }
  rulesFor() { return { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [], incomplete: true, evaluationError: 'partial' }; }
}
const tokens: Authenticator = {
  authenticate: () => undefined,
  authenticateToken: (token) => {
    if (token === 'good') return { user: { username: 'sa', uid: 'u1', groups: ['g'] }, audiences: ['api'] };
    if (token === 'bad') throw new Error('invalid bearer token');
    return undefined;
  },
};
const storageOf = (plural: string, deps: Partial<ReviewDeps> = {}) => {
  const def = table.served().find((d) => d.info.plural === plural)!;
  return reviewStorage(def, { authorizer: new AlwaysAllowAuthorizer(), authenticators: [tokens], apiAudiences: ['api'], clock, ...deps })!;
};
const rejects = async (p: Promise<unknown>, code: number, message: string) => {
  await assert.rejects(p, (e: unknown) => { assert.ok(e instanceof StatusError); assert.equal(e.status.code, code); assert.equal(e.status.message, message); return true; });
};

describe('review storages', () => {
  it('SubjectAccessReview echoes the request with status; Deny sets denied and the reason', async () => {
    const authz = new FakeAuthorizer((a) => a.verb === 'get');
    const s = storageOf('subjectaccessreviews', { authorizer: authz });
    const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {}, spec: { user: 'bob', groups: ['dev'], resourceAttributes: { namespace: 'ns', verb: 'list', resource: 'pods' } } };
    assert.deepEqual(await s.create!({ ...ctx(), userAgent: 'kubectl/v1.32.4 (linux/amd64)' }, body as never), {
      kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1',
      // upstream's field manager runs on every create: the fields the request set, owned by the user agent's program.
      metadata: { creationTimestamp: null, managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'authorization.k8s.io/v1', time: '2026-01-02T03:04:05Z', fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:groups': {}, 'f:resourceAttributes': { '.': {}, 'f:namespace': {}, 'f:resource': {}, 'f:verb': {} }, 'f:user': {} } } }] },
      spec: body.spec, status: { allowed: false, denied: true, reason: 'nope' },
    });
    assert.deepEqual(authz.asked[0], { user: { username: 'bob', groups: ['dev'] }, verb: 'list', resourceRequest: true, namespace: 'ns', apiGroup: '', apiVersion: '*', resource: 'pods', subresource: '', name: '' });
    await rejects(s.create!(ctx(), { metadata: {}, spec: {} } as never), 422,
      '.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]');
  });

  it('SelfSubjectAccessReview asks for the requesting user', async () => {
    const authz = new FakeAuthorizer(() => true);
    const r = await storageOf('selfsubjectaccessreviews', { authorizer: authz }).create!(ctx(), { metadata: {}, spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } } as never) as any;
    assert.deepEqual(r.status, { allowed: true, reason: 'ok' });
    assert.deepEqual(authz.asked[0], { user: admin, verb: 'get', resourceRequest: false, path: '/healthz' });
  });

  it('LocalSubjectAccessReview takes the namespace of the path; a different one is a 400', async () => {
    const s = storageOf('localsubjectaccessreviews');
    const r = await s.create!(ctx('ns1'), { metadata: {}, spec: { user: 'bob', resourceAttributes: { namespace: 'ns1', verb: 'get' } } } as never) as any;
    assert.deepEqual({ ...r.metadata, managedFields: r.metadata.managedFields.map((m: any) => m.manager) }, { namespace: 'ns1', creationTimestamp: null, managedFields: ['unknown'] });
    assert.deepEqual(r.status, { allowed: true });
    await rejects(s.create!(ctx('ns1'), { metadata: { namespace: 'ns2' }, spec: { user: 'bob', resourceAttributes: { namespace: 'ns2' } } } as never), 400,
      'the namespace of the provided object does not match the namespace sent on the request');
    await rejects(s.create!(ctx('ns1'), { metadata: {}, spec: { user: 'bob', resourceAttributes: { namespace: 'ns2' } } } as never), 422,
      '.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "ns2": must match metadata.namespace');
  });

  it('SelfSubjectRulesReview answers the rules of the namespace in a new object; no namespace is a 400', async () => {
    const s = storageOf('selfsubjectrulesreviews');
    assert.deepEqual(await s.create!(ctx(), { metadata: {}, spec: { namespace: 'default' } } as never), {
      kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: {},
      status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false },
    });
    const r = await storageOf('selfsubjectrulesreviews', { authorizer: new FakeAuthorizer(() => false) }).create!(ctx(), { metadata: {}, spec: { namespace: 'x' } } as never) as any;
    assert.deepEqual(r.status, { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [], incomplete: true, evaluationError: 'partial' });
    await rejects(s.create!(ctx(), { metadata: {}, spec: {} } as never), 400, 'no namespace on request');
  });

  it('TokenReview: unknown token, known token, refused token, audiences, missing token', async () => {
    const s = storageOf('tokenreviews');
    const review = (spec: Record<string, unknown>) => s.create!(ctx(), { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec } as never) as Promise<any>;
    const unknown = await review({ token: 'unknown' });
    assert.deepEqual(unknown.metadata.managedFields.map((m: any) => m.fieldsV1), [{ 'f:spec': { 'f:token': {} } }]);
    delete unknown.metadata.managedFields;
    assert.deepEqual(unknown, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { token: 'unknown' }, status: { user: {} } });
    assert.deepEqual((await review({ token: 'good' })).status, { authenticated: true, user: { username: 'sa', uid: 'u1', groups: ['g'] }, audiences: ['api'] });
    assert.deepEqual((await review({ token: 'bad' })).status, { user: {}, error: 'invalid bearer token' });
    await rejects(review({ token: 'good', audiences: ['other'] }), 500, 'Internal error occurred: error validating audiences');
    await rejects(review({}), 400, 'token is required for TokenReview in authentication');
    await rejects(s.create!(ctx(), { apiVersion: 'authentication.k8s.io/v2', kind: 'TokenReview', metadata: {}, spec: { token: 'x' } } as never), 400,
      'the API version in the data (authentication.k8s.io/v2) does not match the expected API version (authentication.k8s.io/v1)');
  });

  it('SelfSubjectReview answers the requesting user with a creation time', async () => {
    const user: UserInfo = { username: 'u', uid: 'id', groups: ['a'], extra: { scopes: ['x'] } };
    assert.deepEqual(await storageOf('selfsubjectreviews').create!({ user, namespace: '' }, { metadata: {} } as never), {
      kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: '2026-01-02T03:04:05Z' },
      status: { userInfo: { username: 'u', uid: 'id', groups: ['a'], extra: { scopes: ['x'] } } },
    });
  });
});

describe('impersonation', () => {
  it('acts as the requested user, groups and extra when the authorizer allows it', async () => {
    const authz = new FakeAuthorizer(() => true);
    assert.equal(await impersonate({}, admin, authz), admin);
    assert.deepEqual(await impersonate({ 'impersonate-user': 'alice' }, admin, authz), { username: 'alice', groups: ['system:authenticated'] });
    assert.deepEqual(await impersonate({ 'impersonate-user': 'alice', 'impersonate-group': ['dev', 'ops'], 'impersonate-uid': 'u1', 'impersonate-extra-scopes': 'a' }, admin, authz),
      { username: 'alice', groups: ['dev', 'ops', 'system:authenticated'], uid: 'u1', extra: { scopes: ['a'] } });
    assert.deepEqual(await impersonate({ 'impersonate-user': 'system:serviceaccount:ns:sa' }, admin, authz),
      { username: 'system:serviceaccount:ns:sa', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'] });
    assert.deepEqual(authz.asked.map((a) => `${a.verb} ${a.resource}${a.subresource ? '/' + a.subresource : ''}.${a.apiGroup} ${a.namespace ?? ''}/${a.name}`), [
      'impersonate users. /alice', 'impersonate users. /alice', 'impersonate groups. /dev', 'impersonate groups. /ops',
      'impersonate userextras/scopes.authentication.k8s.io /a', 'impersonate uids.authentication.k8s.io /u1', 'impersonate serviceaccounts. ns/sa',
    ]);
  });

  it("is upstream's 403 when refused, a 500 without Impersonate-User", async () => {
    const deny = new FakeAuthorizer(() => false);
    await rejects(impersonate({ 'impersonate-user': 'alice' }, admin, deny), 403,
      'users "alice" is forbidden: User "kubernetes-admin" cannot impersonate resource "users" in API group "" at the cluster scope: nope');
    await rejects(impersonate({ 'impersonate-user': 'system:serviceaccount:ns:sa' }, admin, deny), 403,
      'serviceaccounts "sa" is forbidden: User "kubernetes-admin" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ns": nope');
    await assert.rejects(impersonate({ 'impersonate-group': 'dev' }, admin, deny), (e: unknown) => isReason(e, 'InternalError'));
  });
});
