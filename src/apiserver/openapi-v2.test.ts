import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor/index.js';
import YAML from 'yaml';
import { builtinResourceTable } from '../api/builtin-resources.js';
import { acceptsOpenApiV2Protobuf, buildOpenApiV2, definitionName, toSwaggerSchema } from './openapi-v2.js';

type Msg = Record<string, any>;
const root = (protobuf.Root as unknown as { fromDescriptor(d: unknown): protobuf.Root })
  .fromDescriptor(createRequire(import.meta.url)('../api/protobuf/openapi-v2-descriptors.json'));
root.resolveAll();
const Document = root.lookupType('openapi.v2.Document');

const built = buildOpenApiV2(builtinResourceTable().served());
const json = built.json as Msg;
const doc = Document.toObject(Document.decode(built.protobuf), { defaults: false }) as Msg;

const named = (list: Msg[] | undefined, name: string): Msg | undefined => list?.find((n) => n.name === name)?.value;
const ext = (s: Msg, name: string): unknown => {
  const v = named(s.vendor_extension, name);
  return v ? YAML.parse(v.yaml, { version: '1.1' }) : undefined;
};
const prop = (s: Msg, name: string): Msg => {
  const p = named(s.properties?.additional_properties, name);
  assert.ok(p, `property ${name}`);
  return p;
};

