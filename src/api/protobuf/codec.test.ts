import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor/index.js';
import { decodeProtobufObject as decodeWith } from './codec.js';
import { builtinResourceTable } from '../builtin-resources.js';

const table = builtinResourceTable();
const decodeProtobufObject = (body: Buffer) => decodeWith(body, (apiVersion, kind) => table.byKind(apiVersion, kind)?.protobufMessage);

const root = (protobuf.Root as unknown as { fromDescriptor(d: unknown): protobuf.Root }).fromDescriptor(createRequire(import.meta.url)('./descriptors.json'));

function envelope(apiVersion: string, kind: string, typeName: string, value: Record<string, unknown>): Buffer {
  const raw = root.lookupType(typeName).encode(root.lookupType(typeName).fromObject(value)).finish();
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const body = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(body)]);
}

it('decodes a protobuf Deployment as client-go sends it (maps, quantities, int-or-string, zero pointers)', () => {
  const body = envelope('apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment', {
    metadata: { name: 'web', generateName: '', labels: [{ key: 'app', value: 'web' }], creationTimestamp: {} },
    spec: {
      replicas: 0,
      selector: { matchLabels: [{ key: 'app', value: 'web' }] },
      strategy: { rollingUpdate: { maxSurge: { type: 1, strVal: '50%' }, maxUnavailable: { type: 0, intVal: 1 } } },
      template: { metadata: { labels: [{ key: 'app', value: 'web' }] }, spec: { restartPolicy: '', containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80, hostPort: 0 }], resources: { limits: [{ key: 'cpu', value: { string: '100m' } }] } }] } },
    },
  });
  const d = decodeProtobufObject(body) as Record<string, any>;
  assert.equal(d.apiVersion, 'apps/v1');
  assert.equal(d.kind, 'Deployment');
  assert.deepEqual(d.metadata, { name: 'web', labels: { app: 'web' } });
  assert.equal(d.spec.replicas, 0);
  assert.deepEqual(d.spec.strategy.rollingUpdate, { maxSurge: '50%', maxUnavailable: 1 });
  assert.deepEqual(d.spec.template.spec.containers[0], { name: 'c', image: 'busybox', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '100m' } } });
  assert.equal(d.spec.template.spec.restartPolicy, undefined);
});

it('decodes Secret bytes as base64 and rejects bodies without the magic number', () => {
  const s = decodeProtobufObject(envelope('v1', 'Secret', 'k8s.io.api.core.v1.Secret', { metadata: { name: 's' }, data: [{ key: 'p', value: Buffer.from('q') }] })) as Record<string, any>;
  assert.deepEqual(s.data, { p: Buffer.from('q').toString('base64') });
  assert.throws(() => decodeProtobufObject(Buffer.from('{"kind":"Secret"}')), /magic/);
  assert.throws(() => decodeProtobufObject(envelope('nope/v9', 'Thing', 'k8s.io.api.core.v1.Secret', {})), /no protobuf message known/);
});
