import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../api/object.js';
import { openSqliteStorage } from './sqlite/sqlite-storage.js';
import { restoreSnapshot, saveSnapshot, startSnapshotSchedule } from './snapshot.js';
import { parseDatastoreEndpoint } from './datastore-endpoint.js';

it('scheduled snapshots are taken on the interval and only the newest `retention` are kept; each restores', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-snap-'));
  const storage = await openSqliteStorage({ path: join(dir, 'state.db'), compactIntervalMs: 0 });
  try {
    await storage.create<KubeObject>('/registry/configmaps/ns/a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' }, data: { k: 'v' } });
    const snaps = join(dir, 'snapshots');
    const logs: string[] = [];
    const stop = startSnapshotSchedule(storage, { dir: snaps, intervalMs: 40, retention: 2 }, (m) => logs.push(m));
    const deadline = Date.now() + 5000;
    while (logs.filter((l) => l.startsWith('snapshot saved')).length < 4) {
      assert.ok(Date.now() < deadline, `only ${logs.length} snapshots: ${logs.join('; ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    stop();
    await new Promise((r) => setTimeout(r, 100));
    const files = readdirSync(snaps).filter((f) => f.endsWith('.db')).sort();
    assert.equal(files.length, 2, files.join(' '));
    // The newest one restores into a fresh data dir with the object at its revision.
    const target = join(dir, 'restored', 'state.db');
    await restoreSnapshot(undefined, target, join(snaps, files[1]));
    const restored = await openSqliteStorage({ path: target, compactIntervalMs: 0 });
    try {
      const a = await restored.get<KubeObject>('/registry/configmaps/ns/a');
      assert.deepEqual(a.data, { k: 'v' });
      assert.equal(a.metadata.resourceVersion, (await storage.get('/registry/configmaps/ns/a')).metadata.resourceVersion);
    } finally { await restored.close(); }
  } finally { await storage.close(); rmSync(dir, { recursive: true, force: true }); }
});

it('restore refuses a file that is not a k8ts SQLite snapshot; save needs an existing database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-snap-'));
  try {
    await assert.rejects(saveSnapshot(undefined, join(dir, 'missing.db'), join(dir, 'out.db')));
    const { default: Database } = await import('better-sqlite3');
    const foreign = new Database(join(dir, 'foreign.db'));
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    await assert.rejects(restoreSnapshot(undefined, join(dir, 'target.db'), join(dir, 'foreign.db')), /not a k8ts SQLite snapshot/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('--datastore-endpoint: sqlite forms, etcd URL lists, and refusals', () => {
  assert.deepEqual(parseDatastoreEndpoint(undefined, '/d/state.db'), { kind: 'sqlite', path: '/d/state.db' });
  assert.deepEqual(parseDatastoreEndpoint('sqlite:///tmp/x.db', '/d'), { kind: 'sqlite', path: '/tmp/x.db' });
  assert.deepEqual(parseDatastoreEndpoint('http://127.0.0.1:2379, http://127.0.0.1:22379/', '/d'), { kind: 'etcd', endpoints: ['http://127.0.0.1:2379', 'http://127.0.0.1:22379'] });
  assert.throws(() => parseDatastoreEndpoint('mysql://root@tcp(127.0.0.1:3306)/k', '/d'), /expected sqlite/);
  assert.throws(() => parseDatastoreEndpoint('http://127.0.0.1:2379/path', '/d'), /expected sqlite/);
});
