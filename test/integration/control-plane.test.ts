import https from 'node:https';
/**
 * The control plane in-process (no node): apiserver on an ephemeral port with SQLite in
 * memory, the REST client, informers, the controller manager and the scheduler — the way
 * a TypeScript test embeds k8ts. A fake Node lets the scheduler bind.
 */
import { builtinResourceTable } from '../../src/api/builtin-resources.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../../src/pki/pki.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { newCacher } from '../../src/storage/cacher/cacher.js';
import { createRegistry } from '../../src/apiserver/registry/index.js';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/server.js';
import { createClient } from '../../src/client/rest-client.js';
import { resources, type Client } from '../../src/client/interface.js';
import { createSharedInformerFactory } from '../../src/client/informers/shared-informer-factory.js';
import { runControllerManager } from '../../src/controllers/manager.js';
import { runScheduler } from '../../src/scheduler/scheduler.js';
import { ensureBootstrapNamespaces } from '../../src/controllers/bootstrap/bootstrap.js';
import { runWithLeaderElection } from '../../src/client/leader-election.js';
import { isConflict, isNotFound, StatusError } from '../../src/machinery/errors.js';
import type { KubeObject } from '../../src/api/object.js';
import type { Storage } from '../../src/storage/interface.js';
import { eventually } from '../support/kubectl.js';

