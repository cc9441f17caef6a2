import { builtinResourceTable } from '../../api/builtin-resources.js';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import type { Storage } from '../../storage/interface.js';
import { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import { newCacher } from '../../storage/cacher/cacher.js';
import { StatusError } from '../../machinery/errors.js';
import { createRegistry } from './index.js';
import { widgetDefinition } from '../../api/resource-table.test.js';
import type { Registry, RequestContext, WatchEvent } from './rest.js';

const ctx = (namespace = 'default'): RequestContext => ({ user: { username: 'admin', groups: ['system:masters'] }, namespace });
const status = async (p: Promise<unknown>): Promise<{ code: number; reason?: string; message?: string }> => {
  try { await p; } catch (e) { if (e instanceof StatusError) return e.status; throw e; }
  throw new Error('expected an error');
};
const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...extra } });

describe('registry over SQLite', () => {
  let storage: Storage;
  let reg: Registry;
  const pods = () => reg.lookup('', 'v1', 'pods')!;
  before(async () => {
    storage = await newCacher(await openSqliteStorage({ path: ':memory:', compactIntervalMs: 0 }));
    reg = createRegistry(storage, { table: builtinResourceTable() });
    for (const name of ['default', 'other']) await reg.lookup('', 'v1', 'namespaces')!.create!(ctx(''), { metadata: { name } });
  });
  after(() => storage.close());

  it('create: defaults, system fields, 409 on duplicates, 404 for a missing namespace, 422 with field path', async () => {
    const p = await pods().create!(ctx(), pod('a'));
    assert.equal(p.metadata.namespace, 'default');
    assert.match(p.metadata.uid!, /^[0-9a-f-]{36}$/);
    assert.equal((p.spec as { serviceAccountName: string }).serviceAccountName, 'default');
    assert.equal((p.status as { phase: string }).phase, 'Pending');
    assert.equal((await status(pods().create!(ctx(), pod('a')))).code, 409);
    const nf = await status(pods().create!(ctx('nope'), pod('x')));
    assert.deepEqual([nf.code, nf.message], [404, 'namespaces "nope" not found']);
    const inv = await status(pods().create!(ctx(), { metadata: { name: 'e' }, spec: { containers: [] } }));
    assert.deepEqual([inv.code, inv.reason, inv.message], [422, 'Invalid', 'Pod "e" is invalid: spec.containers: Required value']);
    const gen = await pods().create!(ctx(), { metadata: { generateName: 'web-' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    assert.match(gen.metadata.name!, /^web-[a-z0-9]{5}$/);
    // A generated name that is taken is made again (KEP-4420); a chosen one is a 409.
    const random = Math.random;
    let calls = 0;
    Math.random = () => (calls++ < 10 ? 0 : random());   // the first two generated names are the same
    try {
      const first = await pods().create!(ctx(), { metadata: { generateName: 'dup-' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
      const second = await pods().create!(ctx(), { metadata: { generateName: 'dup-' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
      assert.equal(first.metadata.name, 'dup-bbbbb');
      assert.match(second.metadata.name!, /^dup-[a-z0-9]{5}$/);
      assert.notEqual(second.metadata.name, first.metadata.name);
    } finally { Math.random = random; }
    assert.equal((await status(pods().create!(ctx(), pod('a')))).code, 409);
    const mismatch = await status(pods().create!(ctx('other'), { metadata: { name: 'm', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }] } }));
    assert.equal(mismatch.code, 400);
  });

  it('update: optimistic concurrency (409) and status ignored on the main resource', async () => {
    const cms = reg.lookup('', 'v1', 'configmaps')!;
    const cm = await cms.create!(ctx(), { metadata: { name: 'cm' }, data: { a: '1' } });
    const up = await cms.update!(ctx(), 'cm', { ...cm, data: { a: '2' } });
    assert.equal((up.object.data as { a: string }).a, '2');
    const stale = await status(cms.update!(ctx(), 'cm', { ...cm, data: { a: '3' } }));
    assert.equal(stale.code, 409);
    assert.match(stale.message!, /the object has been modified; please apply your changes to the latest version and try again/);
    const p = await pods().get!(ctx(), 'a');
    const u = await pods().update!(ctx(), 'a', { ...p, status: { phase: 'Running' } });
    assert.equal((u.object.status as { phase: string }).phase, 'Pending');
    const s = await reg.lookup('', 'v1', 'pods', 'status')!.update!(ctx(), 'a', { ...u.object, status: { phase: 'Running' } });
    assert.equal((s.object.status as { phase: string }).phase, 'Running');
  });

  it('patch: merge, strategic and JSON', async () => {
    const m = await pods().patch!(ctx(), 'a', 'merge', { metadata: { labels: { extra: 'y' } } });
    assert.equal(m.metadata.labels!.extra, 'y');
    const s = await pods().patch!(ctx(), 'a', 'strategic', { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } });
    assert.equal((s.spec as { containers: Array<{ image: string }> }).containers[0].image, 'busybox:2');
    const j = await pods().patch!(ctx(), 'a', 'json', [{ op: 'add', path: '/metadata/annotations', value: { k: 'v' } }]);
    assert.deepEqual(j.metadata.annotations, { k: 'v' });
  });

  it('binding assigns a node once; graceful deletion of a bound pod, immediate for an unbound one', async () => {
    const binding = reg.lookup('', 'v1', 'pods', 'binding')!;
    await binding.create!(ctx(), { metadata: { name: 'a' }, target: { kind: 'Node', name: 'n1' } }, 'a');
    assert.equal(((await pods().get!(ctx(), 'a')).spec as { nodeName: string }).nodeName, 'n1');
    const again = await status(binding.create!(ctx(), { metadata: { name: 'a' }, target: { kind: 'Node', name: 'n2' } }, 'a'));
    assert.deepEqual([again.code, again.message], [409, 'Operation cannot be fulfilled on pods "a": pod a is already assigned to node "n1"']);
    const d = await pods().delete!(ctx(), 'a', {});
    assert.equal(d.deleted, false);
    assert.ok(d.object.metadata.deletionTimestamp);
    assert.equal(d.object.metadata.deletionGracePeriodSeconds, 30);
    const final = await pods().delete!(ctx(), 'a', { gracePeriodSeconds: 0 });
    assert.equal(final.deleted, true);
    await pods().create!(ctx(), pod('unbound'));
    assert.equal((await pods().delete!(ctx(), 'unbound', {})).deleted, true);
  });

  it('list: label and field selectors, pagination, unsupported field label', async () => {
    for (const n of ['l1', 'l2', 'l3']) await pods().create!(ctx('other'), { metadata: { name: n, labels: { tier: n === 'l3' ? 'db' : 'fe' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const fe = await pods().list!(ctx('other'), { labelSelector: 'tier=fe' });
    assert.deepEqual(fe.items.map((p) => p.metadata.name), ['l1', 'l2']);
    assert.equal(fe.kind, 'PodList');
    const byName = await pods().list!(ctx(''), { fieldSelector: 'metadata.name=l3' });
    assert.deepEqual(byName.items.map((p) => p.metadata.namespace), ['other']);
    const page = await pods().list!(ctx('other'), { limit: 2 });
    assert.equal(page.items.length, 2);
    const rest = await pods().list!(ctx('other'), { limit: 2, continue: page.metadata.continue });
    assert.deepEqual(rest.items.map((p) => p.metadata.name), ['l3']);
    assert.equal((await status(pods().list!(ctx(), { fieldSelector: 'spec.bogus=x' }))).code, 400);
  });

  it('watch: initial ADDED then live changes, selector transitions', async () => {
    const ac = new AbortController();
    const it = pods().watch!(ctx('other'), { labelSelector: 'tier=fe', signal: ac.signal })[Symbol.asyncIterator]();
    const events: WatchEvent[] = [];
    const collect = async (n: number) => { while (events.length < n) events.push((await it.next()).value as WatchEvent); };
    await collect(2);
    assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED l1', 'ADDED l2']);
    await pods().patch!(ctx('other'), 'l3', 'merge', { metadata: { labels: { tier: 'fe' } } });
    await pods().patch!(ctx('other'), 'l1', 'merge', { metadata: { labels: { tier: 'db' } } });
    await collect(4);
    assert.deepEqual(events.slice(2).map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED l3', 'DELETED l1']);
    ac.abort();
  });

  it('services get a cluster IP from the range; taken or foreign IPs are 422', async () => {
    const svcs = reg.lookup('', 'v1', 'services')!;
    const a = await svcs.create!(ctx(), { metadata: { name: 's1' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const spec = a.spec as { clusterIP: string; clusterIPs: string[]; ports: Array<{ targetPort: number; protocol: string }> };
    assert.match(spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\./);
    assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
    assert.deepEqual([spec.ports[0].targetPort, spec.ports[0].protocol], [80, 'TCP']);
    assert.equal((await status(svcs.create!(ctx(), { metadata: { name: 's2' }, spec: { clusterIP: spec.clusterIP, ports: [{ port: 80 }] } }))).code, 422);
    assert.equal((await status(svcs.create!(ctx(), { metadata: { name: 's3' }, spec: { clusterIP: '192.168.1.1', ports: [{ port: 80 }] } }))).code, 422);
  });

  it('service addresses: random ClusterIPs from the upper band, never twice under concurrent creates; NodePorts allocated; a static IP is free again at once after its Service goes', async () => {
    const svcs = reg.lookup('', 'v1', 'services')!;
    const created = await Promise.all(Array.from({ length: 30 }, (_, i) => svcs.create!(ctx(), { metadata: { name: `c${i}` }, spec: { ports: [{ port: 80 }] } })));
    const ips = created.map((o) => (o.spec as { clusterIP: string }).clusterIP);
    assert.equal(new Set(ips).size, 30, 'distinct');
    const offset = (ip: string) => ip.split('.').map(Number).reduce((a, b) => a * 256 + b, 0) - (10 * 2 ** 24 + 96 * 2 ** 16);
    assert.ok(ips.every((ip) => offset(ip) > 256), `dynamic IPs come from above the static band: ${ips.slice(0, 5)}`);
    assert.ok(!ips.every((ip, i) => i === 0 || offset(ip) === offset(ips[i - 1]) + 1), 'not handed out in order');
    // NodePort: every port gets one from 30000-32767, above the static band (30086); a taken one is refused.
    const np = await svcs.create!(ctx(), { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81, nodePort: 30007 }] } });
    const ports = (np.spec as { ports: Array<{ nodePort: number }> }).ports.map((p) => p.nodePort);
    assert.ok(ports[0] >= 30086 && ports[0] <= 32767, String(ports[0]));
    assert.equal(ports[1], 30007);
    const taken = await status(svcs.create!(ctx(), { metadata: { name: 'np2' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30007 }] } }));
    assert.deepEqual([taken.code, taken.message], [422, 'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30007: provided port is already allocated']);
    const lb = await svcs.create!(ctx(), { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] } });
    assert.equal((lb.spec as { ports: Array<{ nodePort?: number }> }).ports[0].nodePort, undefined);
    // Delete then recreate with the same static address (kubectl replace --force).
    const fixed = await svcs.create!(ctx(), { metadata: { name: 'fixed' }, spec: { clusterIP: '10.96.0.50', ports: [{ port: 80 }] } });
    assert.equal((fixed.spec as { clusterIP: string }).clusterIP, '10.96.0.50');
    await svcs.delete!(ctx(), 'fixed', {});
    const again = await svcs.create!(ctx(), { metadata: { name: 'fixed2' }, spec: { clusterIP: '10.96.0.50', ports: [{ port: 80 }] } });
    assert.equal((again.spec as { clusterIP: string }).clusterIP, '10.96.0.50');
    // The first address is the kubernetes Service's: asked for explicitly it is allowed, never given out dynamically.
    assert.ok(!ips.includes('10.96.0.1'));
  });

  it('scale subresource reads and writes spec.replicas; generation tracks spec changes', async () => {
    const deps = reg.lookup('apps', 'v1', 'deployments')!;
    const d = await deps.create!(ctx(), { metadata: { name: 'd' }, spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    assert.equal(d.metadata.generation, 1);
    const scale = reg.lookup('apps', 'v1', 'deployments', 'scale')!;
    const s = await scale.get!(ctx(), 'd');
    assert.deepEqual([s.kind, (s.spec as { replicas: number }).replicas, (s.status as { selector: string }).selector], ['Scale', 2, 'app=d']);
    await scale.patch!(ctx(), 'd', 'merge', { spec: { replicas: 5 } });
    const after = await deps.get!(ctx(), 'd');
    assert.equal((after.spec as { replicas: number }).replicas, 5);
    assert.equal(after.metadata.generation, 2);
    // The write through /scale is recorded as such in managedFields (upstream: subresource "scale").
    const entries = after.metadata.managedFields as Array<{ manager: string; operation: string; subresource?: string; fieldsV1?: unknown }>;
    const scaled = entries.find((e) => e.subresource === 'scale');
    assert.ok(scaled, JSON.stringify(entries));
    assert.equal(scaled.operation, 'Update');
    assert.deepEqual(scaled.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  });

  it('ephemeral containers: only through their subresource, only added, without pod-service fields', async () => {
    const onCreate = await status(pods().create!(ctx(), pod('eph', { ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] })));
    assert.deepEqual([onCreate.code, onCreate.message], [422, 'Pod "eph" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create']);
    await pods().create!(ctx(), pod('eph'));
    const eph = reg.lookup('', 'v1', 'pods', 'ephemeralcontainers')!;
    const added = await eph.patch!(ctx(), 'eph', 'strategic', { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox', targetContainerName: 'c', stdin: true, tty: true }] } });
    const ec = (added.spec as { ephemeralContainers: Array<Record<string, unknown>> }).ephemeralContainers;
    assert.deepEqual([ec.length, ec[0].name, ec[0].targetContainerName, ec[0].terminationMessagePolicy], [1, 'dbg', 'c', 'File']);
    // Other fields sent to the subresource are ignored; the pod's labels stay.
    const other = await eph.patch!(ctx(), 'eph', 'merge', { metadata: { labels: { x: 'y' } }, spec: { ephemeralContainers: [...ec, { name: 'dbg2', image: 'busybox' }] } });
    assert.deepEqual(other.metadata.labels, { app: 'web' });
    const changed = await status(eph.patch!(ctx(), 'eph', 'merge', { spec: { ephemeralContainers: [{ ...ec[0], image: 'other' }] } }));
    assert.equal(changed.code, 422);
    assert.match(changed.message!, /existing ephemeral containers "dbg" may not be changed/);
    assert.match(changed.message!, /existing ephemeral containers "dbg2" may not be removed/);
    const forbidden = await status(eph.patch!(ctx(), 'eph', 'strategic', { spec: { ephemeralContainers: [{ name: 'dbg3', image: 'b', ports: [{ containerPort: 80 }], targetContainerName: 'nope' }] } }));
    // A strategic merge patch without $setElementOrder puts the new element before the live ones (upstream's mergeSortedSlice).
    assert.match(forbidden.message!, /spec\.ephemeralContainers\[0\]\.ports: Forbidden: cannot be set for an Ephemeral Container/);
    assert.match(forbidden.message!, /spec\.ephemeralContainers\[0\]\.targetContainerName: Not found: "nope"/);
    const dup = await status(eph.patch!(ctx(), 'eph', 'strategic', { spec: { ephemeralContainers: [{ name: 'c', image: 'b' }] } }));
    assert.match(dup.message!, /spec\.ephemeralContainers\[0\]\.name: Duplicate value: "c"/);
    // The main resource cannot change them.
    const main = await pods().get!(ctx(), 'eph');
    const viaMain = await status(pods().update!(ctx(), 'eph', { ...main, spec: { ...(main.spec as object), ephemeralContainers: [] } }).then(() => undefined));
    assert.equal(viaMain.code, 422);
    // Templates may not carry them.
    const tmpl = await status(reg.lookup('apps', 'v1', 'deployments')!.create!(ctx(), { metadata: { name: 'e' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }], ephemeralContainers: [{ name: 'd', image: 'i' }] } } } }));
    assert.match(tmpl.message!, /spec\.template\.spec\.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template/);
  });

  it('namespace deletion waits for the finalize subresource', async () => {
    const nss = reg.lookup('', 'v1', 'namespaces')!;
    await nss.create!(ctx(''), { metadata: { name: 'tmp' } });
    const d = await nss.delete!(ctx(''), 'tmp', {});
    assert.equal(d.deleted, false);
    assert.equal((d.object.status as { phase: string }).phase, 'Terminating');
    assert.equal((await status(pods().create!(ctx('tmp'), pod('x')))).code, 403);
    await reg.lookup('', 'v1', 'namespaces', 'finalize')!.update!(ctx(''), 'tmp', { metadata: { name: 'tmp' }, spec: { finalizers: [] } });
    assert.equal((await status(nss.get!(ctx(''), 'tmp'))).code, 404);
  });
});

describe('registry: kinds added to the table at run time', () => {
  it('are served once added and gone once removed', async () => {
    const storage = await newCacher(await openSqliteStorage({ path: ':memory:', compactIntervalMs: 0 }));
    const table = builtinResourceTable();
    const reg = createRegistry(storage, { table });
    await reg.lookup('', 'v1', 'namespaces')!.create!(ctx(''), { metadata: { name: 'default' } });
    assert.equal(reg.lookup('example.com', 'v1', 'widgets'), undefined);
    table.add(widgetDefinition);
    const widgets = reg.lookup('example.com', 'v1', 'widgets')!;
    assert.ok(reg.resources().some((r) => r.plural === 'widgets'));
    const w = await widgets.create!(ctx(), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } });
    assert.equal(w.metadata.namespace, 'default');
    assert.equal((await widgets.get!(ctx(), 'w1')).kind, 'Widget');
    table.remove('example.com', 'v1', 'widgets');
    assert.equal(reg.lookup('example.com', 'v1', 'widgets'), undefined);
    await storage.close();
  });
});

