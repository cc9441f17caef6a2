/**
 * Issue #5 acceptance 5: bounded fuzzing of request bodies for every kind. Random and
 * mutated bodies (malformed JSON, wrong types at real field paths, deep nesting, huge
 * strings and numbers, unknown and duplicate fields, wrong kind for the path, non-UTF-8,
 * wrong root types) must each get a 4xx Status with a message — zero 5xx, no crash —
 * and a refused create must leave nothing behind. Deterministic (seeded), bounded in
 * count (about 40 bodies per kind). Dry-run delete, patch and create are then tried on
 * every kind that has an object, and must leave storage as it was.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { join } from 'node:path';
import { builtinResourceTable } from '../../src/api/builtin-resources.js';
import { groupVersion, type ResourceDefinition } from '../../src/api/resource-definition.js';
import { structuralType, type StructuralType } from '../../src/api/structural/structural-type.js';
import { type RunningApiServer } from '../../src/apiserver/server.js';
import { type Pki } from '../../src/pki/pki.js';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import type { Storage } from '../../src/storage/interface.js';

/** mulberry32: a small seeded PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRONG_VALUES: unknown[] = ['x', 42, -1, 1.5, true, null, [], {}, [1, 'a'], { a: { b: 1 } }, 2 ** 70, 'é'.repeat(10), '-1Gi', 99999999999];

/** Field paths of a structural type, a few levels deep (for wrong-type mutations). */
function paths(t: StructuralType, prefix: string[] = [], depth = 0, out: string[][] = []): string[][] {
  if (depth > 4 || t.kind !== 'object') return out;
  for (const [name, f] of t.fields) {
    if (name === 'apiVersion' || name === 'kind') continue;
    out.push([...prefix, name]);
    const inner = f.type.kind === 'array' ? f.type.items : f.type;
    paths(inner, [...prefix, name], depth + 1, out);
  }
  return out;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur: Record<string, unknown> = obj;
  for (const p of path.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null || Array.isArray(cur[p])) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}

