import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { runStorageConformance } from '../conformance.js';
import type { Storage, StorageWatchEvent, WatchOptions } from '../interface.js';
import { openSqliteStorage } from '../sqlite/sqlite-storage.js';
import { newCacher } from './cacher.js';

async function openBackend(): Promise<{ backend: Storage; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-cacher-'));
  return { backend: await openSqliteStorage({ path: join(dir, 'state.db'), compactIntervalMs: 0 }), dir };
}

runStorageConformance('cacher over sqlite', async () => {
  const { backend, dir } = await openBackend();
  const storage = await newCacher(backend);
  return { storage, cleanup: async () => { await storage.close(); rmSync(dir, { recursive: true, force: true }); } };
});

const cm = (name: string, v: number): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { v: String(v) } });

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

it('cacher: lists at every past revision in the window, whole and paged, equal the backend\'s', async () => {
  const { backend, dir } = await openBackend();
  const cacher = await newCacher(backend, { capacity: 100_000 });
  try {
    const rand = rng(7);
    for (let i = 0; i < 20; i++) await cacher.create(`/registry/configmaps/ns/c${i}`, cm(`c${i}`, 0));
    const revisions: number[] = [];
    for (let step = 0; step < 300; step++) {
      const n = Math.floor(rand() * 40);
      const key = `/registry/configmaps/ns/c${n}`;
      const r = rand();
      try {
        if (r < 0.35) await cacher.create(key, cm(`c${n}`, step));
        else if (r < 0.7) await cacher.guaranteedUpdate(key, (cur) => ({ ...cur!, data: { v: String(step) } }));
        else await cacher.delete(key);
      } catch { /* KeyExists / KeyNotFound: part of the random walk */ }
      if (step % 10 === 0) revisions.push(await cacher.currentRevision());
    }
    // Writes outside the listed prefix move the revision too.
    await cacher.create('/registry/secrets/ns/s', cm('s', 0));
    for (const rev of revisions) {
      for (const limit of [0, 1, 7]) {
        const pages = async (s: Storage) => {
          const out: Array<{ name: string; rv: string; remaining?: number }> = [];
          let cont: string | undefined;
          do {
            const page = await s.list('/registry/configmaps/ns/', { revision: rev, limit, continueKey: cont });
            assert.equal(page.revision, rev);
            assert.equal(page.keys.length, page.items.length);
            for (const o of page.items) out.push({ name: o.metadata.name!, rv: o.metadata.resourceVersion!, remaining: page.remainingItemCount });
            cont = page.continueKey;
          } while (cont);
          return out;
        };
        assert.deepEqual(await pages(cacher), await pages(backend), `revision ${rev}, limit ${limit}`);
      }
    }
  } finally { await cacher.close(); rmSync(dir, { recursive: true, force: true }); }
});

it('cacher: a consistent list sees a write at once; listed objects are frozen', async () => {
  const { backend, dir } = await openBackend();
  const cacher = await newCacher(backend);
  try {
    await cacher.create('/registry/configmaps/ns/a', cm('a', 1));
    const list = await cacher.list('/registry/configmaps/');
    assert.deepEqual(list.items.map((o) => o.metadata.name), ['a']);
    assert.equal(list.revision, await backend.currentRevision());
    assert.throws(() => { (list.items[0].metadata as { name: string }).name = 'b'; }, TypeError);
    assert.equal((await cacher.get('/registry/configmaps/ns/a')).metadata.name, 'a');
  } finally { await cacher.close(); rmSync(dir, { recursive: true, force: true }); }
});

it('cacher: revisions older than the window are answered by the backend', async () => {
  const { backend, dir } = await openBackend();
  const cacher = await newCacher(backend, { capacity: 3 });
  try {
    const first = await cacher.create('/registry/configmaps/ns/a', cm('a', 0));
    for (let i = 1; i <= 10; i++) await cacher.guaranteedUpdate('/registry/configmaps/ns/a', (cur) => ({ ...cur!, data: { v: String(i) } }));
    const old = await cacher.list('/registry/configmaps/', { revision: Number(first.metadata.resourceVersion) });
    assert.deepEqual(old.items[0].data, { v: '0' });
    const ac = new AbortController();
    const it = cacher.watch('/registry/configmaps/', { recursive: true, revision: Number(first.metadata.resourceVersion), signal: ac.signal })[Symbol.asyncIterator]();
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) seen.push((((await it.next()).value as StorageWatchEvent).object.data as Record<string, string>).v);
    assert.deepEqual(seen, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    ac.abort();
  } finally { await cacher.close(); rmSync(dir, { recursive: true, force: true }); }
});

it('cacher: when the backend watch fails, cache watchers end and the cache is rebuilt', async () => {
  const { backend, dir } = await openBackend();
  let failNext = true;
  // A backend whose first watch fails after its first event.
  const flaky: Storage = Object.assign(Object.create(backend) as Storage, {
    watch: (key: string, opts?: WatchOptions) => {
      const inner = backend.watch(key, opts);
      if (!failNext) return inner;
      failNext = false;
      return (async function* () { for await (const ev of inner) { yield ev; throw new Error('connection reset'); } })();
    },
  });
  const logs: string[] = [];
  const cacher = await newCacher(flaky, { log: (m) => logs.push(m) });
  try {
    const ac = new AbortController();
    const watcher = cacher.watch('/registry/configmaps/', { recursive: true, signal: ac.signal })[Symbol.asyncIterator]();
    await cacher.create('/registry/configmaps/ns/a', cm('a', 1));
    assert.equal(((await watcher.next()).value as StorageWatchEvent).type, 'ADDED');
    assert.equal((await watcher.next()).done, true, 'the watcher ends with the failed backend watch');
    const deadline = Date.now() + 5000;
    while (!cacher.stats() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(cacher.stats(), 'rebuilt');
    await cacher.create('/registry/configmaps/ns/b', cm('b', 1));
    assert.deepEqual((await cacher.list('/registry/configmaps/')).items.map((o) => o.metadata.name), ['a', 'b']);
    assert.match(logs.join('\n'), /connection reset/);
    ac.abort();
  } finally { await cacher.close(); rmSync(dir, { recursive: true, force: true }); }
});
