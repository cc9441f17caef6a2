/**
 * Auditing as kube-apiserver does it (`--audit-policy-file`, `--audit-log-path`) against
 * an in-process apiserver with Node,RBAC, driven by the real kubectl: one audit.k8s.io/v1
 * Event per request and stage as the policy says, Secret data never at Metadata level,
 * bodies at Request/RequestResponse, impersonation, refusals and watches.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { kubectl, kubectlRaw, eventually } from '../support/kubectl.js';
import { reconcileBootstrapPolicy } from '../../src/apiserver/authz/bootstrap-policy/reconcile.js';
import { auditorFromFlags } from '../../src/apiserver/audit/options.js';
import type { AuditEvent } from '../../src/apiserver/audit/event.js';

const POLICY = `
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: None
  nonResourceURLs: ["/version", "/healthz*"]
- level: Metadata
  resources: [{group: "", resources: [secrets, configmaps]}]
- level: RequestResponse
  omitStages: [RequestReceived]
  namespaces: [audited]
  resources: [{group: "", resources: [pods]}]
- level: Request
  verbs: [create, update, patch, delete]
- level: Metadata
`;

describe('audit log (issue #8)', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let dir: string;
  let admin: string;
  let alice: string;
  const logPath = (): string => join(dir, 'audit', 'audit.log');
  const events = (): AuditEvent[] => readFileSync(logPath(), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent);
  const cache = () => ['--cache-dir', join(dir, 'cache')];
  const run = (args: string[], input?: string) => kubectl(admin, [...cache(), ...args], { input });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-audit-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    const auditor = auditorFromFlags({ auditPolicyFile: join(dir, 'policy.yaml'), auditLogPath: logPath(), auditLogMaxsize: 100 });
    server = await startTestApiServer('audit', { auditor, registry: { authorizationModes: ['Node', 'RBAC'], authorizeAnonymous: true } });
    admin = join(dir, 'kubeconfig');
    writeKubeconfig(admin, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem });
    const cert = await server.pki.issueCertificate({ commonName: 'alice', organizations: ['dev-team'], usages: 'client' });
    alice = join(dir, 'kubeconfig-alice');
    writeKubeconfig(alice, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem });
    assert.deepEqual((await reconcileBootstrapPolicy(server.adminClient())).errors, []);
    for (const ns of ['default', 'audited']) await kubectlRaw(admin, [...cache(), 'create', 'namespace', ns]);
  });
  after(async () => { await server?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('a Secret is audited at Metadata level: both stages, one auditID, no data anywhere in the log', async () => {
    await run(['create', 'secret', 'generic', 'db', '--from-literal=password=hunter2-swordfish']);
    const create = await eventually('the secret create audited', async () => {
      const es = events().filter((e) => e.objectRef?.resource === 'secrets' && e.verb === 'create');
      return es.some((e) => e.stage === 'ResponseComplete') ? es : undefined;
    });
    assert.deepEqual(create.map((e) => e.stage), ['RequestReceived', 'ResponseComplete']);
    assert.equal(new Set(create.map((e) => e.auditID)).size, 1);
    const done = create[1];
    assert.equal(done.level, 'Metadata');
    assert.equal(done.apiVersion, 'audit.k8s.io/v1');
    assert.equal(done.kind, 'Event');
    assert.deepEqual(done.objectRef, { resource: 'secrets', namespace: 'default', apiVersion: 'v1' });
    assert.equal(done.responseStatus?.code, 201);
    assert.equal(done.user.username, 'kubernetes-admin');
    assert.ok(done.user.groups.includes('system:masters'));
    assert.match(done.userAgent ?? '', /^kubectl/);
    assert.ok(done.sourceIPs?.includes('127.0.0.1'));
    assert.equal(done.requestObject, undefined);
    assert.equal(done.responseObject, undefined);
    assert.match(done.requestReceivedTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.ok(done.stageTimestamp >= done.requestReceivedTimestamp);
    assert.equal(done.annotations?.['authorization.k8s.io/decision'], 'allow');
    await run(['get', 'secret', 'db', '-o', 'yaml']);
    const text = readFileSync(logPath(), 'utf8');
    assert.doesNotMatch(text, /hunter2-swordfish/);
    assert.doesNotMatch(text, new RegExp(Buffer.from('hunter2-swordfish').toString('base64')));
  });

  it('RequestResponse keeps both bodies and omits RequestReceived; Request keeps the request body only', async () => {
    await run(['-n', 'audited', 'run', 'web', '--image=busybox', '--restart=Never']);
    const pod = await eventually('the pod create audited', async () => events().find((e) => e.objectRef?.resource === 'pods' && e.verb === 'create' && e.objectRef.namespace === 'audited'));
    assert.equal(pod.level, 'RequestResponse');
    assert.equal(pod.stage, 'ResponseComplete');
    assert.ok(!events().some((e) => e.auditID === pod.auditID && e.stage === 'RequestReceived'), 'RequestReceived omitted by the rule');
    assert.equal((pod.requestObject as { metadata: { name: string } }).metadata.name, 'web');
    assert.equal((pod.responseObject as { metadata: { namespace: string } }).metadata.namespace, 'audited');
    assert.equal(pod.objectRef?.name, 'web');
    await run(['create', 'serviceaccount', 'builder']);
    const sa = await eventually('the serviceaccount create audited', async () => events().find((e) => e.objectRef?.resource === 'serviceaccounts' && e.verb === 'create' && e.stage === 'ResponseComplete'));
    assert.equal(sa.level, 'Request');
    assert.equal((sa.requestObject as { metadata: { name: string } }).metadata.name, 'builder');
    assert.equal(sa.responseObject, undefined);
  });

  it('non-resource URLs at level None leave nothing; a refusal, an impersonation and a watch are audited', async () => {
    const before = events().length;
    await run(['get', '--raw', '/version']);
    const refused = await kubectlRaw(alice, [...cache(), 'get', 'pods', '-n', 'audited']);
    assert.notEqual(refused.code, 0);
    await run(['--as=bob', '--as-group=dev-team', 'get', 'configmaps']).catch(() => undefined);
    await kubectlRaw(admin, [...cache(), 'get', 'pods', '-n', 'default', '--watch', '--request-timeout=2s']);
    const later = await eventually('the watch completed', async () => {
      const es = events().slice(before);
      return es.some((e) => e.verb === 'watch' && e.stage === 'ResponseComplete') ? es : undefined;
    });
    assert.ok(!later.some((e) => e.requestURI.startsWith('/version')), '/version is at level None');
    const forbidden = later.find((e) => e.user.username === 'alice' && e.stage === 'ResponseComplete');
    assert.equal(forbidden?.responseStatus?.code, 403);
    assert.equal(forbidden?.responseStatus?.reason, 'Forbidden');
    assert.equal(forbidden?.annotations?.['authorization.k8s.io/decision'], 'forbid');
    const impersonated = later.find((e) => e.impersonatedUser?.username === 'bob');
    assert.equal(impersonated?.user.username, 'kubernetes-admin');
    assert.deepEqual(impersonated?.impersonatedUser?.groups, ['dev-team', 'system:authenticated']);
    const watch = later.filter((e) => e.verb === 'watch');
    assert.deepEqual(watch.map((e) => e.stage), ['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    assert.equal(watch[1].responseStatus?.code, 200);
  });

  it('every response carries the request\'s Audit-Id', async () => {
    const r = await kubectlRaw(admin, [...cache(), 'get', 'namespaces', '-v=8']);
    const id = /Audit-Id: ([0-9a-f-]{36})/i.exec(r.stderr)?.[1];
    assert.ok(id, 'Audit-Id response header');
    assert.ok(events().some((e) => e.auditID === id && e.objectRef?.resource === 'namespaces'));
  });
});
