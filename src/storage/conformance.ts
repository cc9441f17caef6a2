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

/** A watch from a compacted revision fails with ResourceExpired, either at watch() or at the first next(). */
async function expectWatchExpired(s: Storage, key: string, revision: number): Promise<void> {
  const ac = new AbortController();
  try {
    const it = s.watch(key, { recursive: true, revision, signal: ac.signal })[Symbol.asyncIterator]();
    await assert.rejects(it.next(), (e) => isStorageError(e, 'ResourceExpired'));
  } catch (err) {
    if (!isStorageError(err, 'ResourceExpired')) throw err;
  } finally { ac.abort(); }
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
      await expectWatchExpired(s, '/r/cm/ns/', Number(a.metadata.resourceVersion));
      const after = await s.create('/r/cm/ns/b', obj('b'));
      assert.ok(Number(after.metadata.resourceVersion) > rev);
    }));

    it('concurrent creates of one key: exactly one wins, the others are KeyExists', withStore(async (s) => {
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => s.create('/r/cm/ns/one', obj('one', { i }))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'KeyExists'));
    }));

    it('a no-op update keeps the resourceVersion; a stale resourceVersion precondition conflicts', withStore(async (s) => {
      const a = await s.create('/r/cm/ns/a', obj('a', { k: 'v' }));
      const same = await s.guaranteedUpdate('/r/cm/ns/a', (c) => ({ ...c! }));
      assert.equal(same.metadata.resourceVersion, a.metadata.resourceVersion);
      assert.equal(await s.currentRevision(), Number(a.metadata.resourceVersion));
      const b = await s.guaranteedUpdate('/r/cm/ns/a', (c) => ({ ...c!, data: { k: 'w' } }), { preconditions: { resourceVersion: a.metadata.resourceVersion } });
      await assert.rejects(s.guaranteedUpdate('/r/cm/ns/a', (c) => ({ ...c!, data: { k: 'x' } }), { preconditions: { resourceVersion: a.metadata.resourceVersion } }),
        (e) => isStorageError(e, 'ResourceVersionConflicts'));
      await assert.rejects(s.delete('/r/cm/ns/a', { preconditions: { uid: 'someone-else' } }), (e) => isStorageError(e, 'ResourceVersionConflicts'));
      assert.deepEqual((await s.get('/r/cm/ns/a')).data, { k: 'w' });
      assert.equal((await s.get('/r/cm/ns/a')).metadata.resourceVersion, b.metadata.resourceVersion);
    }));

    it('concurrent deletes: one returns the object, the other is KeyNotFound', withStore(async (s) => {
      await s.create('/r/cm/ns/a', obj('a'));
      const slow = { validateDeletion: () => new Promise<void>((r) => setTimeout(r, 5)) };
      const results = await Promise.allSettled([s.delete('/r/cm/ns/a', slow), s.delete('/r/cm/ns/a', slow)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.ok(isStorageError(failed.reason, 'KeyNotFound'));
    }));

    it('pages of a list read at one revision do not see later writes', withStore(async (s) => {
      for (const n of ['a', 'b', 'c']) await s.create(`/r/cm/ns/${n}`, obj(n));
      const p1 = await s.list('/r/cm/ns/', { limit: 1 });
      assert.equal(p1.remainingItemCount, 2);
      await s.create('/r/cm/ns/d', obj('d'));
      await s.delete('/r/cm/ns/c');
      const p2 = await s.list('/r/cm/ns/', { limit: 5, continueKey: p1.continueKey, revision: p1.revision });
      assert.deepEqual(p2.items.map((o) => o.metadata.name), ['b', 'c']);
      assert.equal(p2.continueKey, undefined);
      assert.equal(p2.revision, p1.revision);
      await assert.rejects(s.list('/r/cm/ns/', { revision: (await s.currentRevision()) + 100 }), (e) => isStorageError(e));
    }));

    it('watch replay from a past revision carries MODIFIED and DELETED with prevObject', withStore(async (s) => {
      const a = await s.create('/r/cm/ns/a', obj('a', { v: '0' }));
      const m = await s.guaranteedUpdate('/r/cm/ns/a', (c) => ({ ...c!, data: { v: '1' } }));
      const d = await s.delete('/r/cm/ns/a');
      const again = await s.create('/r/cm/ns/a', obj('a', { v: 'new' }));
      const ac = new AbortController();
      const w = s.watch('/r/cm/ns/a', { revision: Number(a.metadata.resourceVersion), signal: ac.signal })[Symbol.asyncIterator]();
      const evs = await take(w, 3);
      ac.abort();
      assert.deepEqual(evs.map((e) => [e.type, e.revision]), [
        ['MODIFIED', Number(m.metadata.resourceVersion)], ['DELETED', Number(d.metadata.resourceVersion)], ['ADDED', Number(again.metadata.resourceVersion)]]);
      assert.deepEqual(evs[0].prevObject?.data, { v: '0' });
      assert.equal(evs[0].prevObject?.metadata.resourceVersion, a.metadata.resourceVersion);
      assert.deepEqual(evs[1].object.data, { v: '1' });
      assert.equal(evs[1].object.metadata.resourceVersion, d.metadata.resourceVersion);
      assert.equal(evs[1].prevObject?.metadata.resourceVersion, m.metadata.resourceVersion);
      assert.equal(evs[2].prevObject, undefined);
    }));

    it('a watch from now does not replay earlier writes', withStore(async (s) => {
      await s.create('/r/cm/ns/old', obj('old'));
      const ac = new AbortController();
      const w = s.watch('/r/cm/ns/', { recursive: true, signal: ac.signal })[Symbol.asyncIterator]();
      const next = take(w, 1);
      await s.create('/r/cm/ns/new', obj('new'));
      assert.equal((await next)[0].object.metadata.name, 'new');
      ac.abort();
    }));

    it('a watcher that does not read never blocks writers and later gets every event in order', withStore(async (s) => {
      const ac = new AbortController();
      const w = s.watch('/r/cm/ns/', { recursive: true, signal: ac.signal })[Symbol.asyncIterator]();
      const revs: number[] = [];
      for (let i = 0; i < 200; i++) revs.push(Number((await s.create(`/r/cm/ns/k${i}`, obj(`k${i}`))).metadata.resourceVersion));
      const evs = await take(w, 200, 5000);
      ac.abort();
      assert.deepEqual(evs.map((e) => e.revision), revs);
    }));

    it('progress notifications come in order with the changes and carry the current revision', withStore(async (s) => {
      const ac = new AbortController();
      const w = s.watch('/r/cm/ns/', { recursive: true, signal: ac.signal, progressNotifyMs: 30 })[Symbol.asyncIterator]();
      const a = await s.create('/r/cm/ns/a', obj('a'));
      await s.create('/r/other/x', obj('x'));
      const evs = await take(w, 3, 3000);
      ac.abort();
      assert.equal(evs[0].type, 'ADDED');
      const progress = evs.slice(1).filter((e) => e.type === 'PROGRESS');
      assert.ok(progress.length >= 1, 'a PROGRESS event while idle');
      assert.ok(progress.every((p) => p.revision >= Number(a.metadata.resourceVersion)));
      assert.equal(progress[progress.length - 1].revision, await s.currentRevision());
      assert.equal(progress[0].object.metadata.resourceVersion, String(progress[0].revision));
    }));

    it('without progressNotifyMs no PROGRESS event is delivered', withStore(async (s) => {
      const ac = new AbortController();
      const w = s.watch('/r/cm/ns/', { recursive: true, signal: ac.signal })[Symbol.asyncIterator]();
      const next = take(w, 1);
      await new Promise((r) => setTimeout(r, 80));
      await s.create('/r/cm/ns/b', obj('b'));
      assert.equal((await next)[0].type, 'ADDED');
      ac.abort();
    }));

    it('close() ends running watches', withStore(async (s) => {
      const w = s.watch('/r/cm/ns/', { recursive: true })[Symbol.asyncIterator]();
      const pending = w.next();
      await s.close();
      const r = await Promise.race([pending.then((x) => x.done), new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), 2000))]);
      assert.equal(r, true);
    }));

    it('the revision never goes back, even after compacting a trailing deletion', withStore(async (s) => {
      await s.create('/r/cm/ns/a', obj('a'));
      const d = await s.delete('/r/cm/ns/a');
      await s.compact(Number(d.metadata.resourceVersion));
      assert.equal(await s.currentRevision(), Number(d.metadata.resourceVersion));
      const b = await s.create('/r/cm/ns/a', obj('a'));
      assert.ok(Number(b.metadata.resourceVersion) > Number(d.metadata.resourceVersion));
      assert.deepEqual((await s.list('/r/cm/ns/')).items.map((o) => o.metadata.resourceVersion), [b.metadata.resourceVersion]);
    }));

    it('a watch at the compaction revision still works; the revision before it is expired', withStore(async (s) => {
      const a = await s.create('/r/cm/ns/a', obj('a'));
      const a2 = await s.guaranteedUpdate('/r/cm/ns/a', (c) => ({ ...c!, data: { v: '2' } }));
      const rev = Number(a2.metadata.resourceVersion);
      await s.compact(rev);
      await expectWatchExpired(s, '/r/cm/ns/', Number(a.metadata.resourceVersion));
      const ac = new AbortController();
      const w = s.watch('/r/cm/ns/', { recursive: true, revision: rev, signal: ac.signal })[Symbol.asyncIterator]();
      const next = take(w, 1);
      await s.create('/r/cm/ns/b', obj('b'));
      assert.equal((await next)[0].object.metadata.name, 'b');
      ac.abort();
      assert.deepEqual((await s.list('/r/cm/ns/', { revision: rev })).items.map((o) => o.data), [{ v: '2' }]);
    }));
  });
}
