import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { runStorageConformance } from '../conformance.js';
import { openSqliteStorage, SqliteStorage } from './sqlite-storage.js';
import { isStorageError } from '../errors.js';

runStorageConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  const storage = await openSqliteStorage({ path: join(dir, 'state.db'), compactIntervalMs: 0 });
  return { storage, cleanup: async () => { await storage.close(); rmSync(dir, { recursive: true, force: true }); } };
});

it('sqlite: reopening the file keeps data and the revision counter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  try {
    const path = join(dir, 'state.db');
    const s1 = await openSqliteStorage({ path, compactIntervalMs: 0 });
    const a = await s1.create<KubeObject>('/r/x/a', { metadata: { name: 'a' }, data: { k: 'v' } });
    await s1.close();
    const s2 = await openSqliteStorage({ path, compactIntervalMs: 0 });
    assert.deepEqual((await s2.get('/r/x/a')).data, { k: 'v' });
    const b = await s2.create<KubeObject>('/r/x/b', { metadata: { name: 'b' } });
    assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    await s2.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('sqlite: the compaction watermark survives a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  try {
    const path = join(dir, 'state.db');
    const s1 = await openSqliteStorage({ path, compactIntervalMs: 0 });
    const a = await s1.create<KubeObject>('/r/x/a', { metadata: { name: 'a' } });
    const a2 = await s1.guaranteedUpdate<KubeObject>('/r/x/a', (c) => ({ ...c!, data: { v: '2' } }));
    await s1.compact(Number(a2.metadata.resourceVersion));
    await s1.close();
    const s2 = await openSqliteStorage({ path, compactIntervalMs: 0 });
    await assert.rejects(s2.list('/r/x/', { revision: Number(a.metadata.resourceVersion) }), (e) => isStorageError(e, 'ResourceExpired'));
    assert.deepEqual((await s2.get('/r/x/a')).data, { v: '2' });
    await s2.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('sqlite: the periodic compactor keeps the last N revisions', async () => {
  const storage = await openSqliteStorage({ path: ':memory:', compactIntervalMs: 10, compactRetainRevisions: 2 });
  try {
    const first = await storage.create<KubeObject>('/r/x/a', { metadata: { name: 'a' } });
    for (let i = 0; i < 5; i++) await storage.guaranteedUpdate<KubeObject>('/r/x/a', (c) => ({ ...c!, data: { i: String(i) } }));
    const deadline = Date.now() + 3000;
    for (;;) {
      const expired = await storage.list('/r/x/', { revision: Number(first.metadata.resourceVersion) }).then(() => false, (e) => isStorageError(e, 'ResourceExpired'));
      if (expired) break;
      assert.ok(Date.now() < deadline, 'compactor did not run before the deadline');
      await new Promise((r) => setTimeout(r, 10));
    }
    const current = await storage.currentRevision();
    // The retained window is still readable.
    assert.deepEqual((await storage.list('/r/x/', { revision: current - 2 })).items.map((o) => o.data), [{ i: '2' }]);
  } finally { await storage.close(); }
});

it('sqlite: concurrent writes share one commit, and readers see only committed rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  const s = new SqliteStorage({ path: join(dir, 'state.db'), compactIntervalMs: 0 });
  try {
    const before = s.stats().commits;
    const writes = Array.from({ length: 64 }, (_, i) => s.create<KubeObject>(`/r/x/c${i}`, { metadata: { name: `c${i}` } }));
    // Evaluated before the batch commits: neither the object nor its revision is visible yet.
    await assert.rejects(s.get('/r/x/c0'), (e) => isStorageError(e, 'KeyNotFound'));
    assert.equal((await s.list('/r/x/')).items.length, 0);
    const created = await Promise.all(writes);
    assert.equal(s.stats().commits - before, 1);
    assert.equal(await s.currentRevision(), Math.max(...created.map((o) => Number(o.metadata.resourceVersion))));
    assert.equal((await s.list('/r/x/')).items.length, 64);
    // A no-op update of a row still in an open batch waits for that batch.
    const upd = s.guaranteedUpdate<KubeObject>('/r/x/c1', (cur) => ({ ...cur!, data: { a: 'b' } }));
    const noop = await s.guaranteedUpdate<KubeObject>('/r/x/c1', (cur) => cur!);
    assert.equal(noop.metadata.resourceVersion, (await upd).metadata.resourceVersion);
    assert.ok(Number(noop.metadata.resourceVersion) <= await s.currentRevision());
  } finally { await s.close(); rmSync(dir, { recursive: true, force: true }); }
});

it('sqlite: compaction on size keeps the log bounded under churn, with the retained revisions still readable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  const s = new SqliteStorage({ path: join(dir, 'state.db'), compactIntervalMs: 3_600_000, compactRetainRevisions: 20, compactEveryRevisions: 100 });
  try {
    for (let i = 0; i < 5; i++) await s.create<KubeObject>(`/r/x/o${i}`, { metadata: { name: `o${i}` }, data: { n: '0' } });
    for (let round = 1; round <= 200; round++) {
      await Promise.all(Array.from({ length: 5 }, (_, i) => s.guaranteedUpdate<KubeObject>(`/r/x/o${i}`, (cur) => ({ ...cur!, data: { n: String(round) } }))));
    }
    await new Promise((r) => setImmediate(r));
    const st = s.stats();
    assert.ok(st.committedRevision >= 1005, `revision ${st.committedRevision}`);
    assert.ok(st.committedRevision - st.compactedRevision <= 20 + 100 + 5, `uncompacted ${st.committedRevision - st.compactedRevision}`);
    assert.ok(st.rows <= 20 + 100 + 10, `rows ${st.rows}`);
    const items = (await s.list<KubeObject>('/r/x/')).items;
    assert.deepEqual(items.map((o) => o.data), Array.from({ length: 5 }, () => ({ n: '200' })));
    await assert.rejects(s.list('/r/x/', { revision: st.compactedRevision - 1 }), (e) => isStorageError(e, 'ResourceExpired'));
    assert.equal((await s.list('/r/x/', { revision: st.compactedRevision })).items.length, 5);
  } finally { await s.close(); rmSync(dir, { recursive: true, force: true }); }
});

