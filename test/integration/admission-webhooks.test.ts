/**
 * Admission webhooks and ValidatingAdmissionPolicy against an in-process apiserver with
 * the real kubectl 1.32 and a small HTTPS webhook server (its own CA, given as caBundle):
 * a validating webhook refuses with its message, a mutating webhook adds a label, a
 * webhook that is down is ignored under failurePolicy Ignore and refuses under Fail, and
 * a policy `object.spec.replicas <= 5` bound by a binding refuses a Deployment of 6
 * replicas with upstream's message and admits 5.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { startWebhookServer, type TestWebhookServer } from '../support/webhook-server.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { kubectl, kubectlRaw } from '../support/kubectl.js';
import { parse } from 'yaml';
import { resources } from '../../src/client/interface.js';
import type { StatusError } from '../../src/machinery/errors.js';

const configMap = (name: string, labels: Record<string, string>) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: default, labels: ${JSON.stringify(labels)}}
data: {a: b}
`;

const webhookConfig = (kind: 'Validating' | 'Mutating', name: string, url: string, caBundle: string, selector: Record<string, string>, failurePolicy = 'Fail') => `apiVersion: admissionregistration.k8s.io/v1
kind: ${kind}WebhookConfiguration
metadata: {name: ${name}}
webhooks:
- name: ${name}
  clientConfig: {url: "${url}", caBundle: "${caBundle}"}
  rules: [{operations: [CREATE, UPDATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]
  objectSelector: {matchLabels: ${JSON.stringify(selector)}}
  failurePolicy: ${failurePolicy}
  sideEffects: None
  admissionReviewVersions: [v1]
  timeoutSeconds: 5
`;

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: busybox}]}
`;

describe('admission webhooks and ValidatingAdmissionPolicy', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let hooks: TestWebhookServer;
  let deadUrl: string;
  let admin: string;
  const raw = (args: string[], input?: string) => kubectlRaw(admin, ['--cache-dir', join(server.dir, 'cache'), ...args], { input });
  const run = (args: string[], input?: string) => kubectl(admin, ['--cache-dir', join(server.dir, 'cache'), ...args], { input });

  before(async () => {
    server = await startTestApiServer('admission-webhooks');
    admin = join(server.dir, 'kubeconfig');
    writeKubeconfig(admin, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem });
    hooks = await startWebhookServer({
      '/deny': () => ({ allowed: false, status: { message: 'configmaps labelled deny=yes are not welcome' } }),
      '/mutate': (r) => ({ allowed: true, patch: [{ op: 'add', path: '/metadata/labels/mutated-by', value: 'webhook' }], warnings: [`mutated ${r.name}`] }),
    });
    const dead = await startWebhookServer({});
    deadUrl = dead.url('/gone');
    await dead.close();
    await run(['create', 'namespace', 'default']).catch(() => undefined);
  });
  after(async () => { await hooks?.close(); await server?.close(); });

  it('a validating webhook refuses with its message', async () => {
    await run(['apply', '-f', '-'], webhookConfig('Validating', 'deny.k8ts.test', hooks.url('/deny'), hooks.caBundle, { deny: 'yes' }));
    const r = await raw(['apply', '-f', '-'], configMap('refused', { deny: 'yes' }));
    assert.notEqual(r.code, 0);
    // No reason in the webhook's status: kubectl prints none, as against upstream.
    assert.match(r.stderr, /Error from server: error when creating "STDIN": admission webhook "deny\.k8ts\.test" denied the request: configmaps labelled deny=yes are not welcome/);
    const ok = await raw(['apply', '-f', '-'], configMap('welcome', { deny: 'no' }));
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(hooks.requests.some((x) => x.path === '/deny' && x.request.name === 'refused' && x.request.operation === 'CREATE'));
  });

  it('a mutating webhook adds a label, and its warning reaches kubectl', async () => {
    await run(['apply', '-f', '-'], webhookConfig('Mutating', 'mutate.k8ts.test', hooks.url('/mutate'), hooks.caBundle, { mutate: 'yes' }));
    const r = await raw(['apply', '-f', '-'], configMap('mutated', { mutate: 'yes' }));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: mutated mutated/);
    assert.equal(await run(['get', 'configmap', 'mutated', '-o', 'jsonpath={.metadata.labels.mutated-by}']), 'webhook');
  });

  it('a webhook that is down: failurePolicy Ignore admits, Fail refuses', async () => {
    await run(['apply', '-f', '-'], webhookConfig('Validating', 'down-ignore.k8ts.test', deadUrl, hooks.caBundle, { down: 'ignore' }, 'Ignore'));
    await run(['apply', '-f', '-'], webhookConfig('Validating', 'down-fail.k8ts.test', deadUrl, hooks.caBundle, { down: 'fail' }, 'Fail'));
    const ignored = await raw(['apply', '-f', '-'], configMap('ignored', { down: 'ignore' }));
    assert.equal(ignored.code, 0, ignored.stderr);
    const failed = await raw(['apply', '-f', '-'], configMap('failed', { down: 'fail' }));
    assert.notEqual(failed.code, 0);
    const port = new URL(deadUrl).port;
    assert.match(failed.stderr, new RegExp(`Error from server \\(InternalError\\): error when creating "STDIN": Internal error occurred: failed calling webhook "down-fail\\.k8ts\\.test": failed to call webhook: Post "https://127\\.0\\.0\\.1:${port}/gone\\?timeout=5s": dial tcp 127\\.0\\.0\\.1:${port}: connect: connection refused`));
    // Deleting the configuration lifts the refusal at once.
    await run(['delete', 'validatingwebhookconfiguration', 'down-fail.k8ts.test']);
    const after = await raw(['apply', '-f', '-'], configMap('failed', { down: 'fail' }));
    assert.equal(after.code, 0, after.stderr);
  });

  it('a ValidatingAdmissionPolicy bound by a binding refuses 6 replicas with upstream\'s message and admits 5', async () => {
    await run(['apply', '-f', '-'], `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replica-limit.k8ts.test}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}]
  validations:
  - expression: object.spec.replicas <= 5
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replica-limit-binding.k8ts.test}
spec:
  policyName: replica-limit.k8ts.test
  validationActions: [Deny]
`);
    const r = await raw(['apply', '-f', '-'], deployment('six', 6));
    assert.notEqual(r.code, 0);
    // kubectl prints an Invalid Status from its causes, as it does against upstream.
    assert.match(r.stderr, /The deployments "six" is invalid: : ValidatingAdmissionPolicy 'replica-limit\.k8ts\.test' with binding 'replica-limit-binding\.k8ts\.test' denied request: failed expression: object\.spec\.replicas <= 5/);
    // The Status itself, as upstream's admission.NewForbidden with reason Invalid.
    const status = await server.adminClient().resource(resources.deployments).create(parse(deployment('six', 6))).then(() => undefined, (e: StatusError) => e.status);
    assert.equal(status?.code, 422);
    assert.equal(status?.reason, 'Invalid');
    assert.equal(status?.message, "deployments.apps \"six\" is forbidden: ValidatingAdmissionPolicy 'replica-limit.k8ts.test' with binding 'replica-limit-binding.k8ts.test' denied request: failed expression: object.spec.replicas <= 5");
    const ok = await raw(['apply', '-f', '-'], deployment('five', 5));
    assert.equal(ok.code, 0, ok.stderr);
    // An UPDATE is judged too (kubectl scale goes through deployments/scale, which the rule does not name, as upstream).
    const patched = await raw(['patch', 'deployment', 'five', '-p', '{"spec":{"replicas":6}}']);
    assert.notEqual(patched.code, 0);
    assert.match(patched.stderr, /denied request: failed expression: object\.spec\.replicas <= 5/);
  });
});
