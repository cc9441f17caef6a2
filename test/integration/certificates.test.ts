/**
 * The Certificates API (issue #8) against an in-process apiserver with Node,RBAC and the
 * csrsigning controller, driven by kubectl 1.32: a CSR for alice records its requestor,
 * `kubectl certificate approve` → the cluster CA issues a certificate that logs in as
 * alice; `kubectl certificate deny` leaves it unissued; approving needs `approve` on the
 * signer; system:masters through kube-apiserver-client is refused; a kubelet-serving
 * CSR with a wrong subject ends Failed; bad requests are 422s.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { kubectl, kubectlRaw, eventually } from '../support/kubectl.js';
import { reconcileBootstrapPolicy } from '../../src/apiserver/authz/bootstrap-policy/reconcile.js';
import { createSharedInformerFactory } from '../../src/client/informers/shared-informer-factory.js';
import { CsrSigningController } from '../../src/controllers/certificates/signer.js';
import { CsrApprovingController } from '../../src/controllers/certificates/approver.js';

describe('Certificates API: CSRs, approval, the signing controller (issue #8)', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  const ac = new AbortController();
  let admin: string;
  const cache = () => ['--cache-dir', join(server.dir, 'cache')];
  const run = (args: string[], input?: string) => kubectl(admin, [...cache(), ...args], { input });
  const raw = (args: string[], input?: string) => kubectlRaw(admin, [...cache(), ...args], { input });

  /** A private key and a base64 PEM CSR made by openssl: `subj` like '/O=dev-team/CN=alice'. */
  const csrFor = (name: string, subj: string, extra: string[] = []): { key: string; request: string } => {
    const key = join(server.dir, `${name}.key`);
    const out = join(server.dir, `${name}.csr`);
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', out, '-subj', subj, ...extra], { stdio: 'pipe' });
    return { key, request: readFileSync(out).toString('base64') };
  };
  const manifest = (name: string, request: string, signerName = 'kubernetes.io/kube-apiserver-client', usages = ['client auth']): string => JSON.stringify({
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name }, spec: { request, signerName, usages, expirationSeconds: 86400 },
  });

  before(async () => {
    server = await startTestApiServer('certificates', { registry: { authorizationModes: ['Node', 'RBAC'] } });
    admin = join(server.dir, 'kubeconfig');
    writeKubeconfig(admin, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem });
    assert.deepEqual((await reconcileBootstrapPolicy(server.adminClient())).errors, []);
    const informers = createSharedInformerFactory(server.adminClient());
    void new CsrSigningController(server.adminClient(), informers, { certPem: server.pki.ca.certPem, keyPem: server.pki.ca.keyPem }).run(ac.signal, 1);
    void new CsrApprovingController(server.adminClient(), informers).run(ac.signal, 1);
    informers.start(ac.signal);
  });

  after(async () => {
    ac.abort();
    await server?.close();
  });

  it('approve: the CA issues a client certificate for alice within the requested duration; it authenticates as alice', async () => {
    const alice = csrFor('alice', '/O=dev-team/CN=alice');
    assert.match(await run(['apply', '-f', '-'], manifest('alice', alice.request)), /certificatesigningrequest.certificates.k8s.io\/alice created/);
    const created = JSON.parse(await run(['get', 'csr', 'alice', '-o', 'json']));
    assert.equal(created.spec.username, 'kubernetes-admin');
    assert.deepEqual(created.spec.groups, ['system:masters', 'system:authenticated']);
    assert.match(await run(['get', 'csr', 'alice']), /^alice\s+\S+\s+kubernetes.io\/kube-apiserver-client\s+kubernetes-admin\s+24h\s+Pending$/m);
    assert.equal((await run(['certificate', 'approve', 'alice'])).trim(), 'certificatesigningrequest.certificates.k8s.io/alice approved');
    const issued = await eventually('issued', async () => {
      const csr = JSON.parse(await run(['get', 'csr', 'alice', '-o', 'json']));
      return csr.status?.certificate ? csr : undefined;
    }, 10_000, 100);
    const approved = issued.status.conditions.find((c: { type: string }) => c.type === 'Approved');
    assert.equal(approved.reason, 'KubectlApprove');
    assert.match(await run(['get', 'csr', 'alice']), /Approved,Issued$/m);
    const certPath = join(server.dir, 'alice.crt');
    writeFileSync(certPath, Buffer.from(issued.status.certificate, 'base64'));
    const text = execFileSync('openssl', ['x509', '-in', certPath, '-noout', '-subject', '-enddate', '-ext', 'extendedKeyUsage']).toString();
    assert.match(text, /subject=O = dev-team, CN = alice/);
    assert.match(text, /TLS Web Client Authentication/);
    const notAfter = Date.parse(/notAfter=(.*)/.exec(text)![1]);
    assert.ok(Math.abs(notAfter - (Date.now() + 86_400_000)) < 120_000, 'valid for the requested 24 h');
    const kc = join(server.dir, 'kubeconfig-alice');
    writeKubeconfig(kc, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(alice.key, 'utf8') });
    const who = JSON.parse(await kubectl(kc, [...cache(), 'auth', 'whoami', '-o', 'json'])).status.userInfo;
    assert.equal(who.username, 'alice');
    assert.deepEqual(who.groups, ['dev-team', 'system:authenticated']);
    // An issued certificate is final.
    const again = await raw(['certificate', 'deny', 'alice']);
    assert.notEqual(again.code, 0);
  });

  it('deny: the CSR stays unissued and shows Denied', async () => {
    const bob = csrFor('bob', '/CN=bob');
    await run(['create', '-f', '-'], manifest('bob', bob.request));
    assert.equal((await run(['certificate', 'deny', 'bob'])).trim(), 'certificatesigningrequest.certificates.k8s.io/bob denied');
    await new Promise((r) => setTimeout(r, 300)); // the controller had its chance to (wrongly) sign
    const csr = JSON.parse(await run(['get', 'csr', 'bob', '-o', 'json']));
    assert.equal(csr.status.certificate, undefined);
    assert.deepEqual(csr.status.conditions.map((c: { type: string; reason: string }) => [c.type, c.reason]), [['Denied', 'KubectlDeny']]);
    assert.match(await run(['get', 'csr', 'bob']), /Denied$/m);
  });

  it('approving needs `approve` on the signer; system:masters through kube-apiserver-client is refused', async () => {
    const carol = csrFor('carol', '/CN=carol');
    await run(['create', '-f', '-'], manifest('carol', carol.request));
    await run(['create', 'clusterrole', 'csr-editor', '--verb=get,list,update', '--resource=certificatesigningrequests,certificatesigningrequests/approval']);
    await run(['create', 'clusterrolebinding', 'csr-editor', '--clusterrole=csr-editor', '--user=dave']);
    const refused = await raw(['certificate', 'approve', 'carol', '--as=dave']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /certificatesigningrequests.certificates.k8s.io "carol" is forbidden: user not permitted to approve requests with signerName "kubernetes.io\/kube-apiserver-client"/);
    // `kubectl create clusterrole` checks resources against discovery; signers are not served, so the role comes as a manifest.
    await run(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'signer-approver' },
      rules: [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/*'], verbs: ['approve'] }] }));
    await run(['create', 'clusterrolebinding', 'signer-approver', '--clusterrole=signer-approver', '--user=dave']);
    await run(['certificate', 'approve', 'carol', '--as=dave']);
    const masters = csrFor('root', '/O=system:masters/CN=root');
    const r = await raw(['create', '-f', '-'], manifest('root', masters.request));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /certificatesigningrequests.certificates.k8s.io "root" is forbidden: use of kubernetes.io\/kube-apiserver-client signer with system:masters group is not allowed/);
  });

  it('a kubelet-serving CSR must name a node in system:nodes: a wrong subject ends Failed, a right one is issued with its SANs', async () => {
    const wrong = csrFor('wrong', '/CN=not-a-node', ['-addext', 'subjectAltName=DNS:n1']);
    await run(['create', '-f', '-'], manifest('wrong', wrong.request, 'kubernetes.io/kubelet-serving', ['digital signature', 'server auth']));
    await run(['certificate', 'approve', 'wrong']);
    const failed = await eventually('failed', async () => {
      const csr = JSON.parse(await run(['get', 'csr', 'wrong', '-o', 'json']));
      return csr.status.conditions?.find((c: { type: string }) => c.type === 'Failed');
    }, 10_000, 100);
    assert.equal(failed.reason, 'SignerValidationFailure');
    assert.match(failed.message, /system:nodes/);
    assert.match(await run(['get', 'csr', 'wrong']), /Approved,Failed$/m);
    const right = csrFor('right', '/O=system:nodes/CN=system:node:n1', ['-addext', 'subjectAltName=DNS:n1,IP:10.0.0.7']);
    await run(['create', '-f', '-'], manifest('right', right.request, 'kubernetes.io/kubelet-serving', ['digital signature', 'key encipherment', 'server auth']));
    await run(['certificate', 'approve', 'right']);
    const cert = await eventually('issued', async () => JSON.parse(await run(['get', 'csr', 'right', '-o', 'json'])).status.certificate as string | undefined, 10_000, 100);
    const path = join(server.dir, 'right.crt');
    writeFileSync(path, Buffer.from(cert, 'base64'));
    execFileSync('openssl', ['verify', '-CAfile', server.pki.ca.certPath, path]);
    const ext = execFileSync('openssl', ['x509', '-in', path, '-noout', '-ext', 'subjectAltName,extendedKeyUsage']).toString();
    assert.match(ext, /DNS:n1, IP Address:10.0.0.7/);
    assert.match(ext, /TLS Web Server Authentication/);
  });

  it('csrapproving: a node client CSR from a requestor allowed nodeclient is approved and issued; others stay pending', async () => {
    await run(['create', 'clusterrolebinding', 'joiner-csr', '--clusterrole=system:node-bootstrapper', '--user=joiner', '--user=stranger']);
    await run(['create', 'clusterrolebinding', 'joiner-nodeclient', '--clusterrole=system:certificates.k8s.io:certificatesigningrequests:nodeclient', '--user=joiner']);
    const node = csrFor('node-n7', '/O=system:nodes/CN=system:node:n7');
    await run(['create', '--as=joiner', '-f', '-'], manifest('node-n7', node.request, 'kubernetes.io/kube-apiserver-client-kubelet', ['digital signature', 'client auth']));
    const issued = await eventually('auto-approved and issued', async () => {
      const csr = JSON.parse(await run(['get', 'csr', 'node-n7', '-o', 'json']));
      return csr.status?.certificate ? csr : undefined;
    }, 10_000, 100);
    assert.equal(issued.spec.username, 'joiner');
    const approved = issued.status.conditions.find((c: { type: string }) => c.type === 'Approved');
    assert.deepEqual([approved.reason, approved.message], ['AutoApproved', 'Auto approving kubelet client certificate after SubjectAccessReview.']);
    const other = csrFor('node-n8', '/O=system:nodes/CN=system:node:n8');
    await run(['create', '--as=stranger', '-f', '-'], manifest('node-n8', other.request, 'kubernetes.io/kube-apiserver-client-kubelet', ['digital signature', 'client auth']));
    await new Promise((r) => setTimeout(r, 500)); // the approver had its chance
    assert.match(await run(['get', 'csr', 'node-n8']), /Pending$/m);
  });

  it('bad requests are refused with 422 and field paths', async () => {
    const r = await raw(['create', '-f', '-'], JSON.stringify({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'bad' },
      spec: { request: Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth', 'flying'] } }));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The CertificateSigningRequest "bad" is invalid/);
    assert.match(r.stderr, /spec.request: Invalid value: .*PEM block type must be CERTIFICATE REQUEST/);
    assert.match(r.stderr, /spec.usages\[1\]: Unsupported value: "flying"/);
  });

  it('the approval subresource: wrong types and unknown fields are 4xx, a dry run stores nothing', async () => {
    const pending = csrFor('erin', '/CN=erin');
    await run(['create', '-f', '-'], manifest('erin', pending.request));
    const put = async (body: unknown, query = ''): Promise<{ code: number; body: any }> => {
      const r = await raw(['replace', '--raw', `/apis/certificates.k8s.io/v1/certificatesigningrequests/erin/approval${query}`, '-f', '-'], JSON.stringify(body));
      const text = r.code === 0 ? r.stdout : r.stderr;
      return { code: r.code, body: text };
    };
    const current = JSON.parse(await run(['get', 'csr', 'erin', '-o', 'json']));
    const approved = (extra: Record<string, unknown> = {}) => ({ ...current, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test', message: 'ok', ...extra }] } });
    const wrongType = await put({ ...current, status: { conditions: 'Approved' } });
    assert.notEqual(wrongType.code, 0);
    assert.match(wrongType.body, /BadRequest|Invalid|cannot unmarshal|must be/i);
    const unknown = await put(approved({ bogus: 1 }), '?fieldValidation=Strict');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.body, /unknown field "status.conditions\[0\].bogus"/);
    const bothWays = await put({ ...current, status: { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Denied', status: 'True' }] } });
    assert.match(bothWays.body, /Approved and Denied conditions are mutually exclusive/);
    const dry = await put(approved(), '?dryRun=All');
    assert.equal(dry.code, 0, dry.body);
    assert.equal(JSON.parse(dry.body).status.conditions[0].type, 'Approved', 'the dry run answers the would-be object');
    await new Promise((r) => setTimeout(r, 300)); // the signer had its chance
    const after = JSON.parse(await run(['get', 'csr', 'erin', '-o', 'json']));
    assert.equal(after.metadata.resourceVersion, current.metadata.resourceVersion, 'nothing stored');
    assert.equal(after.status?.conditions, undefined);
  });
});
