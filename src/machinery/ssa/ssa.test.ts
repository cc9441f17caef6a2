import { test } from 'node:test';
import assert from 'node:assert/strict';
import { structuralSchema } from '../../api/structural/structural-schema.js';
import { apply, ApplyConflict } from './apply.js';
import { trackUpdate } from './update.js';
import { fieldsOf, fromFieldsV1, paths, toFieldsV1 } from './fieldset.js';
import { pathToString } from './path.js';
import type { SsaSchema } from './schema.js';

const deploy = structuralSchema('k8s.io.api.apps.v1.Deployment', { openApi: true }) as unknown as SsaSchema;
const cm = structuralSchema('k8s.io.api.core.v1.ConfigMap', { openApi: true }) as unknown as SsaSchema;
const pod = structuralSchema('k8s.io.api.core.v1.Pod', { openApi: true }) as unknown as SsaSchema;
const T0 = '2024-01-01T00:00:00Z', T1 = '2024-01-01T00:01:00Z';
const dopts = (manager: string, force = false) => ({ manager, force, schema: deploy, apiVersion: 'apps/v1', now: T0 });

const dep = (extra: Record<string, unknown> = {}, image = 'nginx') => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns', labels: { app: 'd' } },
  spec: {
    replicas: 2, selector: { matchLabels: { app: 'd' } },
    template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image }] } }, ...extra,
  },
});

test('create by apply: owns exactly the config fields, FieldsV1 as upstream', () => {
  const r = apply(undefined, dep(), dopts('mgr'));
  assert.equal(r.managedFields.length, 1);
  const e = r.managedFields[0];
  assert.deepEqual({ ...e, fieldsV1: undefined }, { manager: 'mgr', operation: 'Apply', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: undefined });
  assert.equal(JSON.stringify(e.fieldsV1), JSON.stringify({
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': {
      // Upstream LabelSelector is atomic (+structType=atomic); the project schema does not mark it, so it is granular here.
      'f:replicas': {}, 'f:selector': { 'f:matchLabels': { 'f:app': {} } },
      'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
    },
  }));
  assert.equal((r.object.spec as { replicas: number }).replicas, 2);
  assert.deepEqual((r.object.metadata as { managedFields: unknown }).managedFields, r.managedFields);
});

test('re-apply with a field removed removes it; same config is a no-op keeping times', () => {
  const a = apply(undefined, dep({ paused: true, minReadySeconds: 5 }), dopts('mgr')).object;
  const b = apply(a, dep({ paused: true }), { ...dopts('mgr'), now: T1 });
  const spec = b.object.spec as Record<string, unknown>;
  assert.equal(spec.minReadySeconds, undefined);
  assert.equal(spec.paused, true);
  assert.equal(b.managedFields[0].time, T1);
  const c = apply(b.object, dep({ paused: true }), { ...dopts('mgr'), now: '2024-01-02T00:00:00Z' });
  assert.equal(c.changed, false);
  assert.equal(c.managedFields[0].time, T1);
});

test('removed field owned by another manager stays', () => {
  const a = apply(undefined, dep({ paused: true }), dopts('a')).object;
  const b = apply(a, dep({ paused: true }), dopts('b')).object; // shared ownership, no conflict
  assert.equal(b.metadata && (b.metadata as { managedFields: unknown[] }).managedFields.length, 2);
  const c = apply(b, dep(), dopts('a')).object;
  assert.equal((c.spec as Record<string, unknown>).paused, true);
});

test('a second manager with a differing value conflicts with the upstream message', () => {
  const a = apply(undefined, dep(), dopts('a')).object;
  assert.throws(() => apply(a, { ...dep(), spec: { ...dep().spec, replicas: 3 } }, dopts('b')), (e: unknown) => {
    assert.ok(e instanceof ApplyConflict);
    assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "a": .spec.replicas');
    assert.deepEqual(e.conflicts.map((c) => [c.manager, c.path]), [['a', '.spec.replicas']]);
    return true;
  });
  // Two fields, list item path.
  const two = dep({ replicas: 5 }, 'nginx:2');
  assert.throws(() => apply(a, two, dopts('b')), (e: unknown) => {
    assert.ok(e instanceof ApplyConflict);
    assert.equal(e.message, 'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.replicas\n- .spec.template.spec.containers[name="c"].image');
    return true;
  });
});

test('force takes ownership', () => {
  const a = apply(undefined, dep({ paused: true }), dopts('a')).object;
  const r = apply(a, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 7 } }, dopts('b', true));
  assert.equal((r.object.spec as { replicas: number }).replicas, 7);
  const byName = Object.fromEntries(r.managedFields.map((e) => [e.manager, e]));
  assert.equal(JSON.stringify(byName.b.fieldsV1), '{"f:spec":{"f:replicas":{}}}');
  assert.ok(!('f:replicas' in (byName.a.fieldsV1!['f:spec'])));
  assert.ok('f:paused' in (byName.a.fieldsV1!['f:spec']));
  // a re-applies without replicas: replicas stays (b owns it)
  const r2 = apply(r.object, dep({ paused: true, replicas: undefined }), dopts('a'));
  assert.equal((r2.object.spec as { replicas: number }).replicas, 7);
});

