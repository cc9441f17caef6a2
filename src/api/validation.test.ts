import { it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldErrors } from '../machinery/field-errors.js';
import { builtinResourceTable } from './builtin-resources.js';
import { generateJobSelector } from './batch/v1/job.js';

const findKind = (group: string, resource: string) => builtinResourceTable().byResource(group, resource);

const pods = findKind('', 'pods')!;
const deployments = findKind('apps', 'deployments')!;

it('pod defaults as upstream', () => {
  const p = { metadata: { name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }, { name: 'd', image: 'busybox:1.35' }] } };
  pods.applyDefaults(p);
  const s = p.spec as Record<string, unknown> & { containers: Array<Record<string, unknown> & { ports?: Array<Record<string, unknown>> }> };
  assert.equal(s.restartPolicy, 'Always');
  assert.equal(s.dnsPolicy, 'ClusterFirst');
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.equal(s.schedulerName, 'default-scheduler');
  assert.equal(s.containers[0].imagePullPolicy, 'Always');
  assert.equal(s.containers[1].imagePullPolicy, 'IfNotPresent');
  assert.equal(s.containers[0].ports![0].protocol, 'TCP');
  assert.equal(s.containers[0].terminationMessagePath, '/dev/termination-log');
});

it('pod validation messages and field paths as upstream', () => {
  const msg = (o: unknown) => formatFieldErrors(pods.validate(o as never));
  assert.equal(msg({ metadata: { name: 'p', namespace: 'd' }, spec: { containers: [] } }), 'spec.containers: Required value');
  assert.match(msg({ metadata: { name: 'Bad_Name', namespace: 'd' }, spec: { containers: [{ name: 'c', image: 'i' }] } }), /^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  assert.match(msg({ metadata: { name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'c' }, { name: 'c', image: 'i' }] } }), /spec\.containers\[0\]\.image: Required value, spec\.containers\[1\]\.name: Duplicate value: "c"/);
  assert.match(msg({ metadata: { name: 'p', namespace: 'd' }, spec: { restartPolicy: 'Sometimes', containers: [{ name: 'c', image: 'i' }] } }), /spec\.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"/);
  assert.match(msg({ metadata: { name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 70000 }] }] } }), /spec\.containers\[0\]\.ports\[0\]\.containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive/);
});

it('pod spec is immutable on update except images', () => {
  const base = { metadata: { name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'c', image: 'a' }] } };
  const img = structuredClone(base); img.spec.containers[0].image = 'b';
  assert.deepEqual(pods.validateUpdate!(img as never, base as never), []);
  const cmd = structuredClone(base) as typeof base & { spec: { containers: Array<{ command?: string[] }> } }; cmd.spec.containers[0].command = ['x'];
  assert.match(formatFieldErrors(pods.validateUpdate!(cmd as never, base as never)), /^spec: Forbidden: pod updates may not change fields other than/);
});

it('deployment selector must match template labels; defaults', () => {
  const d = { metadata: { name: 'd', namespace: 'n' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
  deployments.applyDefaults(d);
  const spec = d.spec as Record<string, unknown>;
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.match(formatFieldErrors(deployments.validate(d)), /spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
});

const errorsOf = (group: string, resource: string, obj: Record<string, unknown>, old?: Record<string, unknown>): string => {
  const def = findKind(group, resource)!;
  const o = { metadata: { name: 'x', namespace: 'd' }, ...obj } as never;
  const errs = old ? def.validateUpdate!(o, { metadata: { name: 'x', namespace: 'd' }, ...old } as never) : def.validate(o);
  return errs.length ? formatFieldErrors(errs) : '';
};

it('immutable ConfigMaps and Secrets stay immutable; data is limited to 1 MiB', () => {
  assert.equal(errorsOf('', 'configmaps', { immutable: false, data: { a: '1' } }, { immutable: true, data: { a: '1' } }), 'immutable: Forbidden: field is immutable when `immutable` is set');
  assert.equal(errorsOf('', 'configmaps', { immutable: true, data: { a: '2' } }, { immutable: true, data: { a: '1' } }), 'data: Forbidden: field is immutable when `immutable` is set');
  assert.equal(errorsOf('', 'configmaps', { immutable: true, data: { a: '1' } }, { data: { a: '1' } }), '');
  assert.equal(errorsOf('', 'secrets', { immutable: true, data: { a: 'Mg==' } }, { immutable: true, data: { a: 'MQ==' } }), 'data: Forbidden: field is immutable when `immutable` is set');
  assert.equal(errorsOf('', 'configmaps', { data: { a: 'x'.repeat(1024 * 1024) } }), '[]: Too long: must have at most 1048576 bytes');
  assert.equal(errorsOf('', 'secrets', { data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } }), 'data: Too long: must have at most 1048576 bytes');
});

it('no finalizer may be added once deletion started; uid is immutable', () => {
  const deleting = { metadata: { name: 'x', namespace: 'd', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['a'] } };
  assert.equal(errorsOf('', 'configmaps', { metadata: { ...deleting.metadata, finalizers: ['a', 'b'] } }, deleting),
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b"}');
  assert.equal(errorsOf('', 'configmaps', { metadata: { name: 'x', namespace: 'd', uid: 'u2' } }, { metadata: { name: 'x', namespace: 'd', uid: 'u1' } }), 'metadata.uid: Invalid value: "u2": field is immutable');
});

it('Service names are DNS-1035 labels; nodePort only for NodePort and LoadBalancer, in range', () => {
  assert.match(errorsOf('', 'services', { metadata: { name: '1web', namespace: 'd' }, spec: { ports: [{ port: 80 }] } }), /^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist/);
  assert.equal(errorsOf('', 'services', { spec: { type: 'ClusterIP', ports: [{ port: 80, nodePort: 30080 }] } }), "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
  assert.equal(errorsOf('', 'services', { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] } }), 'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
  assert.equal(errorsOf('', 'services', { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } }), '');
});

it('new kinds validate as upstream: Job restart policy, RBAC roleRef, PriorityClass limits, StorageClass provisioner', () => {
  const tpl = (restartPolicy: string) => ({ spec: { template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'i' }] } } } });
  assert.equal(errorsOf('batch', 'jobs', tpl('Always')), 'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
  assert.equal(errorsOf('batch', 'jobs', tpl('Never')), 'spec.selector: Required value');
  // As the API prepares a created Job: labels and selector generated from its uid.
  const job = { metadata: { name: 'pi', namespace: 'd', uid: 'u-1' }, ...tpl('Never') } as never;
  generateJobSelector(job);
  assert.equal(errorsOf('batch', 'jobs', job), '');
  assert.deepEqual((job as any).spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  assert.deepEqual((job as any).spec.template.metadata.labels, { 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'batch.kubernetes.io/controller-uid': 'u-1' });
  const foreign = { metadata: { name: 'pi', namespace: 'd', uid: 'u-1' }, spec: { ...tpl('Never').spec, selector: { matchLabels: { app: 'x' } } } } as never;
  generateJobSelector(foreign);
  assert.match(errorsOf('batch', 'jobs', foreign), /^spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`$/);
  assert.equal(errorsOf('rbac.authorization.k8s.io', 'rolebindings', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'b' } }, { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a' } }),
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef');
  assert.equal(errorsOf('scheduling.k8s.io', 'priorityclasses', { metadata: { name: 'x' }, value: 2_000_000_000 }), 'value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
  assert.equal(errorsOf('storage.k8s.io', 'storageclasses', { metadata: { name: 'x' } }), 'provisioner: Required value');
});
