/**
 * apiextensions.k8s.io/v1 CustomResourceDefinitions and apiregistration.k8s.io/v1
 * APIServices served in-process: create realistic objects, read them back (JSON and
 * protobuf), defaults, Table columns, discovery, OpenAPI v3 and upstream's 422 messages.
 */
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Pki } from '../../src/pki/pki.js';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { type RunningApiServer } from '../../src/apiserver/server.js';
import { decodeProtobufObject } from '../../src/api/protobuf/codec.js';
import type { Storage } from '../../src/storage/interface.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const APISERVICES = '/apis/apiregistration.k8s.io/v1/apiservices';

const crontabs = () => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com', scope: 'Namespaced',
    names: { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: {
                cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                image: { type: 'string' },
                replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
                tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                resources: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                extra: { type: 'object', additionalProperties: { type: 'string' } },
                free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                mode: { type: 'string', enum: ['Fast', 'Slow'], default: 'Fast' },
                enabled: { type: 'boolean', default: false },
              },
              required: ['cronSpec'],
              'x-kubernetes-validations': [{ rule: 'self.replicas <= 10', message: 'too many' }],
            },
            status: { type: 'object', properties: { replicas: { type: 'integer' }, labelSelector: { type: 'string' } } },
          },
        },
      },
      subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } },
      additionalPrinterColumns: [{ name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' }, { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
    }],
  },
});

const metricsApiService = () => ({
  apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService',
  metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
  spec: {
    group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true,
    service: { name: 'metrics-server', namespace: 'kube-system' },
  },
});

