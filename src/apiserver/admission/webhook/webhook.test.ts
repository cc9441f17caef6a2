import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceInfo } from '../../../api/resource-definition.js';
import { StatusError } from '../../../machinery/errors.js';
import { startWebhookServer, type TestWebhookServer } from '../../../../test/support/webhook-server.js';
import type { AdmissionAttributes } from '../interface.js';
import { mutatingAdmissionWebhook } from './mutating.js';
import { validatingAdmissionWebhook } from './validating.js';
import type { WebhookPluginDeps } from './relevant-webhooks.js';
import type { Webhook } from './types.js';
import { webhookTarget } from './client.js';

const deployments: ResourceInfo = { group: 'apps', version: 'v1', kind: 'Deployment', listKind: 'DeploymentList', plural: 'deployments', singular: 'deployment', namespaced: true, verbs: [] };
const attrs = (over: Partial<AdmissionAttributes> = {}): AdmissionAttributes => ({
  operation: 'CREATE', resource: deployments, subresource: '', namespace: 'ns', name: 'd',
  object: { metadata: { name: 'd', namespace: 'ns' }, spec: { replicas: 1 } } as never, user: { username: 'alice', groups: ['g'] }, dryRun: false, warnings: [], ...over,
});

async function refusal(p: Promise<unknown>): Promise<StatusError> {
  try { await p; } catch (err) { assert.ok(err instanceof StatusError, String(err)); return err; }
  assert.fail('expected a refusal');
}