it('sqlite: rows do not store the previous value; a replay after compaction still carries prevObject', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  try {
    const path = join(dir, 'state.db');
    const s = await openSqliteStorage({ path, compactIntervalMs: 0 });
    await s.create<KubeObject>('/r/x/a', { metadata: { name: 'a' }, data: { v: '1' } } as KubeObject);
    const a2 = await s.guaranteedUpdate<KubeObject>('/r/x/a', (c) => ({ ...c!, data: { v: '2' } }));
    const a3 = await s.guaranteedUpdate<KubeObject>('/r/x/a', (c) => ({ ...c!, data: { v: '3' } }));
    const d = await s.delete<KubeObject>('/r/x/a');
    // Compacting at a2 removes the create row (a2 supersedes it); a2 itself stays as the
    // key's state at the compacted revision, so a3's previous state is still there.
    await s.compact(Number(a2.metadata.resourceVersion));
    const ac = new AbortController();
    const it = s.watch<KubeObject>('/r/x/', { recursive: true, revision: Number(a2.metadata.resourceVersion), signal: ac.signal })[Symbol.asyncIterator]();
    const e1 = (await it.next()).value!;
    const e2 = (await it.next()).value!;
    ac.abort();
    assert.equal(e1.type, 'MODIFIED');
    assert.deepEqual(e1.prevObject?.data, { v: '2' });
    assert.equal(e1.prevObject?.metadata.resourceVersion, a2.metadata.resourceVersion);
    assert.equal(e2.type, 'DELETED');
    assert.deepEqual(e2.prevObject?.data, { v: '3' });
    assert.equal(e2.prevObject?.metadata.resourceVersion, a3.metadata.resourceVersion);
    assert.ok(Number(d.metadata.resourceVersion) > Number(a3.metadata.resourceVersion));
    await s.close();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path, { readonly: true });
    assert.deepEqual(db.prepare('SELECT COUNT(*) AS n FROM kine WHERE old_value IS NOT NULL').get(), { n: 0 });
    db.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
