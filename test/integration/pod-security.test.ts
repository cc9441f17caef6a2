/**
 * PodSecurity admission against an in-process apiserver with the real kubectl 1.32:
 * an enforce=restricted namespace refuses a privileged pod with upstream's message, a
 * warn=baseline namespace admits a hostNetwork pod and kubectl prints the warning, a
 * Deployment's privileged template is warned about but admitted, invalid labels are
 * refused, and tightening a namespace's enforce label warns about its existing pods.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { kubectl, kubectlRaw } from '../support/kubectl.js';

const podYaml = (name: string, ns: string, extra: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec:
${extra}
`;

describe('PodSecurity admission', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let admin: string;
  const raw = (args: string[], input?: string) => kubectlRaw(admin, ['--cache-dir', join(server.dir, 'cache'), ...args], { input });
  const run = (args: string[], input?: string) => kubectl(admin, ['--cache-dir', join(server.dir, 'cache'), ...args], { input });

  before(async () => {
    server = await startTestApiServer('pod-security');
    admin = join(server.dir, 'kubeconfig');
    writeKubeconfig(admin, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem });
    for (const ns of ['strict', 'loud', 'open']) await run(['create', 'namespace', ns]);
    await run(['label', 'namespace', 'strict', 'pod-security.kubernetes.io/enforce=restricted']);
    await run(['label', 'namespace', 'loud', 'pod-security.kubernetes.io/warn=baseline']);
  });
  after(async () => { await server?.close(); });

  it('enforce=restricted refuses a privileged pod with upstream\'s message', async () => {
    const r = await raw(['apply', '-f', '-'], podYaml('priv', 'strict', '  containers: [{name: c, image: busybox, securityContext: {privileged: true}}]'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(Forbidden\): error when creating "STDIN": pods "priv" is forbidden: violates PodSecurity "restricted:latest": privileged \(container "c" must not set securityContext\.privileged=true\), allowPrivilegeEscalation != false \(container "c" must set securityContext\.allowPrivilegeEscalation=false\), unrestricted capabilities \(container "c" must set securityContext\.capabilities\.drop=\["ALL"\]\), runAsNonRoot != true \(pod or container "c" must set securityContext\.runAsNonRoot=true\), seccompProfile \(pod or container "c" must set securityContext\.seccompProfile\.type to "RuntimeDefault" or "Localhost"\)/);
    const hardened = await raw(['apply', '-f', '-'], podYaml('ok', 'strict', '  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers: [{name: c, image: busybox, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]'));
    assert.equal(hardened.code, 0, hardened.stderr);
    assert.equal(hardened.stderr, '');
  });

  it('warn=baseline admits a hostNetwork pod and kubectl prints the warning', async () => {
    const r = await raw(['apply', '-f', '-'], podYaml('hostnet', 'loud', '  hostNetwork: true\n  containers: [{name: c, image: busybox}]'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: would violate PodSecurity "baseline:latest": host namespaces \(hostNetwork=true\)/);
    assert.match(await run(['get', 'pod', 'hostnet', '-n', 'loud', '-o', 'name']), /pod\/hostnet/);
  });

  it('a Deployment with a privileged template in an enforce=restricted namespace is admitted with a warning', async () => {
    const r = await raw(['apply', '-f', '-'], `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: strict}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, securityContext: {privileged: true}}]
`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: would violate PodSecurity "restricted:latest": privileged \(container "web" must not set securityContext\.privileged=true\)/);
    assert.match(await run(['get', 'deployment', 'web', '-n', 'strict', '-o', 'name']), /deployment\.apps\/web/);
  });

  it('invalid labels are refused; tightening enforce warns about existing pods', async () => {
    const bad = await raw(['label', 'namespace', 'open', 'pod-security.kubernetes.io/enforce=strict']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Namespace "open" is invalid: metadata\.labels\[pod-security\.kubernetes\.io\/enforce\]: Invalid value: "strict": must be one of privileged, baseline, restricted/);
    const r = await raw(['label', 'namespace', 'loud', 'pod-security.kubernetes.io/enforce=baseline']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: existing pods in namespace "loud" violate the new PodSecurity enforce level "baseline:latest"/);
    assert.match(r.stderr, /Warning: hostnet: host namespaces/);
  });
});