describe('admission webhooks', () => {
  let server: TestWebhookServer;
  let deadPort: string;
  before(async () => {
    server = await startWebhookServer({
      '/deny': () => ({ allowed: false, status: { message: 'no deployments today' }, warnings: ['careful'] }),
      '/deny-bare': () => ({ allowed: false, status: { code: 403, reason: 'Forbidden' } }),
      '/allow': () => ({ allowed: true, warnings: ['looked at it'], auditAnnotations: { seen: 'yes' } }),
      '/slow': () => new Promise((resolve) => setTimeout(() => resolve({ allowed: true }), 1500)),
      '/label': (r) => ({ allowed: true, patch: [{ op: 'add', path: r.object.metadata.labels ? '/metadata/labels/mutated' : '/metadata/labels', value: r.object.metadata.labels ? 'yes' : { mutated: 'yes' } }] }),
      '/replicas': (r) => ({ allowed: true, patch: r.object.metadata.labels?.mutated && r.object.spec.replicas !== 3 ? [{ op: 'replace', path: '/spec/replicas', value: 3 }] : undefined }),
    });
    const dead = await startWebhookServer({});
    deadPort = new URL(dead.url('/')).port;
    await dead.close();
  });
  after(async () => { await server?.close(); });

  const hook = (name: string, path: string, over: Partial<Webhook> = {}): Webhook => ({
    name, clientConfig: { url: server.url(path), caBundle: server.caBundle }, sideEffects: 'None', admissionReviewVersions: ['v1'], failurePolicy: 'Fail',
    rules: [{ operations: ['CREATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }], ...over,
  });
  const deps = (hooks: Webhook[]): WebhookPluginDeps => ({
    source: { webhooks: async () => hooks.map((webhook) => ({ configuration: 'c', webhook })) },
    namespace: async () => undefined, resolveService: async () => undefined,
  });

  it('a validating webhook refuses with its message and the default code 400', async () => {
    const a = attrs();
    const err = await refusal(validatingAdmissionWebhook(deps([hook('deny.example.com', '/deny')])).validate!(a) as Promise<void>);
    assert.equal(err.code, 400);
    assert.equal(err.status.message, 'admission webhook "deny.example.com" denied the request: no deployments today');
    assert.deepEqual(a.warnings, ['careful']);
    const request = server.requests.at(-1)!.request;
    assert.deepEqual(request.kind, { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.deepEqual(request.resource, { group: 'apps', version: 'v1', resource: 'deployments' });
    assert.equal(request.operation, 'CREATE');
    assert.equal(request.userInfo.username, 'alice');
    assert.equal(request.object.kind, 'Deployment');
    assert.equal(request.options.kind, 'CreateOptions');
  });

  it('the status code and reason of a refusal are kept', async () => {
    const err = await refusal(validatingAdmissionWebhook(deps([hook('bare.example.com', '/deny-bare')])).validate!(attrs()) as Promise<void>);
    assert.equal(err.code, 403);
    assert.equal(err.status.message, 'admission webhook "bare.example.com" denied the request: Forbidden');
  });

  it('a webhook whose rules do not match is not called', async () => {
    const n = server.requests.length;
    await validatingAdmissionWebhook(deps([hook('deny.example.com', '/deny')])).validate!(attrs({ operation: 'UPDATE' }));
    assert.equal(server.requests.length, n);
  });

  it('a webhook that cannot be reached: Ignore admits, Fail is a 500', async () => {
    const url = `https://127.0.0.1:${deadPort}/x`;
    await validatingAdmissionWebhook(deps([hook('down.example.com', '/x', { clientConfig: { url }, failurePolicy: 'Ignore' })])).validate!(attrs());
    const err = await refusal(validatingAdmissionWebhook(deps([hook('down.example.com', '/x', { clientConfig: { url } })])).validate!(attrs()) as Promise<void>);
    assert.equal(err.code, 500);
    assert.equal(err.status.reason, 'InternalError');
    assert.equal(err.status.message, `Internal error occurred: failed calling webhook "down.example.com": failed to call webhook: Post "${url}?timeout=10s": dial tcp 127.0.0.1:${deadPort}: connect: connection refused`);
  });

  it('a server certificate not signed by caBundle fails the call', async () => {
    const err = await refusal(validatingAdmissionWebhook(deps([hook('tls.example.com', '/allow', { clientConfig: { url: server.url('/allow') } })])).validate!(attrs()) as Promise<void>);
    assert.match(err.status.message!, /tls: failed to verify certificate: x509: certificate signed by unknown authority$/);
  });

  it('a dry run reaching a webhook with side effects is refused', async () => {
    const err = await refusal(validatingAdmissionWebhook(deps([hook('se.example.com', '/allow', { sideEffects: 'Some' })])).validate!(attrs({ dryRun: true })) as Promise<void>);
    assert.equal(err.code, 400);
    assert.equal(err.status.message, 'admission webhook "se.example.com" does not support dry run');
    await validatingAdmissionWebhook(deps([hook('se.example.com', '/allow', { sideEffects: 'NoneOnDryRun' })])).validate!(attrs({ dryRun: true }));
  });

  it('matchConditions select the webhook', async () => {
    const n = server.requests.length;
    await validatingAdmissionWebhook(deps([hook('deny.example.com', '/deny', { matchConditions: [{ name: 'big', expression: 'object.spec.replicas > 3' }] })])).validate!(attrs());
    assert.equal(server.requests.length, n);
    const err = await refusal(validatingAdmissionWebhook(deps([hook('mc.example.com', '/deny', { matchConditions: [{ name: 'bad', expression: 'object.spec.nope' }] })])).validate!(attrs()) as Promise<void>);
    assert.equal(err.code, 500);
  });

  it('a mutating webhook patches the object; IfNeeded webhooks run again after later changes', async () => {
    const a = attrs();
    await mutatingAdmissionWebhook(deps([hook('replicas.example.com', '/replicas', { reinvocationPolicy: 'IfNeeded' }), hook('label.example.com', '/label')])).admit!(a);
    assert.deepEqual(a.object!.metadata.labels, { mutated: 'yes' });
    assert.equal((a.object as never as { spec: { replicas: number } }).spec.replicas, 3);
  });

  it('timeoutSeconds bounds the call', async () => {
    const err = await refusal(validatingAdmissionWebhook(deps([hook('slow.example.com', '/slow', { timeoutSeconds: 1 })])).validate!(attrs()) as Promise<void>);
    assert.equal(err.status.message, `Internal error occurred: failed calling webhook "slow.example.com": failed to call webhook: Post "${server.url('/slow')}?timeout=1s": context deadline exceeded`);
  });

  it('a caBundle that is no PEM fails the call (Ignore admits)', async () => {
    const bad = { url: server.url('/allow'), caBundle: Buffer.from('not a pem').toString('base64') };
    await validatingAdmissionWebhook(deps([hook('badca.example.com', '/allow', { clientConfig: bad, failurePolicy: 'Ignore' })])).validate!(attrs());
    const err = await refusal(validatingAdmissionWebhook(deps([hook('badca.example.com', '/allow', { clientConfig: bad })])).validate!(attrs()) as Promise<void>);
    assert.equal(err.code, 500);
  });

  it('a service reference resolves to the clusterIP with the service name for TLS', async () => {
    const t = await webhookTarget('w', { service: { namespace: 'sys', name: 'hook', path: '/v', port: 8443 } }, 10, async (ns, name) => (ns === 'sys' && name === 'hook' ? '10.96.0.20' : undefined));
    assert.equal(t.url.toString(), 'https://10.96.0.20:8443/v?timeout=10s');
    assert.equal(t.servername, 'hook.sys.svc');
    await assert.rejects(webhookTarget('w', { service: { namespace: 'sys', name: 'gone' } }, 10, async () => undefined), /failed calling webhook "w": failed to call webhook: service "gone" not found/);
  });

  it('calls are noted on the audit event: mutations and the webhook\'s own annotations', async () => {
    const notes: Record<string, string> = {};
    const a = attrs({ auditAnnotate: (k, v) => { notes[k] = v; } });
    await mutatingAdmissionWebhook(deps([hook('label.example.com', '/label'), hook('allow.example.com', '/allow')])).admit!(a);
    assert.deepEqual(JSON.parse(notes['mutation.webhook.admission.k8s.io/round_0_index_0']), { configuration: 'c', webhook: 'label.example.com', mutated: true });
    assert.deepEqual(JSON.parse(notes['mutation.webhook.admission.k8s.io/round_0_index_1']), { configuration: 'c', webhook: 'allow.example.com', mutated: false });
    assert.equal(notes['allow.example.com/seen'], 'yes');
  });
});
