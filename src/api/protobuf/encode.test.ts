import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { decodeProtobufObject, getRoot } from './codec.js';
import { decodeWatchEventFrames, encodeMessage, encodeProtobufObject, encodeWatchEventFrame } from './encode.js';
import { jsonNameOf } from './json-names.js';
import { INLINE_FIELDS } from '../structural/structural-type.js';
import { builtinResourceTable } from '../builtin-resources.js';
import type { KubeObject } from '../object.js';

const table = builtinResourceTable();
const messageOf = (apiVersion: string, kind: string): string | undefined => {
  const def = table.byKind(apiVersion, kind);
  if (def) return def.protobufMessage;
  const base = kind.endsWith('List') ? table.byKind(apiVersion, kind.slice(0, -4)) : undefined;
  return base?.protobufMessage ? `${base.protobufMessage}List` : kind === 'Status' ? 'k8s.io.apimachinery.pkg.apis.meta.v1.Status' : undefined;
};
const roundTrip = (obj: KubeObject, message: string): KubeObject => decodeProtobufObject(encodeProtobufObject(obj as never, message), messageOf);

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';
const isMapEntry = (t: protobuf.Type): boolean => t.name.endsWith('Entry') && !!t.fields.key && !!t.fields.value && t.fieldsArray.length === 2;

/**
 * A value for every field of `type` (non-zero, so omitempty keeps it), down to `depth`
 * levels: exercises every field of the wire contract, including the special types.
 */