test('the protobuf decodes to a Document with the Deployment definition and its patch metadata', () => {
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual({ title: doc.info.title, version: doc.info.version }, { title: 'Kubernetes', version: 'v1.32.4' });
  const dep = named(doc.definitions.additional_properties, 'io.k8s.api.apps.v1.Deployment');
  assert.ok(dep, 'io.k8s.api.apps.v1.Deployment');
  assert.deepEqual(dep.type.value, ['object']);
  for (const p of ['apiVersion', 'kind', 'metadata', 'spec', 'status']) prop(dep, p);
  assert.deepEqual(ext(dep, 'x-kubernetes-group-version-kind'), [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  assert.deepEqual(prop(prop(dep, 'spec'), 'replicas').type.value, ['integer']);
  const containers = prop(prop(prop(prop(dep, 'spec'), 'template'), 'spec'), 'containers');
  assert.deepEqual(containers.type.value, ['array']);
  assert.equal(ext(containers, 'x-kubernetes-patch-merge-key'), 'name');
  assert.equal(ext(containers, 'x-kubernetes-patch-strategy'), 'merge');
  assert.deepEqual(ext(containers, 'x-kubernetes-list-map-keys'), ['name']);
  const container = containers.items.schema[0];
  assert.deepEqual(prop(container, 'image').type.value, ['string']);
  const ports = prop(container, 'ports');
  assert.equal(ext(ports, 'x-kubernetes-patch-merge-key'), 'containerPort');
  // int-or-string is a string with its format, as upstream publishes it.
  const maxSurge = prop(prop(prop(prop(dep, 'spec'), 'strategy'), 'rollingUpdate'), 'maxSurge');
  assert.deepEqual([maxSurge.type.value, maxSurge.format], [['string'], 'int-or-string']);
  // The core group is the empty string in the GVK extension.
  const pod = named(doc.definitions.additional_properties, 'io.k8s.api.core.v1.Pod')!;
  assert.deepEqual(ext(pod, 'x-kubernetes-group-version-kind'), [{ group: '', version: 'v1', kind: 'Pod' }]);
});

test('kubectl finds fieldValidation on the PATCH operation of a GVK (its query-param verifier)', () => {
  // client-go resource.supportsQueryParam: the first PATCH whose x-kubernetes-group-version-kind
  // (a YAML map) matches must list the query parameter.
  const supports = (gvk: { group: string; version: string; kind: string }, param: string): boolean => {
    for (const p of doc.paths.path as Msg[]) {
      const op = p.value.patch;
      if (!op) continue;
      const g = ext(op, 'x-kubernetes-group-version-kind') as Msg | undefined;
      if (!g || g.group !== gvk.group || g.version !== gvk.version || g.kind !== gvk.kind) continue;
      return (op.parameters as Msg[]).some((x) => x.parameter?.non_body_parameter?.query_parameter_sub_schema?.name === param);
    }
    return false;
  };
  assert.ok(supports({ group: 'apps', version: 'v1', kind: 'Deployment' }, 'fieldValidation'));
  assert.ok(supports({ group: '', version: 'v1', kind: 'Pod' }, 'fieldValidation'));
  const item = named(doc.paths.path, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')!;
  assert.deepEqual(item.patch.consumes, [
    'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml',
  ]);
  assert.equal(ext(item.patch, 'x-kubernetes-action'), 'patch');
  const body = item.put.parameters[0].parameter.body_parameter;
  assert.equal(body.schema._ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
  const pathParams = (item.parameters as Msg[]).map((x) => x.parameter.non_body_parameter.path_parameter_sub_schema?.name).filter(Boolean);
  assert.deepEqual(pathParams.sort(), ['name', 'namespace']);
});

test('the JSON form has the paths with their actions, GVKs, parameters and patch types', () => {
  assert.equal(json.swagger, '2.0');
  const coll = json.paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
  const item = json.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
  for (const [op, action] of [[coll.get, 'list'], [coll.post, 'post'], [item.get, 'get'], [item.put, 'put'], [item.patch, 'patch'], [item.delete, 'delete']]) {
    assert.equal(op['x-kubernetes-action'], action);
    assert.deepEqual(op['x-kubernetes-group-version-kind'], gvk);
  }
  for (const op of [coll.post, item.put, item.patch]) {
    const names = (op.parameters as Msg[]).map((p) => p.name);
    for (const n of ['fieldValidation', 'dryRun', 'fieldManager']) assert.ok(names.includes(n), `${op.operationId} ${n}`);
  }
  assert.ok(item.patch.consumes.includes('application/strategic-merge-patch+json'));
  assert.ok(item.patch.consumes.includes('application/apply-patch+yaml'));
  assert.deepEqual(json.paths['/api/v1/namespaces/{namespace}/pods/{name}'].get['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  assert.deepEqual(json.paths['/api/v1/nodes/{name}'].get['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Node' });
  assert.equal(json.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].get['x-kubernetes-group-version-kind'].kind, 'Scale');
  assert.ok(json.definitions['io.k8s.api.rbac.v1.ClusterRole']);
  assert.ok(json.definitions['io.k8s.api.apps.v1.DeploymentList']);
});

test('every reference resolves and every definition parses under kube-openapi proto model rules', () => {
  // k8s.io/kube-openapi pkg/util/proto: ParseSchema rejects multiple types, arrays
  // without items, typed references and references to unknown models.
  const models = new Set((doc.definitions.additional_properties as Msg[]).map((d) => d.name));
  const check = (s: Msg, path: string): void => {
    if (s._ref) {
      assert.ok(s._ref.startsWith('#/definitions/') && models.has(s._ref.slice('#/definitions/'.length)), `${path}: ${s._ref}`);
      assert.ok(!s.type?.value?.length && !s.properties?.additional_properties?.length, `${path}: typed reference`);
      return;
    }
    const types: string[] = s.type?.value ?? [];
    assert.ok(types.length <= 1, `${path}: multiple types`);
    if (types[0]) assert.ok(['object', 'array', 'string', 'integer', 'number', 'boolean'].includes(types[0]), `${path}: type ${types[0]}`);
    if (types[0] === 'array') { assert.ok(s.items?.schema?.length, `${path}: array without items`); check(s.items.schema[0], `${path}[]`); }
    for (const p of s.properties?.additional_properties ?? []) check(p.value ?? {}, `${path}.${p.name}`);
    if (s.additional_properties?.schema) check(s.additional_properties.schema, `${path}{}`);
    for (const e of s.vendor_extension ?? []) assert.doesNotThrow(() => YAML.parse(e.value.yaml), `${path} ${e.name}`);
  };
  for (const d of doc.definitions.additional_properties as Msg[]) check(d.value, d.name);
  for (const p of doc.paths.path as Msg[]) {
    for (const m of ['get', 'put', 'post', 'delete', 'patch']) {
      const op = p.value[m];
      if (!op) continue;
      for (const r of op.responses.response_code as Msg[]) if (r.value.response.schema) check(r.value.response.schema.schema, `${p.name} ${m} ${r.name}`);
      for (const x of op.parameters ?? []) if (x.parameter.body_parameter) check(x.parameter.body_parameter.schema, `${p.name} ${m} body`);
    }
  }
});

test('JSON schemas of kinds without a protobuf message are normalized to Swagger 2.0', () => {
  const s = toSwaggerSchema({
    $schema: 'http://json-schema.org/draft-07/schema#', $id: 'x', type: 'object',
    properties: {
      port: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
      cpu: { anyOf: [{ type: 'string' }, { type: 'number' }], format: 'quantity' },
      name: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      tags: { type: 'array' },
      mode: { type: ['string', 'null'], nullable: true, enum: ['a', 'on'] },
      n: { type: 'integer', exclusiveMaximum: 10 },
      any: { oneOf: [{ type: 'object' }, { type: 'string' }] },
    },
  });
  assert.equal(s.$schema, undefined);
  assert.equal(s.$id, undefined);
  const p = s.properties as Msg;
  assert.deepEqual(p.port, { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true });
  assert.deepEqual(p.cpu, { type: 'string', format: 'quantity' });
  assert.deepEqual(p.name, { type: 'string' });
  assert.deepEqual(p.tags, { type: 'array', items: {} });
  assert.deepEqual(p.mode, { type: 'string', enum: ['a', 'on'] });
  assert.deepEqual(p.n, { type: 'integer', maximum: 10, exclusiveMaximum: true });
  assert.deepEqual(p.any, {});
});

test('definition names, Accept matching', () => {
  const defs = builtinResourceTable().served();
  const by = (kind: string) => definitionName(defs.find((d) => d.info.kind === kind)!);
  assert.equal(by('Deployment'), 'io.k8s.api.apps.v1.Deployment');
  assert.equal(by('Pod'), 'io.k8s.api.core.v1.Pod');
  assert.equal(by('ClusterRoleBinding'), 'io.k8s.api.rbac.v1.ClusterRoleBinding');
  assert.equal(by('HorizontalPodAutoscaler'), 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler');
  assert.ok(acceptsOpenApiV2Protobuf('application/com.github.proto-openapi.spec.v2@v1.0+protobuf'));
  assert.ok(acceptsOpenApiV2Protobuf('application/com.github.proto-openapi.spec.v2.v1.0+protobuf, application/json'));
  assert.ok(!acceptsOpenApiV2Protobuf('application/json, */*'));
  assert.ok(!acceptsOpenApiV2Protobuf(undefined));
});
