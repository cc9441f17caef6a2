import { it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResourceTable } from '../../../api/builtin-resources.js';
import type { KubeObject } from '../../../api/object.js';
import { StatusError } from '../../../machinery/errors.js';
import type { AdmissionAttributes } from '../interface.js';
import { podSecurityAdmission } from './plugin.js';

const table = builtinResourceTable();
const user = { username: 'u', groups: [] };
const ns = (name: string, labels: Record<string, string>): KubeObject => ({ metadata: { name, labels } });
const namespaces: Record<string, KubeObject> = {
  open: ns('open', {}),
  strict: ns('strict', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
  loud: ns('loud', { 'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/warn-version': 'v1.30' }),
  bogus: ns('bogus', { 'pod-security.kubernetes.io/enforce': 'strict' }),
  watched: ns('watched', { 'pod-security.kubernetes.io/audit': 'baseline' }),
};
const stored: KubeObject[] = [];
const plugin = podSecurityAdmission({ namespace: async (n) => namespaces[n], pods: async () => stored });
const attrs = (group: string, plural: string, a: Partial<AdmissionAttributes>): AdmissionAttributes =>
  ({ operation: 'CREATE', resource: table.byResource(group, plural)!.info, subresource: '', namespace: 'open', name: 'x', user, dryRun: false, warnings: [], ...a });
const privPod = (name = 'x'): KubeObject => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } });
const refusal = async (a: AdmissionAttributes): Promise<StatusError | undefined> => { try { await plugin.validate!(a); return undefined; } catch (e) { if (e instanceof StatusError) return e; throw e; } };

it('enforce refuses a pod with a 403 worded as upstream; unlabelled namespaces admit anything', async () => {
  assert.equal(await refusal(attrs('', 'pods', { object: privPod() })), undefined);
  const e = await refusal(attrs('', 'pods', { namespace: 'strict', object: privPod() }));
  assert.equal(e?.code, 403);
  assert.equal(e?.status.reason, 'Forbidden');
  assert.match(e!.message, /^pods "x" is forbidden: violates PodSecurity "restricted:latest": privileged \(container "c" must not set securityContext\.privileged=true\), allowPrivilegeEscalation != false \(container "c" must set securityContext\.allowPrivilegeEscalation=false\), unrestricted capabilities/);
  // An invalid enforce label is evaluated as restricted.
  assert.equal((await refusal(attrs('', 'pods', { namespace: 'bogus', object: privPod() })))?.code, 403);
});

it('warn pushes upstream\'s warning and admits; workloads are warned, never refused', async () => {
  const a = attrs('', 'pods', { namespace: 'loud', object: { metadata: { name: 'x' }, spec: { hostNetwork: true, containers: [{ name: 'c' }] } } });
  await plugin.validate!(a);
  assert.deepEqual(a.warnings, ['would violate PodSecurity "baseline:v1.30": host namespaces (hostNetwork=true)']);
  const d = attrs('apps', 'deployments', { namespace: 'strict', object: { metadata: { name: 'd' }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] } } } } });
  await plugin.validate!(d);
  assert.equal(d.warnings!.length, 1);
  assert.match(d.warnings![0], /^would violate PodSecurity "restricted:latest": privileged \(container "c"/);
  const cj = attrs('batch', 'cronjobs', { namespace: 'loud', object: { metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: { spec: { hostPID: true, containers: [{ name: 'c' }] } } } } } } });
  await plugin.validate!(cj);
  assert.deepEqual(cj.warnings, ['would violate PodSecurity "baseline:v1.30": host namespaces (hostPID=true)']);
});

it('pod updates: status is ignored, insignificant updates skipped, ephemeral containers checked', async () => {
  const old = privPod();
  assert.equal(await refusal(attrs('', 'pods', { namespace: 'strict', operation: 'UPDATE', subresource: 'status', object: privPod(), oldObject: old })), undefined);
  const relabelled = { ...privPod(), metadata: { name: 'x', labels: { a: 'b' } } };
  assert.equal(await refusal(attrs('', 'pods', { namespace: 'strict', operation: 'UPDATE', object: relabelled, oldObject: old })), undefined);
  const withEph = { ...privPod(), spec: { ...privPod().spec as object, ephemeralContainers: [{ name: 'debug', image: 'busybox' }] } };
  assert.equal((await refusal(attrs('', 'pods', { namespace: 'strict', operation: 'UPDATE', subresource: 'ephemeralcontainers', object: withEph, oldObject: old })))?.code, 403);
});

it('namespaces: invalid labels are a 422; tightening enforce warns about existing pods', async () => {
  const e = await refusal(attrs('', 'namespaces', { namespace: '', name: 'n', object: ns('n', { 'pod-security.kubernetes.io/enforce': 'strict' }) }));
  assert.equal(e?.code, 422);
  assert.equal(e?.message, 'Namespace "n" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted');
  stored.push(privPod('p2'), privPod('p1'), privPod('p3'), { metadata: { name: 'h' }, spec: { hostIPC: true, containers: [{ name: 'c' }] } }, { metadata: { name: 'ok' }, spec: { containers: [{ name: 'c' }] } });
  const u = attrs('', 'namespaces', { namespace: '', name: 'n', operation: 'UPDATE', object: ns('n', { 'pod-security.kubernetes.io/enforce': 'baseline' }), oldObject: ns('n', {}) });
  await plugin.validate!(u);
  assert.deepEqual(u.warnings, [
    'existing pods in namespace "n" violate the new PodSecurity enforce level "baseline:latest"',
    'h: host namespaces',
    'p1 (and 2 other pods): privileged',
  ]);
  const relaxed = attrs('', 'namespaces', { namespace: '', name: 'n', operation: 'UPDATE', object: ns('n', { 'pod-security.kubernetes.io/enforce': 'baseline' }), oldObject: ns('n', { 'pod-security.kubernetes.io/enforce': 'restricted' }) });
  await plugin.validate!(relaxed);
  assert.deepEqual(relaxed.warnings, []);
});

it('audit mode annotates the request\'s audit events (pods and templates) and admits; every evaluated pod names the enforce policy', async () => {
  const notes: Record<string, string> = {};
  const auditAnnotate = (k: string, v: string) => { notes[k] = v; };
  const a = attrs('', 'pods', { namespace: 'watched', object: privPod(), auditAnnotate });
  await plugin.validate!(a);
  assert.deepEqual(a.warnings, []);
  assert.deepEqual(notes, {
    'pod-security.kubernetes.io/enforce-policy': 'privileged:latest',
    'pod-security.kubernetes.io/audit-violations': 'would violate PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)',
  });
  const quiet: Record<string, string> = {};
  await plugin.validate!(attrs('apps', 'deployments', { namespace: 'watched', object: { metadata: { name: 'd' }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'c' }] } } } }, auditAnnotate: (k, v) => { quiet[k] = v; } }));
  assert.deepEqual(quiet, {}, 'a compliant template adds nothing');
  const d: Record<string, string> = {};
  await plugin.validate!(attrs('apps', 'deployments', { namespace: 'watched', object: { metadata: { name: 'd' }, spec: { template: { metadata: {}, spec: { hostIPC: true, containers: [{ name: 'c' }] } } } }, auditAnnotate: (k, v) => { d[k] = v; } }));
  assert.equal(d['pod-security.kubernetes.io/audit-violations'], 'would violate PodSecurity "baseline:latest": host namespaces (hostIPC=true)');
});