function sample(type: protobuf.Type, depth: number, seen: string[] = []): unknown {
  const full = type.fullName.replace(/^\./, '');
  switch (full) {
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity': return '250m';
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString': return depth % 2 ? '25%' : 8;
    case `${META}.Time`: return '2026-01-02T03:04:05Z';
    case `${META}.MicroTime`: return '2026-01-02T03:04:05.123456Z';
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension': return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'embedded' }, data: { a: 'b' } };
    case `${META}.FieldsV1`: return { 'f:metadata': { 'f:labels': { 'f:app': {} } } };
    case `${APIEXT}.JSON`: return depth % 2 ? { a: [1, 'b', false] } : 0;
    case `${APIEXT}.JSONSchemaPropsOrBool`: return depth % 2 ? false : { type: 'string', minLength: 0 };
    case `${APIEXT}.JSONSchemaPropsOrArray`: return depth % 2 ? [{ type: 'string' }, { type: 'integer' }] : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    case `${APIEXT}.JSONSchemaPropsOrStringArray`: return depth % 2 ? ['a', 'b'] : { required: ['c'] };
    default: break;
  }
  if (depth <= 0 || seen.includes(full)) return undefined;
  const out: Record<string, unknown> = {};
  for (const f of type.fieldsArray) {
    f.resolve();
    const rt = f.resolvedType;
    const one = (): unknown => {
      if (rt instanceof protobuf.Type) return sample(rt, depth - 1, [...seen, full]);
      switch (f.type) {
        case 'string': return `${f.name}-v`;
        case 'bool': return true;
        case 'bytes': return Buffer.from(`bytes of ${f.name}`).toString('base64');
        default: return 3;
      }
    };
    let v: unknown;
    if (f.repeated && rt instanceof protobuf.Type && isMapEntry(rt)) {
      const vf = rt.fields.value; vf.resolve();
      const x = vf.resolvedType instanceof protobuf.Type ? sample(vf.resolvedType, depth - 1, [...seen, full]) : vf.type === 'bytes' ? Buffer.from('v').toString('base64') : 'v';
      v = x === undefined ? undefined : { 'example.com/key': x };
    } else if (f.repeated) { const x = one(); v = x === undefined ? undefined : [x]; } else v = one();
    if (v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)) continue;
    if (INLINE_FIELDS.has(f.name) && rt instanceof protobuf.Type && !f.repeated) Object.assign(out, v);
    else out[jsonNameOf(type.fullName, f.name)] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

describe('protobuf encoder', () => {
  for (const def of table.stored()) {
    it(`round-trips ${def.info.kind} (every field) and its List`, () => {
      assert.ok(def.protobufMessage, `${def.info.kind} has a protobuf message`);
      const apiVersion = def.info.group ? `${def.info.group}/${def.info.version}` : def.info.version;
      const body = sample(getRoot().lookupType(def.protobufMessage), 7) as Record<string, unknown>;
      const obj = { apiVersion, kind: def.info.kind, ...body } as KubeObject;
      assert.deepEqual(roundTrip(obj, def.protobufMessage), obj);
      const list = { apiVersion, kind: def.info.listKind, metadata: { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 }, items: [body, body] } as unknown as KubeObject;
      assert.deepEqual(roundTrip(list, `${def.protobufMessage}List`), list);
    });
  }

  it('round-trips a realistic Pod, Deployment, Secret, Service and Lease', () => {
    const meta = (name: string) => ({
      name, namespace: 'default', uid: '0d3c1a4e-1111-2222-3333-444455556666', resourceVersion: '17', generation: 2, creationTimestamp: '2026-11-30T10:00:00Z',
      labels: { app: name }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion: true }],
      managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2026-11-30T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } } }],
    });
    const podSpec = {
      restartPolicy: 'Always', terminationGracePeriodSeconds: 0, dnsPolicy: 'ClusterFirst', nodeName: 'n1', enableServiceLinks: false,
      containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
        livenessProbe: { httpGet: { path: '/', port: 'http', scheme: 'HTTP' }, periodSeconds: 10 }, readinessProbe: { tcpSocket: { port: 80 } },
        securityContext: { runAsUser: 0, privileged: false } }],
      volumes: [{ name: 'v', configMap: { name: 'cm', defaultMode: 420 } }, { name: 'e', emptyDir: { sizeLimit: '1Gi' } }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    };
    const objects: Array<[KubeObject, string]> = [
      [{ apiVersion: 'v1', kind: 'Pod', metadata: meta('p'), spec: podSpec, status: { phase: 'Running', podIP: '10.0.0.5', startTime: '2026-11-30T10:00:01Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-30T10:00:02Z' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 2, image: 'nginx:1.27', imageID: 'sha256:x', started: true, state: { running: { startedAt: '2026-11-30T10:00:02Z' } } }] } } as KubeObject, 'k8s.io.api.core.v1.Pod'],
      [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('d'), spec: { replicas: 0, selector: { matchLabels: { app: 'd' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }, template: { metadata: { labels: { app: 'd' } }, spec: podSpec } }, status: { observedGeneration: 2, replicas: 1, conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2026-11-30T10:00:00Z', lastTransitionTime: '2026-11-30T10:00:00Z', reason: 'MinimumReplicasAvailable', message: 'ok' }] } } as KubeObject, 'k8s.io.api.apps.v1.Deployment'],
      [{ apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), type: 'Opaque', data: { password: Buffer.from('hunter2\u0000\u00ff').toString('base64') }, immutable: false } as KubeObject, 'k8s.io.api.core.v1.Secret'],
      [{ apiVersion: 'v1', kind: 'Service', metadata: meta('svc'), spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], selector: { app: 'd' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None' } } as KubeObject, 'k8s.io.api.core.v1.Service'],
      [{ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('l'), spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: '2026-11-30T10:00:00.000000Z', renewTime: '2026-11-30T10:00:05.250000Z', leaseTransitions: 0 } } as KubeObject, 'k8s.io.api.coordination.v1.Lease'],
    ];
    for (const [obj, message] of objects) assert.deepEqual(roundTrip(obj, message), obj, obj.kind);
  });

  it('encodes Status and frames watch events', () => {
    const status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'pods "x" not found', reason: 'NotFound', details: { name: 'x', kind: 'pods' }, code: 404 } as unknown as KubeObject;
    assert.deepEqual(roundTrip(status, `${META}.Status`), status);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '5' }, data: { a: '1' } } as KubeObject;
    const f1 = encodeWatchEventFrame('ADDED', encodeProtobufObject(cm as never, 'k8s.io.api.core.v1.ConfigMap'));
    const f2 = encodeWatchEventFrame('DELETED', encodeProtobufObject(cm as never, 'k8s.io.api.core.v1.ConfigMap'));
    assert.equal(f1.readUInt32BE(0), f1.length - 4);
    const all = Buffer.concat([f1, f2]);
    const { events, rest } = decodeWatchEventFrames(all.subarray(0, all.length - 3));
    assert.equal(events.length, 1);
    assert.equal(rest.length, f2.length - 3);
    assert.deepEqual(decodeWatchEventFrames(all).events.map((e) => [e.type, decodeProtobufObject(e.object, messageOf)]), [['ADDED', cm], ['DELETED', cm]]);
  });

  it('rejects values that do not fit the message', () => {
    assert.throws(() => encodeMessage({ spec: 'nope' }, 'k8s.io.api.core.v1.Pod'), /expected an object/);
    assert.throws(() => encodeMessage({ spec: { containers: {} } }, 'k8s.io.api.core.v1.Pod'), /expected a list/);
    assert.throws(() => encodeMessage({}, 'k8s.io.api.nope.v1.Thing'), /no protobuf message/);
  });
});
