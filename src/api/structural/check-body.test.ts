import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBody } from './check-body.js';
import { structuralType } from './structural-type.js';

const V1 = 'k8s.io.api.core.v1.';
const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { a: 'b' } },
  spec: {
    replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{
          name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
          env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'C', valueFrom: { configMapKeyRef: { name: 'c', key: 'k', optional: true } } }],
          envFrom: [{ configMapRef: { name: 'c' } }],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.25, memory: '64Mi' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
          readinessProbe: { tcpSocket: { port: 80 } }, startupProbe: { exec: { command: ['true'] } },
          volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
          securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
        }],
        volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }, { name: 'cfg', configMap: { name: 'c', defaultMode: 420, items: [{ key: 'a', path: 'a' }] } },
          { name: 'sec', secret: { secretName: 's' } }, { name: 'pvc', persistentVolumeClaim: { claimName: 'p' } }],
        terminationGracePeriodSeconds: 30, nodeSelector: { 'kubernetes.io/os': 'linux' },
      },
    },
  },
  status: {},
};
const valid: Array<[string, unknown]> = [
  ['k8s.io.api.apps.v1.Deployment', deployment],
  [`${V1}Service`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'web' }, type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 'http' }, { port: 443, targetPort: 8443, protocol: 'TCP' }] } }],
  [`${V1}Secret`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { password: 'cGFzc3dvcmQ=' }, stringData: { user: 'admin' } }],
  [`${V1}ConfigMap`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a.conf': 'x=1' }, binaryData: { b: 'AAEC' }, immutable: false }],
  [`${V1}Pod`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', creationTimestamp: null }, spec: {
    containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }], restartPolicy: 'Always',
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'p' } }, topologyKey: 'kubernetes.io/hostname' } }] } },
    tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }, { key: 'x', operator: 'Equal', value: 'y', tolerationSeconds: 60 }] } }],
  ['k8s.io.api.batch.v1.CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid',
    jobTemplate: { metadata: { labels: { a: 'b' } }, spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } }],
  ['k8s.io.api.networking.v1.Ingress', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { ingressClassName: 'nginx', tls: [{ hosts: ['a.example'], secretName: 't' }],
    rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } }],
  ['k8s.io.api.rbac.v1.Role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }],
  ['k8s.io.api.storage.v1.StorageClass', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'sc' }, provisioner: 'x', parameters: { type: 'gp3' }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true }],
  ['k8s.io.api.scheduling.v1.PriorityClass', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'pc' }, value: 1000000, globalDefault: false, description: 'high', preemptionPolicy: 'Never' }],
  ['k8s.io.api.networking.v1.NetworkPolicy', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' }, spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'],
    ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 80 }, { port: 'http', endPort: 90 }] }] } }],
  ['k8s.io.api.apps.v1.DeploymentList', { apiVersion: 'apps/v1', kind: 'DeploymentList', metadata: { resourceVersion: '1' }, items: [deployment] }],
];

test('real manifests give no errors and no unknown fields', () => {
  for (const [msg, body] of valid) {
    const r = checkBody(msg, JSON.stringify(body));
    assert.deepEqual({ msg, syntax: r.syntaxError, type: r.typeError, strict: r.strictErrors }, { msg, syntax: undefined, type: undefined, strict: [] });
    assert.deepEqual(r.value, body);
  }
});

const D = 'k8s.io.api.apps.v1.Deployment';
const withSpec = (spec: string): string => `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":${spec}}`;
const typeError = (msg: string, body: string): string | undefined => checkBody(msg, body).typeError;