test('map-keyed lists merge by key; other managers items keep position', () => {
  const p0 = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'j' }] } };
  const po = (m: string) => ({ manager: m, force: false, schema: pod, apiVersion: 'v1', now: T0 });
  const r1 = apply(undefined, p0, po('one')).object;
  const r2 = apply(r1, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'k' }, { name: 'a', env: [{ name: 'X', value: '1' }] }] } }, po('two'));
  const cs = (r2.object.spec as { containers: { name: string; image?: string; env?: unknown[] }[] }).containers;
  assert.deepEqual(cs.map((c) => c.name), ['c', 'a', 'b']);
  assert.equal(cs[1].image, 'i');
  assert.deepEqual(cs[1].env, [{ name: 'X', value: '1' }]);
  const two = r2.managedFields.find((e) => e.manager === 'two')!;
  assert.deepEqual(Object.keys(two.fieldsV1!['f:spec']['f:containers']), ['k:{"name":"a"}', 'k:{"name":"c"}']);
  // ports with two keys: sorted key names
  const f = fieldsOf({ spec: { containers: [{ name: 'a', ports: [{ protocol: 'TCP', containerPort: 80 }] }] } }, pod);
  assert.deepEqual(paths(f).map(pathToString), ['.spec.containers[name="a"]', '.spec.containers[name="a"].name',
    '.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"]', '.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"].containerPort',
    '.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"].protocol']);
  assert.ok('k:{"containerPort":80,"protocol":"TCP"}' in toFieldsV1(f)['f:spec']['f:containers']['k:{"name":"a"}']['f:ports']);
});

test('client-side Update then Apply of the same field by another manager conflicts', () => {
  const created = dep();
  const mf = trackUpdate(undefined, created, { manager: 'kubectl-client-side-apply', operation: 'Update', schema: deploy, apiVersion: 'apps/v1', now: T0 });
  assert.equal(mf.length, 1);
  const f = mf[0].fieldsV1!;
  assert.deepEqual(f['f:metadata']['f:labels'], { '.': {}, 'f:app': {} });
  assert.ok(!('.' in f['f:metadata']) && !('f:name' in f['f:metadata']) && !('.' in f['f:spec']));
  assert.deepEqual(f['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"c"}'], { '.': {}, 'f:image': {}, 'f:name': {} });
  const live = { ...created, metadata: { ...created.metadata, managedFields: mf } };
  assert.throws(() => apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 3 } }, dopts('ssa')), (e: unknown) => {
    assert.ok(e instanceof ApplyConflict);
    assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    return true;
  });
  // Same value: shared, no conflict.
  const ok = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2 } }, dopts('ssa'));
  assert.equal(ok.managedFields.length, 2);
  assert.equal(ok.managedFields[0].operation, 'Apply');
  // An Update changing replicas takes it from the applier.
  const next: Record<string, unknown> = { ...ok.object, spec: { ...(ok.object.spec as object), replicas: 9 } };
  const mf2 = trackUpdate(ok.object, next, { manager: 'hpa', operation: 'Update', schema: deploy, apiVersion: 'apps/v1', now: T1 });
  const hpa = mf2.find((e) => e.manager === 'hpa')!;
  assert.equal(JSON.stringify(hpa.fieldsV1), '{"f:spec":{"f:replicas":{}}}');
  assert.equal(mf2.find((e) => e.manager === 'ssa'), undefined);
  // no-op update keeps everything
  const mf3 = trackUpdate({ ...next, metadata: { ...(next.metadata as object), managedFields: mf2 } }, next, { manager: 'x', operation: 'Update', schema: deploy, apiVersion: 'apps/v1', now: '2030-01-01T00:00:00Z' });
  assert.deepEqual(mf3, mf2);
});

test('ConfigMap data keys, status ignored, before-first-apply', () => {
  const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } };
  const o = { manager: 'm', force: false, schema: cm, apiVersion: 'v1', now: T0 };
  assert.throws(() => apply(live, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'x' } }, o),
    /conflict with "before-first-apply" using v1: \.data\.a/);
  const r = apply(live, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', c: '3' } }, o);
  assert.deepEqual(r.object.data, { a: '1', b: '2', c: '3' });
  const d = apply(undefined, { ...dep(), status: { replicas: 3 } }, dopts('m'));
  assert.ok(!('f:status' in d.managedFields[0].fieldsV1!));
});

test('FieldsV1 round trip', () => {
  const s = fieldsOf(dep({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }), deploy);
  const j = toFieldsV1(s);
  const back = fromFieldsV1(JSON.stringify(j));
  assert.deepEqual(paths(back), paths(s));
  assert.equal(JSON.stringify(toFieldsV1(back)), JSON.stringify(j));
  const withDot = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } };
  assert.equal(JSON.stringify(toFieldsV1(fromFieldsV1(withDot))), JSON.stringify(withDot));
});

test('performance: many writes of a few hundred fields stay fast', () => {
  const env = Array.from({ length: 150 }, (_, i) => ({ name: 'E' + i, value: String(i) }));
  const big = dep();
  (big.spec.template.spec.containers[0] as Record<string, unknown>).env = env;
  let obj: object | undefined;
  const t = Date.now();
  for (let i = 0; i < 200; i++) obj = apply(obj, { ...big, spec: { ...big.spec, replicas: i } }, dopts('m')).object;
  assert.ok(Date.now() - t < 5000, `took ${Date.now() - t}ms`);
});