describe('apiextensions.k8s.io and apiregistration.k8s.io', { timeout: 60_000 }, () => {
  let dir: string;
  let pki: Pki;
  let storage: Storage;
  let api: RunningApiServer;
  const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => new Promise<{ code: number; body: any; raw: Buffer }>((resolve, reject) => {
    const url = new URL(path, api.url);
    const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const r = https.request({
      host: url.hostname, port: url.port, path: url.pathname + url.search, method, ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem,
      headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        let parsed: unknown;
        try { parsed = JSON.parse(buf.toString() || 'null'); } catch { parsed = undefined; }
        resolve({ code: res.statusCode ?? 0, body: parsed, raw: buf });
      });
    });
    r.on('error', reject);
    r.end(data);
  });

  let server: TestApiServer;
  before(async () => { server = await startTestApiServer('apiext'); ({ dir, pki, storage, api } = server); });
  after(() => server.close());

  it('discovery lists both groups with upstream names, short names and categories', async () => {
    const crd = await req('GET', '/apis/apiextensions.k8s.io/v1');
    assert.equal(crd.code, 200);
    const r = crd.body.resources.find((x: any) => x.name === 'customresourcedefinitions');
    assert.deepEqual([r.kind, r.namespaced, r.shortNames, r.categories], ['CustomResourceDefinition', false, ['crd'], ['api-extensions']]);
    assert.ok(crd.body.resources.some((x: any) => x.name === 'customresourcedefinitions/status'));
    const reg = await req('GET', '/apis/apiregistration.k8s.io/v1');
    const a = reg.body.resources.find((x: any) => x.name === 'apiservices');
    assert.deepEqual([a.kind, a.namespaced, a.categories], ['APIService', false, ['api-extensions']]);
  });

  it('creates a realistic CRD: defaults, status, generation, JSON-typed schema values kept', async () => {
    const r = await req('POST', CRDS, crontabs());
    assert.equal(r.code, 201, JSON.stringify(r.body));
    const got = (await req('GET', `${CRDS}/crontabs.stable.example.com`)).body;
    assert.equal(got.spec.names.singular, 'crontab');
    assert.equal(got.spec.names.listKind, 'CronTabList');
    assert.deepEqual(got.spec.conversion, { strategy: 'None' });
    assert.deepEqual(got.status, { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
    assert.equal(got.metadata.generation, 1);
    const props = got.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    assert.equal(props.replicas.minimum, 0);
    assert.equal(props.enabled.default, false);
    assert.deepEqual(props.mode.enum, ['Fast', 'Slow']);
    assert.deepEqual(props.extra.additionalProperties, { type: 'string' });
    assert.equal(props.free['x-kubernetes-preserve-unknown-fields'], true);
    assert.equal(got.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'][0].rule, 'self.replicas <= 10');
    assert.equal(got.status.conditions, undefined, 'conditions are a controller\'s job');

    // Protobuf read-back has the same content.
    const pb = await req('GET', `${CRDS}/crontabs.stable.example.com`, undefined, { Accept: 'application/vnd.kubernetes.protobuf' });
    assert.equal(pb.code, 200);
    const decoded = decodeProtobufObject(pb.raw, () => 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition') as any;
    assert.deepEqual(decoded.spec, got.spec);

    // A spec change bumps the generation; status is kept.
    got.spec.versions[0].additionalPrinterColumns.push({ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' });
    const u = await req('PUT', `${CRDS}/crontabs.stable.example.com`, got);
    assert.equal(u.code, 200, JSON.stringify(u.body));
    assert.equal(u.body.metadata.generation, 2);
    assert.deepEqual(u.body.status.storedVersions, ['v1']);
  });

  it('Table columns: NAME, CREATED AT for CRDs; NAME, SERVICE, AVAILABLE, AGE for APIServices', async () => {
    const accept = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
    const t = await req('GET', CRDS, undefined, accept);
    assert.deepEqual(t.body.columnDefinitions.map((c: any) => c.name), ['Name', 'Created At']);
    assert.match(t.body.rows[0].cells[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await req('POST', APISERVICES, metricsApiService())).code, 201);
    const local = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.stable.example.com' }, spec: { group: 'stable.example.com', version: 'v1', groupPriorityMinimum: 1000, versionPriority: 15 } };
    assert.equal((await req('POST', APISERVICES, local)).code, 201);
    const a = await req('GET', APISERVICES, undefined, accept);
    assert.deepEqual(a.body.columnDefinitions.map((c: any) => c.name), ['Name', 'Service', 'Available', 'Age']);
    const rows = Object.fromEntries(a.body.rows.map((r: any) => [r.cells[0], r.cells.slice(1, 3)]));
    assert.deepEqual(rows['v1beta1.metrics.k8s.io'], ['kube-system/metrics-server', 'Unknown']);
    assert.deepEqual(rows['v1.stable.example.com'], ['Local', 'Unknown']);
  });

  it('APIService: port defaulted to 443, status cleared on create, upstream validation messages', async () => {
    const got = (await req('GET', `${APISERVICES}/v1beta1.metrics.k8s.io`)).body;
    assert.equal(got.spec.service.port, 443);
    assert.equal(got.status, undefined);
    const bad = metricsApiService();
    bad.metadata.name = 'v1.metrics.k8s.io';
    (bad.spec as any).groupPriorityMinimum = 30000;
    const r = await req('POST', APISERVICES, bad);
    assert.equal(r.code, 422);
    assert.equal(r.body.message, 'APIService.apiregistration.k8s.io "v1.metrics.k8s.io" is invalid: [metadata.name: Invalid value: "v1.metrics.k8s.io": must be `spec.version+"."+spec.group`: "v1beta1.metrics.k8s.io", spec.groupPriorityMinimum: Invalid value: 30000: must be positive and less than 20000]');
  });

  it('invalid CRDs get 422 with upstream messages', async () => {
    const c = crontabs();
    c.metadata.name = 'crontab.stable.example.com';
    let r = await req('POST', CRDS, c);
    assert.equal(r.code, 422);
    assert.equal(r.body.message, 'CustomResourceDefinition.apiextensions.k8s.io "crontab.stable.example.com" is invalid: metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group');

    const noDot = crontabs();
    noDot.metadata.name = 'crontabs.example';
    noDot.spec.group = 'example';
    r = await req('POST', CRDS, noDot);
    assert.equal(r.body.message, 'CustomResourceDefinition.apiextensions.k8s.io "crontabs.example" is invalid: spec.group: Invalid value: "example": should be a domain with at least one dot');

    const nonStructural = crontabs();
    const spec = nonStructural.spec.versions[0].schema.openAPIV3Schema.properties.spec as any;
    delete spec.type;
    delete spec.properties.image.type;
    r = await req('POST', CRDS, { ...nonStructural, metadata: { name: 'crontabs.stable.example.com' } });
    assert.equal(r.code, 422);
    assert.equal(r.body.message, 'CustomResourceDefinition.apiextensions.k8s.io "crontabs.stable.example.com" is invalid: [spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[image].type: Required value: must not be empty for specified object fields, spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields]');

    const twoStorage = crontabs();
    twoStorage.metadata.name = 'other.stable.example.com';
    twoStorage.spec.names.plural = 'other';
    twoStorage.spec.versions.push({ ...twoStorage.spec.versions[0], name: 'v2' });
    r = await req('POST', CRDS, twoStorage);
    assert.equal(r.code, 422);
    assert.match(r.body.message, /spec\.versions: Invalid value: \[\]apiextensions\.CustomResourceDefinitionVersion\{.*\}: must have exactly one version marked as storage version/);

  });

  it('unknown fields inside openAPIV3Schema are strict errors; items may be a schema or a list', async () => {
    const c = crontabs();
    c.metadata.name = 'widgets.stable.example.com';
    c.spec.names = { plural: 'widgets', kind: 'Widget' } as any;
    (c.spec.versions[0].schema.openAPIV3Schema as any).bogus = true;
    let r = await req('POST', `${CRDS}?fieldValidation=Strict`, c);
    assert.equal(r.code, 400);
    assert.match(r.body.message, /unknown field "spec\.versions\[0\]\.schema\.openAPIV3Schema\.bogus"/);
    delete (c.spec.versions[0].schema.openAPIV3Schema as any).bogus;
    (c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties as any).pair = { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] };
    r = await req('POST', CRDS, c);
    assert.equal(r.code, 422);
    assert.match(r.body.message, /spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.properties\[pair\]\.items: Forbidden: items must be a schema object and not an array/);
  });

  it('odd schema shapes never give a 5xx, and whatever is stored reads back as protobuf', async () => {
    const odd: unknown[] = [
      { type: 'object', properties: [] }, { type: 'object', properties: { a: null } }, { type: 'object', properties: { a: 'x' } },
      { type: 'object', items: 'x' }, { type: 'array', items: [] }, { type: 'array', items: [{}] }, { type: 'object', additionalProperties: 3 },
      { type: 'object', additionalProperties: true }, { type: 'object', dependencies: { a: ['b'], c: { type: 'string' }, d: 4 } },
      { type: 'object', enum: 'x' }, { type: 'object', default: { a: [1, null] } }, { type: 'object', 'x-kubernetes-list-map-keys': 'k' },
      { type: 'object', anyOf: 'x' }, { type: 'object', allOf: [null, 1] }, { type: 'object', not: 'x' }, { type: 'object', pattern: '(' },
      { type: 'object', properties: { metadata: { type: 'object', default: {} } } }, { type: 'object', 'x-kubernetes-validations': 'x' },
      { type: 'object', $ref: 5 }, { type: 'object', maximum: 'x' }, { type: 'object', minLength: -1.5 }, null, 'x', [],
    ];
    let i = 0;
    for (const schema of odd) {
      const name = `odd${i++}`;
      const c: any = crontabs();
      c.metadata.name = `${name}s.odd.example.com`;
      c.spec.group = 'odd.example.com';
      c.spec.names = { plural: `${name}s`, kind: `Odd${i}` };
      c.spec.versions[0].schema = { openAPIV3Schema: schema };
      delete c.spec.versions[0].subresources;
      const r = await req('POST', CRDS, c);
      assert.ok(r.code < 500, `${JSON.stringify(schema)}: ${r.code} ${JSON.stringify(r.body)}`);
      assert.ok(r.code === 201 || r.body?.kind === 'Status', `${JSON.stringify(schema)}: ${r.code}`);
      if (r.code === 201) {
        const pb = await req('GET', `${CRDS}/${c.metadata.name}`, undefined, { Accept: 'application/vnd.kubernetes.protobuf' });
        assert.equal(pb.code, 200, `${JSON.stringify(schema)}: protobuf read-back ${pb.raw.toString()}`);
      }
    }
  });

  it('OpenAPI v3 describes the CRD schema for kubectl explain', async () => {
    const r = await req('GET', '/openapi/v3/apis/apiextensions.k8s.io/v1');
    assert.equal(r.code, 200);
    const schemas = r.body.components.schemas;
    const v = schemas['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition'];
    assert.ok(v, Object.keys(schemas).join(','));
    const props = v.properties.spec.properties.versions.items.properties.schema.properties.openAPIV3Schema.properties;
    assert.deepEqual(props.properties, { type: 'object', additionalProperties: { $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps' } });
    assert.equal(props['x-kubernetes-preserve-unknown-fields'].type, 'boolean');
    const recursive = schemas['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'];
    assert.ok(recursive?.properties?.$ref, 'the recursive definition is in the document');
    // Swagger 2.0 refers to #/definitions/.
    const v2 = await req('GET', '/openapi/v2');
    const defs = v2.body.definitions;
    assert.ok(defs['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps']);
    assert.ok(defs['io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService']);
    assert.match(JSON.stringify(defs['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition']), /"\$ref":"#\/definitions\/io\.k8s\.apiextensions-apiserver\.pkg\.apis\.apiextensions\.v1\.JSONSchemaProps"/);
  });
});
