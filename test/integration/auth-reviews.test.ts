/**
 * The review kinds against an in-process apiserver with the real kubectl 1.32:
 * `kubectl auth whoami` (SelfSubjectReview), `auth can-i` (SelfSubjectAccessReview),
 * `auth can-i --list` (SelfSubjectRulesReview) under the default AlwaysAllow
 * authorizer, impersonation (`--as`) through the authorizer, raw POSTs of valid and
 * invalid reviews, and a second apiserver whose authorizer refuses impersonation.
 */
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinResourceTable } from '../../src/api/builtin-resources.js';
import { type Pki } from '../../src/pki/pki.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { createRegistry } from '../../src/apiserver/registry/index.js';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/server.js';
import type { Authorizer } from '../../src/apiserver/authz/authorizer.js';
import type { Storage } from '../../src/storage/interface.js';
import { kubectl, kubectlRaw } from '../support/kubectl.js';

/** Allows everything but impersonation. */
const noImpersonation: Authorizer = {
  authorize: (a) => (a.verb === 'impersonate' ? { decision: 'NoOpinion', reason: '' } : { decision: 'Allow', reason: '' }),
  rulesFor: () => ({ resourceRules: [], nonResourceRules: [], incomplete: false }),
};

describe('authentication and authorization reviews', { timeout: 120_000 }, () => {
  let dir: string;
  let pki: Pki;
  let storage: Storage;
  let api: RunningApiServer;
  let server: TestApiServer;
  let strict: RunningApiServer;
  let kubeconfig: string;
  let strictKubeconfig: string;
  const cache = () => ['--cache-dir', join(dir, 'cache')];

  const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ code: number; body: any }> => new Promise((resolve, reject) => {
    const url = new URL(path, api.url);
    const data = JSON.stringify(body);
    const req = https.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(data);
  });

  before(async () => {
    server = await startTestApiServer('authz', { log: (m) => console.error(m) });
    ({ dir, pki, storage, api } = server);
    strict = await startApiServer({ registry: createRegistry(storage, { table: builtinResourceTable(), authorizer: noImpersonation }), pki, port: 0 });
    kubeconfig = join(dir, 'kubeconfig.yaml');
    strictKubeconfig = join(dir, 'strict.yaml');
    writeKubeconfig(kubeconfig, { server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
    writeKubeconfig(strictKubeconfig, { server: strict.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
  });
  after(async () => { await strict.close(); await server.close(); });

  it('kubectl auth whoami prints the admin user and its groups', async () => {
    const out = await kubectl(kubeconfig, ['auth', 'whoami', ...cache()]);
    assert.match(out, /^ATTRIBUTE\s+VALUE\nUsername\s+kubernetes-admin\nGroups\s+\[system:masters system:authenticated\]\n/);
    const yaml = await kubectl(kubeconfig, ['auth', 'whoami', '-o', 'yaml', ...cache()]);
    assert.match(yaml, /^apiVersion: authentication\.k8s\.io\/v1\nkind: SelfSubjectReview\nmetadata:\n {2}creationTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\nstatus:\n {2}userInfo:\n {4}groups:\n {4}- system:masters\n {4}- system:authenticated\n {4}username: kubernetes-admin\n$/);
  });

  it('kubectl auth can-i answers yes under AlwaysAllow, for resources and non-resource URLs', async () => {
    assert.equal(await kubectl(kubeconfig, ['auth', 'can-i', 'create', 'deployments', ...cache()]), 'yes\n');
    assert.equal(await kubectl(kubeconfig, ['auth', 'can-i', 'delete', 'nodes', '--all-namespaces', ...cache()]), 'yes\n');
    assert.equal(await kubectl(kubeconfig, ['auth', 'can-i', 'get', '/healthz', ...cache()]), 'yes\n');
  });

  it('kubectl auth can-i --list prints the `*.*` rule table of AlwaysAllow', async () => {
    const out = await kubectl(kubeconfig, ['auth', 'can-i', '--list', ...cache()]);
    assert.equal(out.replace(/ +\n/g, '\n'), [
      'Resources   Non-Resource URLs   Resource Names   Verbs',
      '*.*         []                  []               [*]',
      '            [*]                 []               [*]',
      '',
    ].join('\n'));
  });

  it('kubectl --as impersonates through the authorizer (allowed by AlwaysAllow)', async () => {
    assert.equal(await kubectl(kubeconfig, ['auth', 'can-i', 'get', 'pods', '--as=alice', ...cache()]), 'yes\n');
    const who = await kubectl(kubeconfig, ['auth', 'whoami', '--as=alice', '--as-group=dev', '-o', 'json', ...cache()]);
    assert.deepEqual(JSON.parse(who).status.userInfo, { username: 'alice', groups: ['dev', 'system:authenticated'] });
  });

  it("refused impersonation is upstream's 403", async () => {
    const r = await kubectlRaw(strictKubeconfig, ['auth', 'can-i', 'get', 'pods', '--as=alice', ...cache()]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /users "alice" is forbidden: User "kubernetes-admin" cannot impersonate resource "users" in API group "" at the cluster scope/);
  });

  it('discovery lists the review kinds with verbs ["create"] and no storage version hash', async () => {
    const authn = JSON.parse(await kubectl(kubeconfig, ['get', '--raw', '/apis/authentication.k8s.io/v1', ...cache()]));
    assert.deepEqual(authn.resources, [
      { name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create'] },
      { name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'] },
    ]);
    const authz = JSON.parse(await kubectl(kubeconfig, ['get', '--raw', '/apis/authorization.k8s.io/v1', ...cache()]));
    assert.deepEqual(authz.resources.map((r: any) => [r.name, r.namespaced, r.verbs.join()]), [
      ['localsubjectaccessreviews', true, 'create'], ['selfsubjectaccessreviews', false, 'create'],
      ['selfsubjectrulesreviews', false, 'create'], ['subjectaccessreviews', false, 'create'],
    ]);
  });

  it('raw POSTs: answers as upstream prints them', async () => {
    const sar = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'jane', groups: ['g1'], resourceAttributes: { namespace: 'ns', verb: 'get', resource: 'pods' } } };
    // The field manager's entry (`?fieldManager`, else the user agent) is checked apart: its time varies.
    const withoutTimes = (r: { code: number; body: any }) => ({ ...r, body: { ...r.body, metadata: { ...r.body.metadata, managedFields: r.body.metadata.managedFields?.map(({ time: _t, ...m }: any) => m) } } });
    assert.deepEqual(withoutTimes(await post('/apis/authorization.k8s.io/v1/subjectaccessreviews?fieldManager=raw', sar)), {
      code: 201, body: {
        kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null, managedFields: [{ manager: 'raw', operation: 'Update', apiVersion: 'authorization.k8s.io/v1', fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:groups': {}, 'f:resourceAttributes': { '.': {}, 'f:namespace': {}, 'f:resource': {}, 'f:verb': {} }, 'f:user': {} } } }] },
        spec: sar.spec, status: { allowed: true },
      },
    });
    const local = await post('/apis/authorization.k8s.io/v1/namespaces/ns/localsubjectaccessreviews', { ...sar, kind: 'LocalSubjectAccessReview' });
    assert.equal(local.code, 201);
    assert.deepEqual([local.body.metadata.namespace, local.body.metadata.creationTimestamp, local.body.status], ['ns', null, { allowed: true }]);
    const tr = await post('/apis/authentication.k8s.io/v1/tokenreviews?fieldManager=raw', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'abc.def' } });
    assert.deepEqual(withoutTimes(tr), { code: 201, body: { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null, managedFields: [{ manager: 'raw', operation: 'Update', apiVersion: 'authentication.k8s.io/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:token': {} } } }] },
      spec: { token: 'abc.def' }, status: { user: {} } } });
    const rules = await post('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } });
    assert.equal(rules.code, 201);
    assert.deepEqual(rules.body.status, { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false });
  });

  it('kubectl create -f of a SubjectAccessReview prints the answer; an invalid one is "The request is invalid"', async () => {
    const file = join(dir, 'sar.yaml');
    writeFileSync(file, 'apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n  user: jane\n  resourceAttributes:\n    verb: get\n    resource: pods\n');
    assert.equal(await kubectl(kubeconfig, ['create', '-f', file, ...cache()]), 'subjectaccessreview.authorization.k8s.io/<unknown> created\n');
    assert.equal(await kubectl(kubeconfig, ['create', '-f', file, '-o', 'yaml', ...cache()]), [
      'apiVersion: authorization.k8s.io/v1', 'kind: SubjectAccessReview', 'metadata:', '  creationTimestamp: null',
      'spec:', '  resourceAttributes:', '    resource: pods', '    verb: get', '  user: jane', 'status:', '  allowed: true', '',
    ].join('\n'));
    const managed = await kubectl(kubeconfig, ['create', '-f', file, '-o', 'yaml', '--show-managed-fields', ...cache()]);
    assert.match(managed, /^apiVersion: authorization\.k8s\.io\/v1\nkind: SubjectAccessReview\nmetadata:\n {2}creationTimestamp: null\n {2}managedFields:\n {2}- apiVersion: authorization\.k8s\.io\/v1\n/);
    assert.match(managed, /\n {4}manager: kubectl-create\n {4}operation: Update\n/);
    writeFileSync(file, 'apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n  resourceAttributes:\n    verb: get\n');
    const bad = await kubectlRaw(kubeconfig, ['create', '-f', file, ...cache()]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'The request is invalid: spec.user: Invalid value: "": at least one of user or group must be specified\n');
  });

  it('raw POSTs of invalid reviews: 422 and 400 Status with upstream messages', async () => {
    const bad = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: {} });
    assert.equal(bad.code, 422);
    assert.equal(bad.body.kind, 'Status');
    assert.equal(bad.body.reason, 'Invalid');
    assert.equal(bad.body.message, '.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]');
    assert.deepEqual(bad.body.details.causes.map((c: any) => c.field), ['spec.resourceAttributes', 'spec.user']);
    assert.deepEqual([bad.body.details.name, bad.body.details.group, bad.body.details.kind], [undefined, 'authorization.k8s.io', undefined]);
    const both = await post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/x', verb: 'get' } } });
    assert.equal(both.code, 422);
    assert.equal(both.body.message, '.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: cannot be specified in combination with resourceAttributes');
    const local = await post('/apis/authorization.k8s.io/v1/namespaces/ns/localsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', spec: { user: 'u', resourceAttributes: { namespace: 'other' } } });
    assert.equal(local.code, 422);
    assert.equal(local.body.message, '.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace');
    const ns = await post('/apis/authorization.k8s.io/v1/namespaces/ns/localsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', metadata: { namespace: 'x' }, spec: { user: 'u', resourceAttributes: { namespace: 'x' } } });
    assert.deepEqual([ns.code, ns.body.message], [400, 'the namespace of the provided object does not match the namespace sent on the request']);
    const token = await post('/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {} });
    assert.deepEqual([token.code, token.body.reason, token.body.message], [400, 'BadRequest', 'token is required for TokenReview in authentication']);
    const rules = await post('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} });
    assert.deepEqual([rules.code, rules.body.message], [400, 'no namespace on request']);
    const clusterScoped = await post('/apis/authorization.k8s.io/v1/namespaces/ns/subjectaccessreviews', {});
    assert.equal(clusterScoped.code, 404);
  });
});
