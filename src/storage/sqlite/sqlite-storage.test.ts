import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { runStorageConformance } from '../conformance.js';
import { openSqliteStorage } from './sqlite-storage.js';

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
