/**
 * The shared conformance suite of the Storage interface (upstream
 * k8s.io/apiserver/pkg/storage/testing/store_tests.go): every backend runs it.
 * `runStorageConformance(name, open)` registers node:test cases; `open` returns a fresh,
 * empty store and its cleanup.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/object.js';
import { isStorageError } from './errors.js';
import type { Storage, StorageWatchEvent } from './interface.js';

export type OpenStorage = () => Promise<{ storage: Storage; cleanup(): Promise<void> }>;

const obj = (name: string, data: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', uid: `uid-${name}` }, data });

async function take(it: AsyncIterator<StorageWatchEvent>, n: number, timeoutMs = 2000): Promise<StorageWatchEvent[]> {
  const out: StorageWatchEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const r = await Promise.race([it.next(), new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), Math.max(1, deadline - Date.now())))]);
    if (r === 'timeout') throw new Error(`got ${out.length} of ${n} watch events before the deadline`);
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

export function runStorageConformance(name: string, open: OpenStorage): void {
  describe(`Storage conformance: ${name}`, () => {
    const withStore = (fn: (s: Storage) => Promise<void>) => async () => {
      const { storage, cleanup } = await open();
      try { await fn(storage); } finally { await cleanup(); }
    };

    it('create sets resourceVersion; a second create is KeyExists', withStore(async (s) => {
      const a = await s.create('/r/cm/ns/a', obj('a'));
      assert.match(a.metadata.resourceVersion!, /^\d+$/);
      await assert.rejects(s.create('/r/cm/ns/a', obj('a')), (e) => isStorageError(e, 'KeyExists'));
      assert.deepEqual((await s.get('/r/cm/ns/a')).data, {});
    }));

    it('get of a missing key is KeyNotFound', withStore(async (s) => {
      await assert.rejects(s.get('/r/cm/ns/none'), (e) => isStorageError(e, 'KeyNotFound'));
    }));

    it('revisions strictly increase across writes', withStore(async (s) => {
      const a = await s.create('/r/cm/ns/a', obj('a'));
      const b = await s.create('/r/cm/ns/b', obj('b'));
      const a2 = await s.guaranteedUpdate('/r/cm/ns/a', (cur) => ({ ...cur!, data: { x: '1' } }));
      const d = await s.delete('/r/cm/ns/b');
      const revs = [a, b, a2, d].map((o) => Number(o.metadata.resourceVersion));
      assert.deepEqual([...revs].sort((x, y) => x - y), revs);
      assert.equal(new Set(revs).size, 4);
      assert.equal(await s.currentRevision(), revs[3]);
    }));

    it('list by prefix, ordered by key, with pagination and at an older revision', withStore(async (s) => {
      for (const n of ['c', 'a', 'b']) await s.create(`/r/cm/ns/${n}`, obj(n));
      await s.create('/r/cm/other/z', obj('z'));
      const all = await s.list('/r/cm/ns/');
      assert.deepEqual(all.items.map((o) => o.metadata.name), ['a', 'b', 'c']);
      const p1 = await s.list('/r/cm/ns/', { limit: 2 });
      assert.deepEqual(p1.items.map((o) => o.metadata.name), ['a', 'b']);
      assert.equal(p1.remainingItemCount, 1);
      const p2 = await s.list('/r/cm/ns/', { limit: 2, continueKey: p1.continueKey, revision: p1.revision });
      assert.deepEqual(p2.items.map((o) => o.metadata.name), ['c']);
      const before = all.revision;
      await s.delete('/r/cm/ns/a');
      await s.guaranteedUpdate('/r/cm/ns/b', (cur) => ({ ...cur!, data: { v: '2' } }));
      const old = await s.list('/r/cm/ns/', { revision: before });
      assert.deepEqual(old.items.map((o) => o.metadata.name), ['a', 'b', 'c']);
      assert.deepEqual(old.items[1].data, {});
      assert.deepEqual((await s.list('/r/cm/ns/')).items.map((o) => o.metadata.name), ['b', 'c']);
    }));

    it('guaranteedUpdate retries around concurrent writers and checks preconditions', withStore(async (s) => {
      await s.create('/r/cm/ns/n', obj('n', { count: 0 }));
      await Promise.all(Array.from({ length: 10 }, () => s.guaranteedUpdate<KubeObject>('/r/cm/ns/n', async (cur) => {
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        return { ...cur!, data: { count: (cur!.data as { count: number }).count + 1 } };
      })));
      assert.deepEqual((await s.get('/r/cm/ns/n')).data, { count: 10 });
      await assert.rejects(s.guaranteedUpdate('/r/cm/ns/n', (c) => c!, { preconditions: { uid: 'other' } }), (e) => isStorageError(e, 'ResourceVersionConflicts'));
      await assert.rejects(s.guaranteedUpdate('/r/cm/ns/missing', (c) => c!), (e) => isStorageError(e, 'KeyNotFound'));
      const created = await s.guaranteedUpdate('/r/cm/ns/new', (c) => c ?? obj('new'), { ignoreNotFound: true });
      assert.equal(created.metadata.name, 'new');
      await assert.rejects(s.guaranteedUpdate('/r/cm/ns/n', () => { throw new Error('abort'); }), /abort/);
    }));

    it('delete returns the last state; preconditions and validateDeletion can refuse', withStore(async (s) => {
      const a = await s.create('/r/cm/ns/a', obj('a', { k: 'v' }));
      await assert.rejects(s.delete('/r/cm/ns/a', { preconditions: { resourceVersion: '999999' } }), (e) => isStorageError(e, 'ResourceVersionConflicts'));
      await assert.rejects(s.delete('/r/cm/ns/a', { validateDeletion: () => { throw new Error('nope'); } }), /nope/);
      const d = await s.delete('/r/cm/ns/a', { preconditions: { uid: 'uid-a', resourceVersion: a.metadata.resourceVersion } });
      assert.deepEqual(d.data, { k: 'v' });
      assert.ok(Number(d.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
      await assert.rejects(s.delete('/r/cm/ns/a'), (e) => isStorageError(e, 'KeyNotFound'));
      await s.create('/r/cm/ns/a', obj('a'));
    }));

    it('watch from now sees ADDED, MODIFIED, DELETED with prevObject, only under the prefix', withStore(async (s) => {
      const ac = new AbortController();
      const w = s.watch('/r/cm/ns/', { recursive: true, signal: ac.signal })[Symbol.asyncIterator]();
      const next = take(w, 3);
      await s.create('/r/cm/other/x', obj('x'));
      await s.create('/r/cm/ns/a', obj('a'));
      await s.guaranteedUpdate('/r/cm/ns/a', (c) => ({ ...c!, data: { v: '1' } }));
      const d = await s.delete('/r/cm/ns/a');
      const evs = await next;
      assert.deepEqual(evs.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
      assert.deepEqual(evs[1].prevObject?.data, {});
      assert.equal(evs[2].object.metadata.resourceVersion, d.metadata.resourceVersion);
      ac.abort();
      assert.equal((await w.next()).done, true);
    }));

    it('watch from a past revision replays the log then continues live, without gaps or duplicates', withStore(async (s) => {
      const a = await s.create('/r/cm/ns/a', obj('a'));
      await s.create('/r/cm/ns/b', obj('b'));
      const ac = new AbortController();
      const w = s.watch('/r/cm/ns/', { recursive: true, revision: Number(a.metadata.resourceVersion), signal: ac.signal })[Symbol.asyncIterator]();
      const first = await take(w, 1);
      assert.equal(first[0].object.metadata.name, 'b');
      await s.create('/r/cm/ns/c', obj('c'));
      const second = await take(w, 1);
      assert.equal(second[0].object.metadata.name, 'c');
      ac.abort();
    }));

    it('an exact-key watch ignores other keys', withStore(async (s) => {
      const ac = new AbortController();
      const w = s.watch('/r/cm/ns/a', { signal: ac.signal })[Symbol.asyncIterator]();
      const next = take(w, 1);
      await s.create('/r/cm/ns/ab', obj('ab'));
      await s.create('/r/cm/ns/a', obj('a'));
      assert.equal((await next)[0].key, '/r/cm/ns/a');
      ac.abort();
    }));

    it('compaction keeps live data and expires older revisions for list and watch', withStore(async (s) => {
      const a = await s.create('/r/cm/ns/a', obj('a'));
      for (let i = 0; i < 3; i++) await s.guaranteedUpdate('/r/cm/ns/a', (c) => ({ ...c!, data: { i } }));
      await s.create('/r/cm/ns/gone', obj('gone'));
      await s.delete('/r/cm/ns/gone');
      const rev = await s.currentRevision();
      await s.compact(rev);
      assert.deepEqual((await s.get('/r/cm/ns/a')).data, { i: 2 });
      assert.deepEqual((await s.list('/r/cm/ns/')).items.map((o) => o.metadata.name), ['a']);
      await assert.rejects(s.list('/r/cm/ns/', { revision: Number(a.metadata.resourceVersion) }), (e) => isStorageError(e, 'ResourceExpired'));
      assert.throws(() => s.watch('/r/cm/ns/', { recursive: true, revision: Number(a.metadata.resourceVersion) }), (e) => isStorageError(e, 'ResourceExpired'));
      const after = await s.create('/r/cm/ns/b', obj('b'));
      assert.ok(Number(after.metadata.resourceVersion) > rev);
    }));
  });
}
