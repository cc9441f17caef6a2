/**
 * Response content types over HTTP against an in-process apiserver: protobuf GET, LIST,
 * WATCH and error Status (decoded with the codec), JSON fallback, aggregated discovery
 * (apidiscovery.k8s.io/v2) and the real kubectl 1.32 on top of both.
 */
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinResourceTable } from '../../src/api/builtin-resources.js';
import { ensurePki, type Pki } from '../../src/pki/pki.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { createRegistry } from '../../src/apiserver/registry/index.js';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/server.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { decodeProtobufObject } from '../../src/api/protobuf/codec.js';
import { decodeWatchEventFrames } from '../../src/api/protobuf/encode.js';
import { responseMessageResolver } from '../../src/apiserver/endpoints/protobuf-response.js';
import type { Storage } from '../../src/storage/interface.js';
import { kubectl, kubectlRaw } from '../support/kubectl.js';
import { Type } from '@sinclair/typebox';
import type { ResourceDefinition } from '../../src/api/resource-definition.js';

/** A kind without a protobuf message, as custom resources are. */
const gadgetDefinition: ResourceDefinition = {
  info: { group: 'example.com', version: 'v1', kind: 'Gadget', listKind: 'GadgetList', plural: 'gadgets', singular: 'gadget', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  schema: Type.Object({}),
  applyDefaults() {},
  validate: () => [],
};

const PB = 'application/vnd.kubernetes.protobuf';
const CLIENT_GO = `${PB}, application/json`;
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface Reply { code: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

describe('content types', { timeout: 120_000 }, () => {
  let dir: string;
  let pki: Pki;
  let storage: Storage;
  let api: RunningApiServer;
  let kubeconfig: string;
  const table = builtinResourceTable();
  table.add(gadgetDefinition);
  const messageOf = responseMessageResolver(table);
  const decode = (b: Buffer) => decodeProtobufObject(b, messageOf) as any;

  const request = (method: string, path: string, headers: Record<string, string> = {}, body?: string, maxMs = 10_000): Promise<Reply> => new Promise((resolve, reject) => {
    const url = new URL(path, api.url);
    const chunks: Buffer[] = [];
    let res0: { statusCode?: number; headers: Reply['headers'] } | undefined;
    const req = https.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, headers: { ...headers, ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      res0 = res;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { clearTimeout(timer); resolve({ code: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }); });
    });
    const timer = setTimeout(() => { req.destroy(); resolve({ code: res0?.statusCode ?? 0, headers: res0?.headers ?? {}, body: Buffer.concat(chunks) }); }, maxMs);
    req.on('error', (e) => (res0 ? resolve({ code: res0.statusCode ?? 0, headers: res0.headers, body: Buffer.concat(chunks) }) : reject(e)));
    req.end(body);
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-ct-'));
    pki = await ensurePki(join(dir, 'tls'));
    storage = await openSqliteStorage({ path: ':memory:', compactIntervalMs: 0 });
    api = await startApiServer({ registry: createRegistry(storage, { table }), pki, port: 0 });
    kubeconfig = join(dir, 'kubeconfig.yaml');
    writeKubeconfig(kubeconfig, { server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
    const ns = await request('POST', '/api/v1/namespaces', { 'Content-Type': 'application/json' }, JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }));
    assert.ok(ns.code === 201 || ns.code === 409, ns.body.toString());
  });
  after(async () => { await api.close(); await storage.close(); rmSync(dir, { recursive: true, force: true }); });

  it('answers GET, POST and LIST in protobuf when the client prefers it', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pb', labels: { app: 'pb' } }, data: { a: '1' } };
    const created = await request('POST', '/api/v1/namespaces/default/configmaps', { 'Content-Type': 'application/json', Accept: CLIENT_GO }, JSON.stringify(cm));
    assert.equal(created.code, 201);
    assert.equal(created.headers['content-type'], PB);
    assert.deepEqual(created.body.subarray(0, 4), Buffer.from('k8s\0', 'latin1'));
    assert.deepEqual(decode(created.body).data, { a: '1' });

    const got = await request('GET', '/api/v1/namespaces/default/configmaps/pb', { Accept: CLIENT_GO });
    assert.equal(got.headers['content-type'], PB);
    const obj = decode(got.body);
    assert.equal(obj.kind, 'ConfigMap');
    assert.equal(obj.apiVersion, 'v1');
    assert.equal(obj.metadata.name, 'pb');
    assert.ok(obj.metadata.uid && obj.metadata.creationTimestamp && obj.metadata.resourceVersion);
    const asJson = JSON.parse((await request('GET', '/api/v1/namespaces/default/configmaps/pb', { Accept: 'application/json' })).body.toString());
    assert.deepEqual(obj, asJson);

    const list = await request('GET', '/api/v1/namespaces/default/configmaps', { Accept: CLIENT_GO });
    assert.equal(list.headers['content-type'], PB);
    const l = decode(list.body);
    assert.equal(l.kind, 'ConfigMapList');
    assert.ok(l.metadata.resourceVersion);
    assert.ok(l.items.some((i: any) => i.metadata.name === 'pb' && i.data.a === '1'));

    const partial = await request('GET', '/api/v1/namespaces/default/configmaps', { Accept: `${PB};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1` });
    assert.equal(partial.headers['content-type'], PB);
    const p = decode(partial.body);
    assert.equal(p.kind, 'PartialObjectMetadataList');
    assert.ok(p.items.some((i: any) => i.metadata.name === 'pb' && !i.data));
  });

  it('answers errors as a protobuf Status, Table only as JSON, and 406 when nothing fits', async () => {
    const missing = await request('GET', '/api/v1/namespaces/default/configmaps/nope', { Accept: CLIENT_GO });
    assert.equal(missing.code, 404);
    assert.equal(missing.headers['content-type'], PB);
    const st = decode(missing.body);
    assert.deepEqual({ kind: st.kind, apiVersion: st.apiVersion, status: st.status, reason: st.reason, code: st.code, details: st.details }, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, details: { name: 'nope', kind: 'configmaps' } });
    const table = await request('GET', '/api/v1/namespaces/default/configmaps', { Accept: `${PB};as=Table;g=meta.k8s.io;v=v1,application/json;as=Table;g=meta.k8s.io;v=v1,application/json` });
    assert.equal(table.headers['content-type'], 'application/json');
    assert.equal(JSON.parse(table.body.toString()).kind, 'Table');
    const onlyTablePb = await request('GET', '/api/v1/namespaces/default/configmaps', { Accept: `${PB};as=Table;g=meta.k8s.io;v=v1` });
    assert.equal(onlyTablePb.code, 406);
    assert.equal(JSON.parse(onlyTablePb.body.toString()).reason, 'NotAcceptable');
    const bad = await request('POST', '/api/v1/namespaces/default/configmaps', { 'Content-Type': 'application/json', Accept: CLIENT_GO }, '{"kind": ');
    assert.equal(bad.code, 400);
    assert.equal(decode(bad.body).reason, 'BadRequest');
  });

  it('answers kinds without a protobuf message as JSON, or 406 when only protobuf is accepted', async () => {
    const created = await request('POST', '/apis/example.com/v1/namespaces/default/gadgets', { 'Content-Type': 'application/json', Accept: CLIENT_GO }, JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' } }));
    assert.equal(created.code, 201, created.body.toString());
    assert.equal(created.headers['content-type'], 'application/json');
    const list = await request('GET', '/apis/example.com/v1/namespaces/default/gadgets', { Accept: CLIENT_GO });
    assert.equal(JSON.parse(list.body.toString()).items[0].metadata.name, 'g1');
    const only = await request('GET', '/apis/example.com/v1/namespaces/default/gadgets/g1', { Accept: PB });
    assert.equal(only.code, 406);
    assert.equal(JSON.parse(only.body.toString()).reason, 'NotAcceptable');
    const partial = await request('GET', '/apis/example.com/v1/namespaces/default/gadgets', { Accept: `${PB};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json` });
    assert.equal(partial.headers['content-type'], PB);
    assert.deepEqual(decode(partial.body).items.map((i: any) => i.metadata.name), ['g1']);
    const missing = await request('GET', '/apis/example.com/v1/namespaces/default/gadgets/nope', { Accept: CLIENT_GO });
    assert.equal(missing.code, 404);
    assert.equal(JSON.parse(missing.body.toString()).reason, 'NotFound');
  });

  it('streams a protobuf watch as length-prefixed WatchEvents', async () => {
    const list = decode((await request('GET', '/api/v1/namespaces/default/configmaps', { Accept: CLIENT_GO })).body);
    const watching = request('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=3`, { Accept: CLIENT_GO }, undefined, 8000);
    await new Promise((r) => setTimeout(r, 300));
    await request('POST', '/api/v1/namespaces/default/configmaps', { 'Content-Type': 'application/json' }, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1' }, data: { x: 'y' } }));
    await request('DELETE', '/api/v1/namespaces/default/configmaps/w1');
    const w = await watching;
    assert.equal(w.headers['content-type'], 'application/vnd.kubernetes.protobuf;stream=watch');
    const { events, rest } = decodeWatchEventFrames(w.body);
    assert.equal(rest.length, 0);
    const seen = events.map((e) => { const o = decode(e.object); return [e.type, o.kind, o.metadata.name]; });
    assert.deepEqual(seen.filter((s) => s[2] === 'w1'), [['ADDED', 'ConfigMap', 'w1'], ['DELETED', 'ConfigMap', 'w1']]);
  });

  it('serves aggregated discovery to kubectl 1.32 and the legacy documents otherwise', async () => {
    const legacy = await request('GET', '/apis', { Accept: 'application/json' });
    assert.equal(JSON.parse(legacy.body.toString()).kind, 'APIGroupList');
    const agg = await request('GET', '/apis', { Accept: AGGREGATED });
    assert.equal(agg.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const doc = JSON.parse(agg.body.toString());
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    assert.ok(doc.items.some((g: any) => g.metadata.name === 'apps'));
    const etag = agg.headers.etag as string;
    assert.ok(etag);
    assert.equal((await request('GET', '/apis', { Accept: AGGREGATED, 'If-None-Match': etag })).code, 304);
    const core = JSON.parse((await request('GET', '/api', { Accept: AGGREGATED })).body.toString());
    assert.deepEqual(core.items.map((g: any) => g.versions.map((v: any) => v.version)), [['v1']]);

    // kubectl api-resources lists what the legacy documents list for each group's preferred version.
    const expected = new Set<string>();
    const groups = [{ name: '', preferredVersion: { groupVersion: 'v1' } }, ...JSON.parse(legacy.body.toString()).groups];
    for (const g of groups) {
      for (const v of [g.preferredVersion]) {
        const path = g.name ? `/apis/${v.groupVersion}` : '/api/v1';
        for (const r of JSON.parse((await request('GET', path)).body.toString()).resources) if (!r.name.includes('/')) expected.add(`${r.name} ${v.groupVersion}`);
      }
    }
    const out = await kubectl(kubeconfig, ['api-resources', '--no-headers', '-o', 'wide', '--cache-dir', join(dir, 'cache'), '-v=6']).catch((e) => { throw e; });
    const names = new Set(out.trim().split('\n').map((line) => { const cols = line.trim().split(/\s+/); const gv = cols.find((c) => /^([a-z0-9.-]+\/)?v\d/.test(c)); return `${cols[0]} ${gv}`; }));
    assert.deepEqual([...names].sort(), [...expected].sort());
  });

  it('kubectl 1.32 typed calls (protobuf) still work: create deployment, get, get --raw, delete', async () => {
    const cache = ['--cache-dir', join(dir, 'cache2')];
    await kubectl(kubeconfig, ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', ...cache]);
    const d = JSON.parse(await kubectl(kubeconfig, ['get', 'deployment', 'web', '-o', 'json', ...cache]));
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.27');
    await kubectl(kubeconfig, ['create', 'configmap', 'kc', '--from-literal=k=v', ...cache]);
    const raw = JSON.parse(await kubectl(kubeconfig, ['get', '--raw', '/api/v1/namespaces/default/configmaps/kc', ...cache]));
    assert.deepEqual(raw.data, { k: 'v' });
    const missing = await kubectlRaw(kubeconfig, ['get', 'configmap', 'nope', ...cache]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /configmaps "nope" not found/);
    await kubectl(kubeconfig, ['delete', 'deployment', 'web', ...cache]);
  });
});
