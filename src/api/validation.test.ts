import { it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldErrors } from '../machinery/field-errors.js';
import { builtinResourceTable } from './builtin-resources.js';

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
