/**
 * Authorization as upstream against an in-process apiserver with `--authorization-mode
 * Node,RBAC`, the bootstrap policy reconciled and the ClusterRole aggregation controller
 * running, with the real kubectl 1.32: 403s worded as upstream, a RoleBinding to the
 * aggregated `view` role, `kubectl auth can-i` (with --list and --as), escalation
 * prevention, anonymous requests judged by RBAC, the Node authorizer's graph, and the
 * static token file and bootstrap token authenticators.
 */
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { ensurePki } from '../../src/pki/pki.js';
import { kubectl, kubectlRaw, eventually } from '../support/kubectl.js';
import { reconcileBootstrapPolicy } from '../../src/apiserver/authz/bootstrap-policy/reconcile.js';
import { createSharedInformerFactory } from '../../src/client/informers/shared-informer-factory.js';
import { ClusterRoleAggregationController } from '../../src/controllers/clusterroleaggregation/controller.js';
import { X509Authenticator } from '../../src/apiserver/authn/x509.js';
import { StaticTokenAuthenticator } from '../../src/apiserver/authn/static-token-file.js';
import { writeFileSync } from 'node:fs';

describe('RBAC and Node authorization (issue #8)', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  const ac = new AbortController();
  let admin: string;
  const users: Record<string, string> = {};
  const cache = () => ['--cache-dir', join(server.dir, 'cache')];
  const as = (user: string, args: string[]) => kubectlRaw(users[user], [...cache(), ...args]);
  const run = (args: string[], input?: string) => kubectl(admin, [...cache(), ...args], { input });

  /** A kubeconfig with a client certificate of CN `user`, O `groups`. */
  const userKubeconfig = async (user: string, groups: string[] = []): Promise<string> => {
    const cert = await server.pki.issueCertificate({ commonName: user, organizations: groups, usages: 'client' });
    const path = join(server.dir, `kubeconfig-${user.replace(/[^a-z0-9]/gi, '_')}`);
    writeKubeconfig(path, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem });
    return path;
  };
  const anonymous = (path: string): Promise<{ code: number; body: string }> => new Promise((resolve, reject) => {
    const u = new URL(path, server.api.url);
    https.get({ host: u.hostname, port: u.port, path: u.pathname, ca: server.pki.ca.certPem }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });

  before(async () => {
    server = await startTestApiServer('rbac', { registry: {
      authorizationModes: ['Node', 'RBAC'], authorizeAnonymous: true, bootstrapTokens: true,
      authenticators: [new X509Authenticator(), StaticTokenAuthenticator.fromText('# token,user,uid,groups\nstatic-token-1,bob,42,"ops,dev"\n')],
    } });
    admin = join(server.dir, 'kubeconfig');
    writeKubeconfig(admin, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem });
    const report = await reconcileBootstrapPolicy(server.adminClient());
    assert.deepEqual(report.errors, []);
    const informers = createSharedInformerFactory(server.adminClient());
    void new ClusterRoleAggregationController(server.adminClient(), informers).run(ac.signal, 1);
    informers.start(ac.signal);
    for (const ns of ['default', 'prod']) await kubectlRaw(admin, [...cache(), 'create', 'namespace', ns]);
    users.alice = await userKubeconfig('alice', ['dev']);
    users.node = await userKubeconfig('system:node:n1', ['system:nodes']);
  });
  after(async () => { ac.abort(); await server?.close(); });

  it('a user without bindings is refused with upstream\'s 403', async () => {
    const r = await as('alice', ['get', 'pods', '-n', 'prod']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(Forbidden\): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "prod"/);
    const d = await as('alice', ['create', 'deployment', 'web', '--image=busybox', '-n', 'prod']);
    assert.match(d.stderr, /deployments\.apps is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "prod"/);
    const n = await as('alice', ['get', 'nodes']);
    assert.match(n.stderr, /nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope/);
    // system:basic-user and system:discovery still let her ask who she is and discover the API.
    assert.match((await as('alice', ['auth', 'whoami'])).stdout, /alice/);
    assert.equal((await as('alice', ['api-versions'])).code, 0);
  });

  it('a RoleBinding to the aggregated view role grants reading one namespace only; can-i answers as upstream', async () => {
    await eventually('view aggregated', async () => JSON.parse(await run(['get', 'clusterrole', 'view', '-o', 'json'])).rules?.length > 0, 20_000);
    await run(['create', 'rolebinding', 'alice-view', '--clusterrole=view', '--user=alice', '-n', 'prod']);
    assert.equal((await as('alice', ['get', 'pods', '-n', 'prod'])).code, 0);
    assert.notEqual((await as('alice', ['get', 'pods', '-n', 'default'])).code, 0);
    assert.notEqual((await as('alice', ['get', 'secrets', '-n', 'prod'])).code, 0, 'view does not read secrets');
    assert.equal((await as('alice', ['auth', 'can-i', 'list', 'pods', '-n', 'prod'])).stdout.trim(), 'yes');
    assert.equal((await as('alice', ['auth', 'can-i', 'create', 'pods', '-n', 'prod'])).stdout.trim(), 'no');
    assert.equal((await kubectlRaw(admin, [...cache(), 'auth', 'can-i', 'get', 'configmaps', '-n', 'prod', '--as', 'alice'])).stdout.trim(), 'yes');
    assert.equal((await kubectlRaw(admin, [...cache(), 'auth', 'can-i', 'get', 'configmaps', '-n', 'default', '--as', 'alice'])).stdout.trim(), 'no');
    const list = await as('alice', ['auth', 'can-i', '--list', '-n', 'prod']);
    assert.match(list.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
  });

  it('nobody grants what they do not hold (escalation prevention), unless allowed to escalate/bind', async () => {
    await run(['create', 'role', 'role-admin', '--verb=create,update,get', '--resource=roles,rolebindings', '-n', 'prod']);
    await run(['create', 'rolebinding', 'alice-role-admin', '--role=role-admin', '--user=alice', '-n', 'prod']);
    const r = await as('alice', ['create', 'role', 'secret-reader', '--verb=get', '--resource=secrets', '-n', 'prod']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /roles\.rbac\.authorization\.k8s\.io "secret-reader" is forbidden: user "alice" \(groups=\["dev" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["get"\]\}/);
    // A role within her own permissions is fine; binding the admin ClusterRole is not.
    assert.equal((await as('alice', ['create', 'role', 'pod-reader', '--verb=get', '--resource=pods', '-n', 'prod'])).code, 0);
    const b = await as('alice', ['create', 'rolebinding', 'alice-admin', '--clusterrole=admin', '--user=alice', '-n', 'prod']);
    assert.notEqual(b.code, 0);
    assert.match(b.stderr, /rolebindings\.rbac\.authorization\.k8s\.io "alice-admin" is forbidden: user "alice" .* is attempting to grant RBAC permissions not currently held/);
  });

  it('anonymous requests are judged by RBAC: health and version public, the rest 403', async () => {
    assert.equal((await anonymous('/version')).code, 200);
    assert.equal((await anonymous('/healthz')).code, 200);
    const api = await anonymous('/api/v1/namespaces/default/pods');
    assert.equal(api.code, 403);
    assert.equal(JSON.parse(api.body).message, 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"');
    const root = await anonymous('/apis');
    assert.equal(root.code, 403);
    assert.equal(JSON.parse(root.body).message, 'forbidden: User "system:anonymous" cannot get path "/apis"');
  });

  it('the Node authorizer lets a kubelet read only the secrets of pods bound to its node', async () => {
    await run(['create', 'secret', 'generic', 'mine', '--from-literal=a=1', '-n', 'prod']);
    await run(['create', 'secret', 'generic', 'other', '--from-literal=a=1', '-n', 'prod']);
    await run(['apply', '-n', 'prod', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: on-n1}
spec:
  nodeName: n1
  automountServiceAccountToken: false
  containers: [{name: c, image: busybox, env: [{name: A, valueFrom: {secretKeyRef: {name: mine, key: a}}}]}]
`);
    assert.equal((await as('node', ['get', 'secret', 'mine', '-n', 'prod'])).code, 0);
    const other = await as('node', ['get', 'secret', 'other', '-n', 'prod']);
    assert.notEqual(other.code, 0);
    assert.match(other.stderr, /secrets "other" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "prod": no relationship found between node 'n1' and this object/);
    assert.equal((await as('node', ['get', 'pods', '-A', '--field-selector', 'spec.nodeName=n1'])).code, 0);
  });
  it('static token file and bootstrap tokens authenticate as upstream', async () => {
    const tokenConfig = (token: string): string => {
      const path = join(server.dir, `kc-token-${token.slice(0, 6)}`);
      writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 't',
        clusters: [{ name: 'c', cluster: { server: server.api.url, 'certificate-authority-data': Buffer.from(server.pki.ca.certPem).toString('base64') } }],
        users: [{ name: 't', user: { token } }], contexts: [{ name: 't', context: { cluster: 'c', user: 't' } }] }));
      return path;
    };
    const who = async (token: string) => JSON.parse(await kubectl(tokenConfig(token), [...cache(), 'auth', 'whoami', '-o', 'json'])).status.userInfo;
    assert.deepEqual(await who('static-token-1'), { username: 'bob', uid: '42', groups: ['ops', 'dev', 'system:authenticated'] });
    const b64 = (v: string) => Buffer.from(v).toString('base64');
    await run(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Secret', type: 'bootstrap.kubernetes.io/token',
      metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' },
      data: { 'token-id': b64('abcdef'), 'token-secret': b64('0123456789abcdef'), 'usage-bootstrap-authentication': b64('true'), 'auth-extra-groups': b64('system:bootstrappers:worker') } }));
    assert.deepEqual(await who('abcdef.0123456789abcdef'), { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:worker', 'system:authenticated'] });
    const wrong = await kubectlRaw(tokenConfig('abcdef.0123456789abcdee'), [...cache(), 'auth', 'whoami']);
    assert.match(wrong.stderr, /Unauthorized|must be logged in/);
    await run(['patch', 'secret', 'bootstrap-token-abcdef', '-n', 'kube-system', '-p', JSON.stringify({ data: { expiration: b64('2020-01-01T00:00:00Z') } })]);
    assert.match((await kubectlRaw(tokenConfig('abcdef.0123456789abcdef'), [...cache(), 'auth', 'whoami'])).stderr, /Unauthorized|must be logged in/, 'expired');
  });

  it('client certificates that do not verify (expired, another CA\'s) get 401, not anonymous access, even with anonymous requests on', async () => {
    const withCert = (cert: { certPem: string; keyPem: string }): Promise<{ code: number; body: string }> => new Promise((resolve, reject) => {
      const u = new URL('/api/v1/namespaces', server.api.url);
      https.get({ host: u.hostname, port: u.port, path: u.pathname, ca: server.pki.ca.certPem, cert: cert.certPem, key: cert.keyPem }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    const expired = await server.pki.issueCertificate({ commonName: 'expired-user', organizations: ['system:masters'], usages: 'client', validityDays: -1 });
    const other = await (await ensurePki(join(server.dir, 'other-ca'))).issueCertificate({ commonName: 'kubernetes-admin', organizations: ['system:masters'], usages: 'client' });
    for (const cert of [expired, other]) {
      const r = await withCert(cert);
      assert.equal(r.code, 401);
      assert.equal(JSON.parse(r.body).reason, 'Unauthorized');
    }
    assert.equal((await anonymous('/api/v1/namespaces')).code, 403, 'no certificate at all stays anonymous');
  });

  it('acceptance 1: alice (group dev-team) bound to edit in dev creates a Deployment there, is refused in prod, can-i --list shows her rules, --as=bob is refused', async () => {
    const cert = await server.pki.issueCertificate({ commonName: 'alice', organizations: ['dev-team'], usages: 'client' });
    const kc = join(server.dir, 'kubeconfig-alice-dev-team');
    writeKubeconfig(kc, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem });
    const alice = (args: string[]) => kubectlRaw(kc, [...cache(), ...args]);
    await run(['create', 'namespace', 'dev']);
    await run(['create', 'rolebinding', 'alice-edit', '--clusterrole=edit', '--user=alice', '-n', 'dev']);
    await eventually('edit reaches alice', async () => (await alice(['auth', 'can-i', 'create', 'deployments', '-n', 'dev'])).stdout.trim() === 'yes', 10_000, 100);
    const created = await alice(['create', 'deployment', 'web', '--image=busybox', '-n', 'dev']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /deployment.apps\/web created/);
    const refused = await alice(['create', 'deployment', 'web', '--image=busybox', '-n', 'prod']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /deployments\.apps is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "prod"/);
    const list = await kubectlRaw(admin, [...cache(), 'auth', 'can-i', '--list', '--as', 'alice', '-n', 'dev']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
    assert.match(list.stdout, /^deployments\.apps\s+\[\]\s+\[\]\s+\[create delete deletecollection patch update get list watch\]$/m);
    assert.match(list.stdout, /^selfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    const bob = await alice(['--as=bob', 'get', 'pods', '-n', 'dev']);
    assert.notEqual(bob.code, 0);
    assert.match(bob.stderr, /users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope/);
  });
});
