import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { ResourceClient } from '../client/interface.js';
import { StaticPodSource, staticPodFromManifest, CONFIG_HASH, CONFIG_MIRROR, CONFIG_SEEN, CONFIG_SOURCE, isMirrorPod } from './static-pods.js';
import { mirrorPodFor, isMirrorOf } from './mirror-pods.js';
import { syncStaticKey, type StaticPodSyncContext } from './static-pod-sync.js';
import { tempDirs } from '../../test/support/temp-dirs.js';

const temp = tempDirs();
after(() => temp.removeAll());

const yamlPod = (image = 'busybox') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: kube-system\nspec:\n  containers:\n  - name: c\n    image: ${image}\n`;

it('a manifest becomes a static pod named <name>-<node> with upstream annotations', () => {
  const p = staticPodFromManifest(yamlPod(), '/m/web.yaml', 'Node1', Date.UTC(2026, 0, 1, 0, 0, 0, 123));
  assert.equal(p.metadata.name, 'web-node1');
  assert.equal(p.metadata.namespace, 'kube-system');
  assert.match(p.metadata.uid!, /^[0-9a-f]{32}$/);
  assert.deepEqual(p.metadata.annotations, { [CONFIG_HASH]: p.metadata.uid, [CONFIG_SEEN]: '2026-01-01T00:00:00.123Z', [CONFIG_SOURCE]: 'file' });
  assert.equal(p.spec!.nodeName, 'Node1');
  assert.equal(p.spec!.restartPolicy, 'Always');
  assert.deepEqual(p.spec!.tolerations, [{ operator: 'Exists', effect: 'NoExecute' }]);
  // JSON too; the uid depends on content, node and file.
  const j = staticPodFromManifest(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }), '/m/web.json', 'node1');
  assert.equal(j.metadata.namespace, 'default');
  assert.notEqual(staticPodFromManifest(yamlPod('nginx'), '/m/web.yaml', 'Node1').metadata.uid, p.metadata.uid);
  assert.equal(staticPodFromManifest(yamlPod(), '/m/web.yaml', 'Node1').metadata.uid, p.metadata.uid);
  assert.throws(() => staticPodFromManifest('kind: Deployment\napiVersion: apps/v1\nmetadata: {name: x}\n', '/m/x', 'n'), /want a v1 Pod/);
  assert.throws(() => staticPodFromManifest('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: c}]}\n', '/m/x', 'n'), /image/);
});

it('the source notices added, changed and removed manifests and skips bad ones', () => {
  const dir = temp.make('static-pods-');
  const changes: string[] = [];
  const logs: string[] = [];
  const src = new StaticPodSource({ dir, nodeName: 'n1', onChange: (k) => changes.push(k), log: (m) => logs.push(m) });
  src.scan();
  assert.deepEqual(changes, []);
  writeFileSync(join(dir, 'web.yaml'), yamlPod());
  writeFileSync(join(dir, 'bad.yaml'), 'kind: Pod\napiVersion: v1\n');
  writeFileSync(join(dir, '.hidden.yaml'), yamlPod());
  src.scan();
  assert.deepEqual(changes, ['kube-system/web-n1']);
  assert.equal(logs.length, 1);
  const first = src.get('kube-system/web-n1')!;
  src.scan();
  assert.equal(changes.length, 1); // unchanged content: no change, same pod (and config.seen)
  assert.equal(src.get('kube-system/web-n1'), first);
  assert.equal(logs.length, 1); // a bad file is logged once
  writeFileSync(join(dir, 'web.yaml'), yamlPod('nginx'));
  src.scan();
  assert.deepEqual(changes, ['kube-system/web-n1', 'kube-system/web-n1']);
  assert.notEqual(src.get('kube-system/web-n1')!.metadata.uid, first.metadata.uid);
  rmSync(join(dir, 'web.yaml'));
  src.scan();
  assert.equal(changes.length, 3);
  assert.equal(src.get('kube-system/web-n1'), undefined);
});

it('the mirror pod carries config.mirror and a controller reference to the Node', () => {
  const sp = staticPodFromManifest(yamlPod(), '/m/web.yaml', 'n1');
  const m = mirrorPodFor(sp, { name: 'n1', uid: 'node-uid' });
  assert.equal(m.metadata.uid, undefined);
  assert.equal(m.metadata.annotations![CONFIG_MIRROR], sp.metadata.uid);
  assert.deepEqual(m.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid', controller: true }]);
  assert.ok(isMirrorPod(m));
  assert.ok(isMirrorOf(m, sp));
  assert.ok(!isMirrorOf({ ...m, metadata: { ...m.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }, sp));
});

/** A fake pods API: name → pod. */
function fakePods(): { api: ResourceClient<Pod>; store: Map<string, Pod>; calls: string[] } {
  const store = new Map<string, Pod>();
  const calls: string[] = [];
  let n = 0;
  const api = {
    create: async (obj: Pod) => {
      calls.push(`create ${obj.metadata.name}`);
      if (store.has(obj.metadata.name!)) throw Object.assign(new Error('exists'), { code: 409, reason: 'AlreadyExists', status: { reason: 'AlreadyExists', code: 409 } });
      const p = { ...obj, metadata: { ...obj.metadata, uid: `api-${++n}` } };
      store.set(p.metadata.name!, p);
      return p;
    },
    delete: async (name: string, o?: { preconditions?: { uid?: string } }) => {
      calls.push(`delete ${name}`);
      const p = store.get(name);
      if (!p) throw Object.assign(new Error('not found'), { code: 404, reason: 'NotFound', status: { reason: 'NotFound', code: 404 } });
      if (o?.preconditions?.uid && o.preconditions.uid !== p.metadata.uid) throw Object.assign(new Error('conflict'), { code: 409 });
      store.delete(name);
      return {};
    },
  } as unknown as ResourceClient<Pod>;
  return { api, store, calls };
}

it('static pod worker: creates the mirror, recreates a deleted one, restarts on change, cleans up on removal', async () => {
  const { api, store, calls } = fakePods();
  const synced: Pod[] = [];
  const terminated: Pod[] = [];
  const ctx: StaticPodSyncContext = {
    syncer: { sync: async (p) => { synced.push(p); return {}; }, terminate: async (p) => { terminated.push(p); } },
    pods: api, node: () => ({ name: 'n1', uid: 'node-uid' }), running: new Map(),
  };
  const key = 'kube-system/web-n1';
  const v1 = staticPodFromManifest(yamlPod(), '/m/web.yaml', 'n1');
  // First sync: the mirror is created, the file's pod runs.
  assert.deepEqual(await syncStaticKey(key, undefined, v1, ctx), { handled: true });
  assert.deepEqual(calls, ['create web-n1']);
  assert.equal(synced[0].metadata.uid, v1.metadata.uid);
  // With its mirror in the API, the syncer gets the mirror's status.
  const mirror = { ...store.get('web-n1')!, status: { phase: 'Running' } };
  await syncStaticKey(key, mirror, v1, ctx);
  assert.equal(calls.length, 1);
  assert.equal(synced[1].status?.phase, 'Running');
  assert.equal(synced[1].metadata.uid, v1.metadata.uid);
  // A user deletes the mirror (graceful: deletionTimestamp): it is deleted now and created again; the pod keeps running.
  await syncStaticKey(key, { ...mirror, metadata: { ...mirror.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }, v1, ctx);
  assert.deepEqual(calls.slice(1), ['delete web-n1', 'create web-n1']);
  assert.equal(terminated.length, 0);
  // The file changes: the old version is terminated, the mirror replaced, the new one synced.
  const v2 = staticPodFromManifest(yamlPod('nginx'), '/m/web.yaml', 'n1');
  await syncStaticKey(key, store.get('web-n1'), v2, ctx);
  assert.deepEqual(terminated.map((p) => p.metadata.uid), [v1.metadata.uid]);
  assert.equal(store.get('web-n1')!.metadata.annotations![CONFIG_MIRROR], v2.metadata.uid);
  assert.equal(synced.at(-1)!.metadata.uid, v2.metadata.uid);
  // The file goes: the pod is terminated and its mirror deleted.
  assert.deepEqual(await syncStaticKey(key, store.get('web-n1'), undefined, ctx), { handled: true });
  assert.deepEqual(terminated.map((p) => p.metadata.uid), [v1.metadata.uid, v2.metadata.uid]);
  assert.equal(store.size, 0);
  // A pod that is not a mirror holding the name is left alone; the static pod still runs.
  const n = synced.length;
  const callCount = calls.length;
  await assert.rejects(syncStaticKey(key, { metadata: { name: 'web-n1', namespace: 'kube-system', uid: 'user' } }, v2, ctx), /not a mirror pod/);
  assert.equal(synced.length, n + 1);
  assert.equal(calls.length, callCount);
  await syncStaticKey(key, undefined, undefined, ctx);
  // Afterwards (and for ordinary pods) the key is not a static one.
  assert.deepEqual(await syncStaticKey(key, undefined, undefined, ctx), { handled: false });
  assert.deepEqual(await syncStaticKey('default/x', { metadata: { name: 'x', namespace: 'default' } }, undefined, ctx), { handled: false });
});

it('the source polls the folder until the signal aborts', async () => {
  const dir = temp.make('static-pods-poll-');
  const changes: string[] = [];
  const ac = new AbortController();
  new StaticPodSource({ dir, nodeName: 'n1', onChange: (k) => changes.push(k), pollMs: 20 }).start(ac.signal);
  writeFileSync(join(dir, 'web.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }));
  for (let i = 0; i < 50 && !changes.length; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(changes, ['default/web-n1']);
  ac.abort();
  rmSync(join(dir, 'web.json'));
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(changes.length, 1);
});