test('type errors are worded like Go encoding/json', () => {
  const at = 'Go struct field DeploymentSpec.spec.replicas of type int32';
  assert.equal(typeError(D, withSpec('{"replicas":"3"}')), `json: cannot unmarshal string into ${at}`);
  assert.equal(typeError(D, withSpec('{"replicas":1099511627776}')), `json: cannot unmarshal number 1099511627776 into ${at}`);
  assert.equal(typeError(D, withSpec('{"replicas":1.5}')), `json: cannot unmarshal number 1.5 into ${at}`);
  assert.equal(typeError(D, withSpec('{"replicas":true}')), `json: cannot unmarshal bool into ${at}`);
  assert.equal(typeError(D, withSpec('{"template":{"spec":{"containers":{}}}}')),
    'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container');
  assert.equal(typeError(D, withSpec('{"template":{"spec":{"containers":["x"]}}}')),
    'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type v1.Container');
  assert.equal(typeError(D, withSpec('{"template":{"spec":{"containers":[{"name":"c","image":5}]}}}')),
    'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string');
  assert.equal(typeError(D, '[]'), 'json: cannot unmarshal array into Go value of type v1.Deployment');
  assert.equal(typeError(D, '"x"'), 'json: cannot unmarshal string into Go value of type v1.Deployment');
  assert.equal(typeError(D, '{"kind":1}'), 'json: cannot unmarshal number into Go struct field Deployment.kind of type string');
  assert.equal(typeError(D, '{"metadata":{"labels":{"a":1}}}'), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
  assert.equal(typeError(D, '{"metadata":{"labels":[]}}'), 'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string');
  // inline VolumeSource: the field belongs to Volume.
  assert.equal(typeError(D, withSpec('{"template":{"spec":{"volumes":[{"name":"v","hostPath":"x"}]}}}')),
    'json: cannot unmarshal string into Go struct field Volume.spec.template.spec.volumes.hostPath of type v1.HostPathVolumeSource');
  assert.equal(checkBody(D, withSpec('{"template":{"spec":{"volumes":[{"name":"v","hostPath":"x"}]}}}'), { embeddedFieldNames: true }).typeError,
    'json: cannot unmarshal string into Go struct field Volume.spec.template.spec.volumes.VolumeSource.hostPath of type v1.HostPathVolumeSource');
});

test('the first type error wins; custom unmarshalers abort', () => {
  assert.equal(typeError(D, withSpec('{"replicas":"1","minReadySeconds":"2"}')), 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  const svc = (tp: string): string => `{"spec":{"ports":[{"port":80,"targetPort":${tp}}]}}`;
  assert.equal(typeError(`${V1}Service`, svc('true')), 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32');
  assert.equal(typeError(`${V1}Service`, svc('1.5')), 'json: cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.targetPort of type int32');
  assert.equal(typeError(`${V1}Service`, svc('null')), undefined);
  const res = (q: string): string => `{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":${q}}}}]}}`;
  assert.match(typeError(`${V1}Pod`, res('"1x"')) ?? '', /^quantities must match the regular expression/);
  assert.equal(typeError(`${V1}Pod`, res('"1Qi"')), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  assert.equal(typeError(`${V1}Pod`, res('"1kk"')), "unable to parse quantity's suffix");
  assert.equal(typeError(`${V1}Pod`, res('"1Ki"')), undefined);
  assert.equal(typeError(`${V1}Pod`, res('2')), undefined);
  assert.equal(typeError(`${V1}Pod`, '{"metadata":{"creationTimestamp":5}}'),
    'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string');
  assert.equal(typeError(`${V1}Secret`, '{"data":{"a":"abc"}}'), 'illegal base64 data at input byte 0');
  assert.equal(typeError(`${V1}Secret`, '{"data":{"a":"ab$d"}}'), 'illegal base64 data at input byte 2');
  assert.equal(typeError(`${V1}Secret`, '{"data":{"a":"YQ=="}}'), undefined);
});

test('unknown and duplicate fields carry the full path', () => {
  const r = checkBody(D, withSpec('{"foo":1,"replicas":2,"replicas":3,"template":{"metadata":{"labels":{"a":"1","a":"2"}},"spec":{"containers":[{"name":"c"},{"name":"d","bogus":{"x":1}}]}}}'));
  assert.equal(r.typeError, undefined);
  assert.deepEqual(r.unknownFields, ['spec.foo', 'spec.template.spec.containers[1].bogus']);
  assert.deepEqual(r.duplicateFields, ['spec.replicas', 'spec.template.metadata.labels.a']);
  assert.deepEqual(r.strictErrors, ['unknown field "spec.foo"', 'duplicate field "spec.replicas"', 'duplicate field "spec.template.metadata.labels.a"',
    'unknown field "spec.template.spec.containers[1].bogus"']);
  assert.deepEqual(checkBody(D, withSpec('{"template":{"apiVersion":"v1"}}')).unknownFields, ['spec.template.apiVersion']);
  assert.deepEqual(checkBody(D, '{"Kind":"Deployment"}').unknownFields, ['Kind']);
  // RawExtension content is not checked.
  assert.deepEqual(checkBody('k8s.io.api.apps.v1.ControllerRevision', '{"data":{"anything":{"x":1,"x":2}},"revision":1}').strictErrors, []);
  // Unknown fields are still collected after a (non-fatal) type error.
  const t = checkBody(D, withSpec('{"replicas":"x","bogus":1}'));
  assert.ok(t.typeError);
  assert.deepEqual(t.unknownFields, ['spec.bogus']);
});

test('syntax errors and nesting depth', () => {
  assert.equal(checkBody(D, '').syntaxError, 'unexpected end of JSON input');
  assert.equal(checkBody(D, '{"a":').syntaxError, 'unexpected end of JSON input');
  assert.equal(checkBody(D, '{"a" 1}').syntaxError, "invalid character '1' after object key");
  assert.equal(checkBody(D, '{"a":1 "b":2}').syntaxError, "invalid character '\"' after object key:value pair");
  assert.equal(checkBody(D, '{} x').syntaxError, "invalid character 'x' after top-level value");
  assert.equal(checkBody(D, 'nul').syntaxError, 'unexpected end of JSON input');
  assert.equal(checkBody(D, 'nulx').syntaxError, "invalid character 'x' in literal null (expecting 'l')");
  assert.equal(checkBody(D, Buffer.from([0xff])).syntaxError, "invalid character 'ÿ' looking for beginning of value");
  assert.equal(checkBody(D, Buffer.from([0x22, 0xff, 0x22])).typeError, 'json: cannot unmarshal string into Go value of type v1.Deployment');
  const deep = (n: number): string => `{"metadata":{"annotations":{"a":"b"}},"spec":{"template":{"metadata":{}}},"x":${'['.repeat(n)}${']'.repeat(n)}}`;
  assert.equal(checkBody(D, deep(9999)).syntaxError, undefined);
  assert.equal(checkBody(D, deep(10000)).syntaxError, 'exceeded max depth');
  assert.equal(checkBody(D, '[[[1]]]', { maxDepth: 2 }).syntaxError, 'exceeded max depth');
  assert.equal(checkBody(D, '{"__proto__":{"polluted":1}}').unknownFields[0], '__proto__');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('random and garbage bodies never throw', () => {
  let seed = 42;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const pieces = ['{', '}', '[', ']', ',', ':', '"spec"', '"replicas"', '"containers"', '1', '-0.5e3', 'true', 'null', '"x"', ' ', '\\', '"\\u12', '\u00ff'];
  const msgs = [D, `${V1}Pod`, `${V1}Service`, 'k8s.io.api.batch.v1.CronJob'];
  for (let k = 0; k < 3000; k++) {
    const body = k % 2 ? Buffer.from(Array.from({ length: rnd(40) }, () => rnd(256))) : Array.from({ length: rnd(30) }, () => pieces[rnd(pieces.length)]).join('');
    const r = checkBody(msgs[k % msgs.length], body);
    assert.ok(Array.isArray(r.unknownFields));
  }
  for (const [msg, body] of valid) {
    const text = JSON.stringify(body);
    for (let k = 0; k < 200; k++) {
      const at = rnd(text.length);
      checkBody(msg, text.slice(0, at) + pieces[rnd(pieces.length)] + text.slice(at + rnd(3)));
    }
  }
});

test('structural types', () => {
  const dep = structuralType(D);
  assert.equal(dep?.kind, 'object');
  if (dep?.kind !== 'object') return;
  assert.ok(dep.fields.has('apiVersion') && dep.fields.has('kind'));
  const volume = structuralType(`${V1}Volume`);
  assert.ok(volume?.kind === 'object' && volume.fields.has('hostPath') && !volume.fields.has('volumeSource'));
  const podTemplateSpec = structuralType(`${V1}PodTemplateSpec`);
  assert.ok(podTemplateSpec?.kind === 'object' && !podTemplateSpec.fields.has('kind'));
  const secret = structuralType(`${V1}Secret`);
  assert.equal(secret?.kind === 'object' ? secret.fields.get('data')?.type.goType : '', 'map[string][]uint8');
  const rr = structuralType(`${V1}ResourceRequirements`);
  assert.equal(rr?.kind === 'object' ? rr.fields.get('limits')?.type.goType : '', 'map[string]resource.Quantity');
  assert.equal(structuralType('k8s.io.api.authentication.v1.UserInfo')?.kind === 'object' ? 'ok' : '', 'ok');
  assert.equal(structuralType('no.such.Message'), undefined);
});