describe('control plane in-process', { timeout: 240_000 }, () => {
  let dir: string;
  let storage: Storage;
  let api: RunningApiServer;
  let client: Client;
  const ac = new AbortController();

  /** Watch events of `path` until `done(lines)` holds, the stream ends, or `maxMs` passes. */
  let watchLines: (path: string, maxMs: number, done?: (lines: Array<{ type: string; object: any }>) => boolean) => Promise<Array<{ type: string; object: any }>>;
  let raw: (method: string, path: string, body?: string | Buffer, contentType?: string) => Promise<{ code: number; body: any; warnings: string[] }>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-cp-'));
    const pki = await ensurePki(join(dir, 'tls'));
    watchLines = (path, maxMs, done = () => false) => new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const url = new URL(path, api.url);
      const lines: Array<{ type: string; object: any }> = [];
      let buf = '';
      const req = https.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem }, (res) => {
        res.on('data', (c: Buffer) => {
          buf += c.toString();
          for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) { lines.push(JSON.parse(buf.slice(0, i))); buf = buf.slice(i + 1); }
          if (done(lines)) { clearTimeout(timer); req.destroy(); resolve(lines); }
        });
        res.on('end', () => { clearTimeout(timer); resolve(lines); });
      });
      req.on('error', (e) => (lines.length ? resolve(lines) : reject(e)));
      timer = setTimeout(() => { req.destroy(); resolve(lines); }, maxMs);
      req.end();
    });
    raw = (method, path, body, contentType = 'application/json') => new Promise((resolve, reject) => {
      const url = new URL(path, api.url);
      const req = https.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, headers: body ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const w = res.headers.warning;
          resolve({ code: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null'), warnings: w === undefined ? [] : Array.isArray(w) ? w : [w] });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
    storage = await newCacher(await openSqliteStorage({ path: ':memory:', compactIntervalMs: 0 }));
    api = await startApiServer({ registry: createRegistry(storage, { table: builtinResourceTable(), bookmarkIntervalMs: 200 }), pki, port: 0 });
    client = createClient({ server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
    await ensureBootstrapNamespaces(client);
    const cm = createSharedInformerFactory(client);
    void runControllerManager({ client, informers: cm, signal: ac.signal, rootCA: pki.ca.certPem });
    cm.start(ac.signal);
    const sched = createSharedInformerFactory(client);
    void runScheduler({ client, informers: sched, signal: ac.signal });
    sched.start(ac.signal);
  });
  after(async () => { ac.abort(); await api.close(); await storage.close(); rmSync(dir, { recursive: true, force: true }); });

  it('client CRUD with Status errors', async () => {
    const cms = client.resource(resources.configmaps);
    const c = await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } });
    await cms.update({ ...c, data: { a: '2' } });
    await assert.rejects(cms.update({ ...c, data: { a: '3' } }), (e) => isConflict(e));
    await assert.rejects(cms.get('nope', { namespace: 'default' }), (e) => isNotFound(e) && (e as StatusError).message === 'configmaps "nope" not found');
    const anon = createClient({ server: api.url, insecureSkipTLSVerify: true });
    await assert.rejects(anon.resource(resources.configmaps).list({ namespace: 'default' }), (e) => (e as StatusError).code === 401);
    assert.equal((await anon.request<{ major: string }>('GET', '/version')).major, '1');
  });

  it('HTTP errors are Status objects with upstream codes', async () => {
    const code = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      try { await client.request(method, path, body, headers); return 200; } catch (e) { return (e as StatusError).code; }
    };
    assert.equal(await code('GET', '/api/v1/frobnicators'), 404);
    assert.equal(await code('GET', '/apis/nope.example.com/v1'), 404);
    assert.equal(await code('POST', '/api/v1/namespaces/default/configmaps', '{"kind": '), 400);
    assert.equal(await code('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'big' }, data: { x: 'y'.repeat(4 * 1024 * 1024) } }), 413);
    assert.equal(await code('PATCH', '/api/v1/namespaces/default/configmaps/c', '{}', { 'Content-Type': 'text/plain' }), 415);
    assert.equal(await code('POST', '/api/v1/namespaces/default/configmaps/c'), 405);
    assert.equal(await code('GET', '/api/v1/namespaces/default/nodes'), 404);
    const table = await client.request<{ kind: string; columnDefinitions: Array<{ name: string }>; rows: unknown[] }>('GET', '/api/v1/namespaces', undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Status', 'Age']);
    assert.equal(table.rows.length, 4);
    const metrics = await client.request<string>('GET', '/metrics');
    assert.match(metrics, /apiserver_request_total\{verb="LIST",dry_run="",group="",version="v1",resource="namespaces",subresource="",scope="cluster",component="apiserver",code="200"\} \d+/);
    assert.match(metrics, /apiserver_request_total\{verb="POST",[^}]*resource="configmaps"[^}]*code="413"\} 1/);
    assert.match(await client.request<string>('GET', '/healthz'), /^ok$/);
  });

  it('bodies are decoded as upstream: Go-worded type errors, int32 bounds, fieldValidation Strict/Warn/Ignore, nothing unknown stored', async () => {
    const deploy = (spec: Record<string, unknown>, name = 'v') => JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, ...spec } });
    await raw('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'decoding' } }));
    const base = '/apis/apps/v1/namespaces/decoding/deployments';
    let r = await raw('POST', base, deploy({ replicas: 'abc' }));
    assert.deepEqual([r.code, r.body.reason, r.body.message], [400, 'BadRequest', 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32']);
    r = await raw('POST', base, deploy({ replicas: 1099511627776 }));
    assert.equal(r.body.message, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1099511627776 into Go struct field DeploymentSpec.spec.replicas of type int32');
    r = await raw('POST', `${base}?fieldValidation=Strict`, deploy({ replicas: 1, bogus: 1 }).replace('"replicas":1', '"replicas":1,"replicas":2'));
    assert.deepEqual([r.code, r.body.message], [400, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: duplicate field "spec.replicas", unknown field "spec.bogus"']);
    r = await raw('POST', base, deploy({ replicas: 0, bogus: 1 }));
    assert.equal(r.code, 201);
    assert.deepEqual(r.warnings, ['299 - "unknown field \\"spec.bogus\\""']);
    assert.equal(r.body.spec.bogus, undefined);
    r = await raw('POST', `${base}?fieldValidation=Ignore`, deploy({ replicas: 0, bogus: 1 }, 'w'));
    assert.deepEqual([r.code, r.warnings, r.body.spec.bogus], [201, [], undefined]);
    assert.equal((await raw('POST', `${base}?fieldValidation=Nope`, deploy({}, 'x'))).code, 400);
    // A patch may not bring unknown fields in either.
    r = await raw('PATCH', `${base}/v?fieldValidation=Strict`, JSON.stringify({ spec: { paused: true, zzz: 1 } }), 'application/merge-patch+json');
    assert.deepEqual([r.code, r.body.message], [400, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.zzz"']);
    r = await raw('PATCH', `${base}/v`, JSON.stringify({ spec: { paused: true, zzz: 1 } }), 'application/merge-patch+json');
    assert.deepEqual([r.code, r.body.spec.paused, r.body.spec.zzz, r.warnings.length], [200, true, undefined, 1]);
    // Malformed input is a 400, never a 500: deep nesting, bad UTF-8, wrong root type.
    assert.equal((await raw('POST', base, '['.repeat(20000) + ']'.repeat(20000))).code, 400);
    // Invalid UTF-8 reads as U+FFFD (as Go's decoder does): an unknown field, then no name → 422.
    assert.equal((await raw('POST', base, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))).code, 422);
    assert.equal((await raw('POST', base, '[1,2]')).body.message, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal array into Go value of type v1.Deployment');
    // dryRun in the DeleteOptions body leaves the object.
    r = await raw('DELETE', `${base}/v`, JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] }));
    assert.equal(r.code, 200, r.body.message);
    assert.equal((await raw('GET', `${base}/v`)).code, 200);
    assert.equal((await raw('DELETE', `${base}/v?dryRun=Bogus`)).code, 400);
    assert.equal((await raw('DELETE', `${base}/v`)).code, 200);
    assert.equal((await raw('GET', `${base}/v`)).code, 404);
    await raw('DELETE', `${base}/w`);
  });

  it('responses are negotiated: PartialObjectMetadata(List), YAML, 406', async () => {
    const pl = await client.request<{ kind: string; items: Array<{ kind: string; metadata: { name: string }; spec?: unknown }> }>('GET', '/api/v1/namespaces', undefined, { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json' });
    assert.equal(pl.kind, 'PartialObjectMetadataList');
    assert.ok(pl.items.every((i) => i.kind === 'PartialObjectMetadata' && i.spec === undefined && i.metadata.name));
    const po = await client.request<{ kind: string }>('GET', '/api/v1/namespaces/default', undefined, { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' });
    assert.equal(po.kind, 'PartialObjectMetadata');
    const yaml = await client.request<string>('GET', '/api/v1/namespaces/default', undefined, { Accept: 'application/yaml' });
    assert.match(String(yaml), /^apiVersion: v1\nkind: Namespace\n/);
    await assert.rejects(client.request('GET', '/api/v1/namespaces/default', undefined, { Accept: 'text/html' }), (e: StatusError) => e.code === 406);
  });

  it('watch: bookmarks, sendInitialEvents with the initial-events-end bookmark, final bookmark on timeout; list/watch option rules', async () => {
    await raw('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'wl' } }));
    await raw('POST', '/api/v1/namespaces/wl/configmaps', JSON.stringify({ metadata: { name: 'one' } }));
    const list = (await raw('GET', '/api/v1/namespaces/wl/configmaps')).body;
    const rv = Number(list.metadata.resourceVersion);
    const evs = await watchLines(`/api/v1/namespaces/wl/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`, 15_000, (l) => l.filter((e) => e.type === 'BOOKMARK').length >= 2);
    const bms = evs.filter((e) => e.type === 'BOOKMARK');
    assert.ok(bms.length >= 2, `bookmarks about every 200 ms: ${JSON.stringify(evs)}`);
    assert.equal(bms[0].object.kind, 'ConfigMap');
    assert.ok(Number(bms[0].object.metadata.resourceVersion) >= rv);
    const init = await watchLines('/api/v1/namespaces/wl/configmaps?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan', 15_000, (l) => l.some((e) => e.type === 'BOOKMARK'));
    const end = init.findIndex((e) => e.type === 'BOOKMARK');
    assert.ok(end > 0 && init.slice(0, end).every((e) => e.type === 'ADDED'));
    assert.ok(init.slice(0, end).some((e) => e.object.metadata.name === 'one'));
    assert.equal(init[end].object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    const timed = await watchLines(`/api/v1/namespaces/wl/configmaps?watch=true&allowWatchBookmarks=false&resourceVersion=${rv}&timeoutSeconds=1`, 15_000);
    assert.deepEqual(timed, []);
    const timedBm = await watchLines(`/api/v1/namespaces/wl/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=0&timeoutSeconds=1`, 15_000);
    assert.equal(timedBm[timedBm.length - 1].type, 'BOOKMARK');
    let r = await raw('GET', '/api/v1/namespaces/wl/configmaps?resourceVersionMatch=Exact');
    assert.deepEqual([r.code, r.body.message], [422, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided']);
    r = await raw('GET', '/api/v1/namespaces/wl/configmaps?resourceVersionMatch=Exact&resourceVersion=0');
    assert.match(r.body.message, /resourceVersionMatch "exact" is forbidden for resourceVersion "0"/);
    r = await raw('GET', '/api/v1/namespaces/wl/configmaps?watch=true&sendInitialEvents=true');
    assert.match(r.body.message, /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/);
    const t0 = Date.now();
    r = await raw('GET', `/api/v1/namespaces/wl/configmaps?resourceVersion=${rv + 1000}`);
    assert.deepEqual([r.code, r.body.reason, r.body.details?.retryAfterSeconds], [504, 'Timeout', 1]);
    assert.match(r.body.message, new RegExp(`^Timeout: Too large resource version: ${rv + 1000}, current: \\d+$`));
    assert.ok(Date.now() - t0 >= 2900, 'waits about 3 s first');
  });

  it('a terminating namespace reports what remains and which finalizers hold it, then goes', async () => {
    await raw('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'doomed' } }));
    await raw('POST', '/api/v1/namespaces/doomed/configmaps', JSON.stringify({ metadata: { name: 'held', finalizers: ['example.com/hold'] } }));
    assert.equal((await raw('DELETE', '/api/v1/namespaces/doomed')).code, 200);
    const conds = await eventually('deletion conditions', async () => {
      const c = (await raw('GET', '/api/v1/namespaces/doomed')).body?.status?.conditions as Array<{ type: string; status: string; reason: string; message: string }> | undefined;
      // Settled: the controller deleted what it could (the default ServiceAccount, kube-root-ca.crt), the held ConfigMap remains.
      const settled = c?.find((x) => x.type === 'NamespaceFinalizersRemaining' && x.status === 'True')
        && c.find((x) => x.type === 'NamespaceContentRemaining' && /^Some resources are remaining: configmaps\. has 1 resource instances$/.test(x.message));
      return settled ? c : undefined;
    }, 20_000);
    const byType = Object.fromEntries(conds.map((c) => [c.type, c]));
    assert.equal(byType.NamespaceFinalizersRemaining.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.deepEqual([byType.NamespaceContentRemaining.status, byType.NamespaceContentRemaining.reason], ['True', 'SomeResourcesRemain']);
    assert.match(byType.NamespaceContentRemaining.message, /^Some resources are remaining: configmaps\. has 1 resource instances/);
    assert.equal((await raw('GET', '/api/v1/namespaces/doomed')).body.status.phase, 'Terminating');
    await raw('PATCH', '/api/v1/namespaces/doomed/configmaps/held', JSON.stringify({ metadata: { finalizers: null } }), 'application/merge-patch+json');
    await eventually('namespace gone', async () => (await raw('GET', '/api/v1/namespaces/doomed')).code === 404 || undefined, 20_000);
  });

  it('namespace deletion sees an object served in two versions once (events and events.k8s.io/v1 share one storage)', async () => {
    await raw('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'doomed-events' } }));
    const ev = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e.1', finalizers: ['example.com/hold'] }, eventTime: '2026-11-30T10:00:00.000000Z', regarding: { kind: 'Pod', name: 'p', namespace: 'doomed-events' }, reason: 'Started', note: 'n', type: 'Normal', action: 'Start', reportingController: 'kubelet', reportingInstance: 'node-1' };
    assert.equal((await raw('POST', '/apis/events.k8s.io/v1/namespaces/doomed-events/events', JSON.stringify(ev))).code, 201);
    assert.equal((await raw('DELETE', '/api/v1/namespaces/doomed-events')).code, 200);
    const conds = await eventually('deletion conditions', async () => {
      const c = (await raw('GET', '/api/v1/namespaces/doomed-events')).body?.status?.conditions as Array<{ type: string; status: string; message: string }> | undefined;
      // Settled: the controller deleted what it could (the default ServiceAccount, kube-root-ca.crt), the held Event remains.
      const settled = c?.find((x) => x.type === 'NamespaceFinalizersRemaining' && x.status === 'True')
        && c.find((x) => x.type === 'NamespaceContentRemaining' && /^Some resources are remaining: events\. has 1 resource instances$/.test(x.message));
      return settled ? c : undefined;
    }, 20_000);
    const byType = Object.fromEntries(conds.map((c) => [c.type, c]));
    assert.match(byType.NamespaceContentRemaining.message, /^Some resources are remaining: .*\bevents\. has 1 resource instances/);
    assert.doesNotMatch(byType.NamespaceContentRemaining.message, /events\.events\.k8s\.io/);
    assert.equal(byType.NamespaceFinalizersRemaining.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    const deleting = await raw('GET', '/apis/events.k8s.io/v1/namespaces/doomed-events/events/e.1');
    assert.ok(deleting.body.metadata.deletionTimestamp);
    await raw('PATCH', '/apis/events.k8s.io/v1/namespaces/doomed-events/events/e.1', JSON.stringify({ metadata: { finalizers: null } }), 'application/merge-patch+json');
    await eventually('namespace gone', async () => (await raw('GET', '/api/v1/namespaces/doomed-events')).code === 404 || undefined, 20_000);
  });

  it('every namespace gets kube-root-ca.crt; the system PriorityClasses exist', async () => {
    const cm = await eventually('kube-root-ca.crt', async () => (await raw('GET', '/api/v1/namespaces/kube-public/configmaps/kube-root-ca.crt')).body?.data, 10_000);
    assert.match(cm['ca.crt'], /^-----BEGIN CERTIFICATE-----/);
    await raw('DELETE', '/api/v1/namespaces/kube-public/configmaps/kube-root-ca.crt');
    await eventually('kube-root-ca.crt recreated', async () => (await raw('GET', '/api/v1/namespaces/kube-public/configmaps/kube-root-ca.crt')).code === 200 || undefined, 10_000);
    const pcs = (await raw('GET', '/apis/scheduling.k8s.io/v1/priorityclasses')).body.items.map((p: { metadata: { name: string }; value: number }) => [p.metadata.name, p.value]);
    assert.deepEqual(pcs, [['system-cluster-critical', 2000000000], ['system-node-critical', 2000001000]]);
  });

  it('a Deployment becomes a ReplicaSet and bound pods; the default ServiceAccount and kubernetes Service exist', async () => {
    await client.resource(resources.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'fake' }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
    await client.resource(resources.deployments).create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const pods = await eventually('3 bound pods', async () => {
      const l = await client.resource(resources.pods).list({ namespace: 'default', labelSelector: 'app=d' });
      return l.items.length === 3 && l.items.every((p) => (p.spec as { nodeName?: string }).nodeName === 'fake') ? l.items : undefined;
    }, 20_000);
    const rs = (await client.resource(resources.replicasets).list({ namespace: 'default' })).items;
    assert.equal(rs.length, 1);
    assert.match(rs[0].metadata.name!, /^d-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(pods[0].metadata.ownerReferences![0].name, rs[0].metadata.name);
    await client.resource(resources.serviceaccounts).get('default', { namespace: 'kube-system' });
    const svc = await client.resource(resources.services).get('kubernetes', { namespace: 'default' });
    assert.equal((svc.spec as { clusterIP: string }).clusterIP, '10.96.0.1');
    assert.ok((await client.resource(resources.nodes).get('fake')).spec);
    await eventually('podCIDR', async () => ((await client.resource(resources.nodes).get('fake')).spec as { podCIDR?: string }).podCIDR === '10.244.0.0/24', 10_000);
  });

  it('deleting the Deployment garbage-collects its ReplicaSet and pods', async () => {
    await client.resource(resources.deployments).delete('d', { namespace: 'default', propagationPolicy: 'Background' });
    await eventually('pods gone or terminating', async () => {
      const l = await client.resource(resources.pods).list({ namespace: 'default', labelSelector: 'app=d' });
      return l.items.every((p) => p.metadata.deletionTimestamp) ? true : undefined;
    }, 20_000);
    await eventually('rs gone', async () => (await client.resource(resources.replicasets).list({ namespace: 'default' })).items.length === 0, 20_000);
  });

  it('an unschedulable pod gets FailedScheduling and PodScheduled=False', async () => {
    await client.resource(resources.pods).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nowhere', namespace: 'default' }, spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'busybox' }] } });
    const ev = await eventually('FailedScheduling', async () => (await client.resource<KubeObject & { reason?: string; message?: string }>(resources.events).list({ namespace: 'default', fieldSelector: 'involvedObject.name=nowhere,reason=FailedScheduling' })).items[0], 15_000);
    assert.match(ev.message!, /^0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector\./);
    const p = await client.resource(resources.pods).get('nowhere', { namespace: 'default' });
    assert.equal((p.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === 'PodScheduled')!.status, 'False');
  });

  it('leader election: one leader at a time; a released lease passes to the other candidate at once', async () => {
    const leading: string[] = [];
    const a = new AbortController();
    const b = new AbortController();
    const candidate = (id: string, signal: AbortSignal) => runWithLeaderElection({ client, name: 'test-lock', identity: id, signal, retryPeriodMs: 100, leaseDurationMs: 3000, renewDeadlineMs: 2000 }, async (s) => {
      leading.push(id);
      await new Promise<void>((r) => s.addEventListener('abort', () => r(), { once: true }));
      leading.splice(leading.indexOf(id), 1);
    });
    const pa = candidate('a', a.signal);
    await eventually('a leads', () => leading.includes('a'), 5000, 20);
    const pb = candidate('b', b.signal);
    await new Promise((r) => setTimeout(r, 400)); // b campaigns several rounds meanwhile
    assert.deepEqual(leading, ['a']);
    const lease = await client.resource(resources.leases).get('test-lock', { namespace: 'kube-system' });
    assert.equal((lease.spec as { holderIdentity: string }).holderIdentity, 'a');
    const t0 = Date.now();
    a.abort();
    await pa;
    await eventually('b leads', () => leading.includes('b'), 5000, 20);
    assert.ok(Date.now() - t0 < 2500, 'the released lease did not have to expire');
    b.abort();
    await pb;
  });

  it('watch through the client sees changes from a resourceVersion', async () => {
    const cms = client.resource(resources.configmaps);
    const list = await cms.list({ namespace: 'default' });
    const w = new AbortController();
    const seen: string[] = [];
    const done = (async () => { for await (const e of cms.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion, signal: w.signal })) { seen.push(`${e.type} ${e.object.metadata.name}`); if (seen.length === 2) w.abort(); } })();
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1', namespace: 'default' } });
    await cms.delete('w1', { namespace: 'default' });
    await done;
    assert.deepEqual(seen, ['ADDED w1', 'DELETED w1']);
  });
});