/** About 40 bodies for one kind: [description, bytes]. */
function bodies(def: ResourceDefinition, rnd: () => number, name: () => string): Array<[string, Buffer]> {
  const base = (): Record<string, unknown> => ({ apiVersion: groupVersion(def.info), kind: def.info.kind, metadata: { name: name() } });
  const enc = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));
  const out: Array<[string, Buffer]> = [];
  const type = def.protobufMessage ? structuralType(def.protobufMessage) : undefined;
  const ps = type ? paths(type) : [];
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  for (let i = 0; i < 18 && ps.length; i++) {
    const o = base();
    const p = pick(ps);
    setPath(o, p, pick(WRONG_VALUES));
    out.push([`wrong type at ${p.join('.')}`, enc(o)]);
  }
  const text = JSON.stringify(base());
  out.push(['truncated JSON', Buffer.from(text.slice(0, Math.floor(text.length / 2)))]);
  out.push(['garbage', Buffer.from('}{][' + 'x'.repeat(50))]);
  out.push(['deep nesting', Buffer.from('{"metadata":{"name":"d"},"spec":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}')]);
  out.push(['deep objects', Buffer.from('{"metadata":{"name":"d2"},"spec":' + '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000) + '}')]);
  out.push(['huge string', enc({ ...base(), metadata: { name: 'h'.repeat(300_000) } })]);
  out.push(['huge number', Buffer.from(text.replace('{', '{"spec":{"replicas":1e999999},'))]);
  out.push(['unknown fields', enc({ ...base(), bogus: 1, spec: { bogus: { deeper: [1] } } })]);
  out.push(['duplicate fields', Buffer.from(text.replace('{', '{"kind":"X","kind":"Y",'))]);
  out.push(['wrong kind for the path', enc({ ...base(), kind: 'Frobnicator' })]);
  out.push(['wrong apiVersion', enc({ ...base(), apiVersion: 'nope/v9' })]);
  out.push(['non-UTF-8', Buffer.concat([Buffer.from('{"metadata":{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}}')])]);
  out.push(['array root', Buffer.from('[1,2,3]')]);
  out.push(['null root', Buffer.from('null')]);
  out.push(['string root', Buffer.from('"pod"')]);
  out.push(['metadata wrong type', enc({ ...base(), metadata: 'x' })]);
  out.push(['labels with a number', enc({ ...base(), metadata: { name: name(), labels: { a: 1 } } })]);
  out.push(['empty name', enc({ ...base(), metadata: { name: '' } })]);
  out.push(['bad name', enc({ ...base(), metadata: { name: 'Not_A_Name!' } })]);
  out.push(['random bytes', Buffer.from(Array.from({ length: 64 }, () => Math.floor(rnd() * 256)))]);
  return out;
}

describe('bad input fuzzing: every kind, zero 5xx', { timeout: 300_000 }, () => {
  let dir: string;
  let pki: Pki;
  let storage: Storage;
  let api: RunningApiServer;
  const request = (method: string, path: string, body?: Buffer, contentType = 'application/json') => new Promise<{ code: number; body: string }>((resolve, reject) => {
    const url = new URL(path, api.url);
    const req = https.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, headers: body ? { 'Content-Type': contentType, 'Content-Length': body.length } : {} }, (res) => {
      let data = '';
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });

  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer('fuzz');
    ({ dir, pki, storage, api } = server);
    await request('POST', '/api/v1/namespaces', Buffer.from('{"metadata":{"name":"fuzz"}}'));
  });
  after(() => server.close());

  it('creates and patches with malformed bodies get 4xx Status answers and store nothing', async () => {
    const rnd = prng(20261130);
    let n = 0;
    const name = () => `fz-${n++}`;
    const failures: string[] = [];
    let requests = 0;
    const codes: Record<number, number> = {};
    const table = builtinResourceTable();
    // Stored kinds, and the create-only review kinds (never stored, but their bodies are decoded the same way).
    const creatable = [...table.stored(), ...table.served().filter((d) => d.serving === 'virtual')].filter((d) => d.info.verbs.includes('create'));
    for (const def of creatable) {
      const base = `/${def.info.group ? `apis/${def.info.group}` : 'api'}/${def.info.version}${def.info.namespaced ? '/namespaces/fuzz' : ''}/${def.info.plural}`;
      // Patches go to an object a valid-enough body created (the 404 of a missing one would hide the decoding).
      let target = 'nope';
      for (const [what, body] of bodies(def, rnd, name)) {
        const targets: Array<readonly [string, string, string]> = [['POST', base, 'application/json'], ['PUT', `${base}/${target}`, 'application/json'], ['PATCH', `${base}/${target}`, 'application/merge-patch+json'], ['PATCH', `${base}/${target}`, 'application/strategic-merge-patch+json']];
        // The status, scale, ephemeralcontainers and approval subresources decode the same bodies (scale: as autoscaling/v1 Scale).
        for (const sub of (def.info.subresources ?? []).filter((x) => x === 'status' || x === 'scale' || x === 'ephemeralcontainers' || x === 'approval')) {
          if (target !== 'nope') targets.push(['PUT', `${base}/${target}/${sub}`, 'application/json'], ['PATCH', `${base}/${target}/${sub}`, 'application/merge-patch+json'], ['PATCH', `${base}/${target}/${sub}`, 'application/json-patch+json']);
        }
        for (const [method, path, ct] of targets) {
          requests++;
          const r = await request(method, path, body, ct);
          codes[r.code] = (codes[r.code] ?? 0) + 1;
          if (method === 'POST' && r.code === 201 && target === 'nope') target = JSON.parse(r.body).metadata.name;
          if (r.code >= 500 || r.code < 200) { failures.push(`${method} ${def.info.plural} (${what}): ${r.code} ${r.body.slice(0, 200)}`); continue; }
          if (r.code >= 400) {
            let status: { kind?: string; message?: string } = {};
            try { status = JSON.parse(r.body); } catch { /* checked below */ }
            if (status.kind !== 'Status' || !status.message) failures.push(`${method} ${def.info.plural} (${what}): ${r.code} without a Status message`);
          }
        }
      }
    }
    console.log(`fuzz: ${requests} requests, status codes ${JSON.stringify(codes)}`);
    assert.deepEqual(failures, [], failures.join('\n'));
    // Dry runs change nothing, for every kind that has an object to try them on.
    let dryRuns = 0;
    for (const def of table.stored().filter((d) => d.info.verbs.includes('create') && d.info.verbs.includes('delete'))) {
      const base = `/${def.info.group ? `apis/${def.info.group}` : 'api'}/${def.info.version}${def.info.namespaced ? '/namespaces/fuzz' : ''}/${def.info.plural}`;
      const items = JSON.parse((await request('GET', base)).body).items as Array<{ metadata: { name: string; resourceVersion: string } }>;
      const obj = items.find((o) => o.metadata.name.startsWith('fz-'));
      if (!obj) continue;
      dryRuns++;
      const path = `${base}/${obj.metadata.name}`;
      const del = await request('DELETE', `${path}?dryRun=All`);
      assert.ok(del.code === 200 || del.code === 202, `${def.info.plural}: dry-run delete ${del.code} ${del.body.slice(0, 200)}`);
      const patched = await request('PATCH', `${path}?dryRun=All`, Buffer.from('{"metadata":{"labels":{"dry":"run"}}}'), 'application/merge-patch+json');
      assert.equal(patched.code, 200, `${def.info.plural}: dry-run patch ${patched.body.slice(0, 200)}`);
      const after = JSON.parse((await request('GET', path)).body) as { metadata: { resourceVersion: string; labels?: Record<string, string> } };
      assert.equal(after.metadata.resourceVersion, obj.metadata.resourceVersion, `${def.info.plural}: a dry run changed the stored object`);
      assert.equal(after.metadata.labels?.dry, undefined);
      const copy = { ...JSON.parse((await request('GET', path)).body), metadata: { name: `${obj.metadata.name}-dry` } };
      const created = await request('POST', `${base}?dryRun=All`, Buffer.from(JSON.stringify(copy)));
      assert.ok(created.code < 500, `${def.info.plural}: dry-run create ${created.code}`);
      assert.equal((await request('GET', `${path}-dry`)).code, 404, `${def.info.plural}: a dry-run create stored the object`);
    }
    assert.ok(dryRuns >= 10, `dry runs tried on ${dryRuns} kinds`);
    assert.ok(requests > 1500, `bounded but broad: ${requests} requests`);
    // Most bodies are refused; the few valid ones (a wrong value that happens to fit) are created.
    assert.ok((codes[400] ?? 0) + (codes[422] ?? 0) > requests / 2, JSON.stringify(codes));
    // Nothing half-written: every object that exists was created whole (it reads back and lists).
    for (const def of table.stored()) {
      const base = `/${def.info.group ? `apis/${def.info.group}` : 'api'}/${def.info.version}/${def.info.plural}`;
      const r = await request('GET', base);
      assert.equal(r.code, 200, `${def.info.plural} still lists`);
      for (const o of JSON.parse(r.body).items as Array<{ metadata: { name: string } }>) assert.ok(o.metadata.name, `${def.info.plural} object with a name`);
    }
    assert.equal((await request('GET', '/readyz')).code, 200);
  });

  it('discovery and OpenAPI endpoints answer odd Accept headers, methods and queries without a 5xx', async () => {
    const rnd = prng(7);
    const accepts = ['application/json', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/vnd.kubernetes.protobuf', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', 'application/json;g=apidiscovery.k8s.io;v=v9;as=Nope', 'text/html', '*/*', ';;;', 'application/json;as=Table;g=meta.k8s.io;v=v1', '\u00e9'];
    const paths = ['/openapi/v2', '/openapi/v3', '/openapi/v3/api/v1', '/openapi/v3/apis/apps/v1?hash=zz', '/api', '/apis', '/apis/apps', '/apis/apps/v1', '/api/v1', '/version', '/openapi/v3/nope', '/apis/nope/v1'];
    const failures: string[] = [];
    for (let i = 0; i < 120; i++) {
      const path = paths[Math.floor(rnd() * paths.length)];
      const accept = accepts[Math.floor(rnd() * accepts.length)];
      const method = ['GET', 'GET', 'GET', 'POST', 'DELETE', 'PUT'][Math.floor(rnd() * 6)];
      const r = await new Promise<{ code: number; body: string }>((resolve, reject) => {
        const url = new URL(path, api.url);
        const req = https.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent: false, ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, headers: { Accept: accept } }, (res) => {
          let data = '';
          res.on('data', (c) => { data += c; });
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body: data }));
        });
        req.on('error', (err) => reject(new Error(`${method} ${path} (Accept ${accept}): ${err.message}`)));
        req.end(method === 'GET' ? undefined : '{"x":');
      });
      if (r.code >= 500 || r.code < 200) failures.push(`${method} ${path} (Accept ${accept}): ${r.code} ${r.body.slice(0, 200)}`);
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  });
});
