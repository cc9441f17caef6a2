import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { runStorageConformance } from '../conformance.js';
import { isStorageError } from '../errors.js';
import { startEtcdCluster, type EtcdCluster } from '../../../test/support/etcd-cluster.js';
import { openEtcd3Storage } from './etcd3-storage.js';

// One etcd for the conformance cases; each case gets its own path prefix. Compaction is
// cluster-wide, but every case only reads revisions it wrote after the last compaction.
let shared: EtcdCluster | undefined;
before(async () => { shared = await startEtcdCluster(); });
after(async () => { await shared?.stop(); });

runStorageConformance('etcd3', async () => {
  const storage = await openEtcd3Storage({ endpoints: shared!.endpoints, pathPrefix: `/t-${randomUUID()}` });
  return { storage, cleanup: () => storage.close() };
});

describe('etcd3 only', () => {
  it('stores upstream\'s key layout and JSON without resourceVersion', async () => {
    const prefix = `/t-${randomUUID()}`;
    const s = await openEtcd3Storage({ endpoints: shared!.endpoints, pathPrefix: prefix });
    const raw = await openEtcd3Storage({ endpoints: shared!.endpoints });
    try {
      const a = await s.create<KubeObject>('/registry/configmaps/ns/a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', resourceVersion: '7' } });
      const seen = await raw.get(`${prefix}/registry/configmaps/ns/a`);
      assert.equal(seen.metadata.resourceVersion, a.metadata.resourceVersion);
      assert.equal(seen.metadata.name, 'a');
    } finally { await s.close(); await raw.close(); }
  });

  it('a list larger than gRPC\'s default 4 MiB message (the watch cache\'s first fill) is read whole', async () => {
    const s = await openEtcd3Storage({ endpoints: shared!.endpoints, pathPrefix: `/t-${randomUUID()}` });
    try {
      const payload = 'x'.repeat(8 * 1024);
      for (let i = 0; i < 640; i += 64) {
        await Promise.all(Array.from({ length: 64 }, (_, k) => s.create<KubeObject>(`/registry/configmaps/big/c${i + k}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i + k}` }, data: { payload } })));
      }
      assert.equal((await s.list('/registry/')).items.length, 640);
    } finally { await s.close(); }
  });

  it('values pass through the transformer', async () => {
    const s = await openEtcd3Storage({
      endpoints: shared!.endpoints, pathPrefix: `/t-${randomUUID()}`,
      transformer: { toStorage: (_k, v) => `enc:${Buffer.from(v).toString('base64')}`, fromStorage: (_k, v) => Buffer.from(v.slice(4), 'base64').toString() },
    });
    try {
      await s.create<KubeObject>('/r/s/ns/a', { metadata: { name: 'a' }, data: { k: 'v' } });
      assert.deepEqual((await s.get('/r/s/ns/a')).data, { k: 'v' });
      assert.deepEqual((await s.list('/r/s/')).items.map((o) => o.data), [{ k: 'v' }]);
    } finally { await s.close(); }
  });

  it('snapshot writes a non-empty file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-etcd-snap-'));
    const s = await openEtcd3Storage({ endpoints: shared!.endpoints });
    try {
      await s.snapshot(join(dir, 'snap.db'));
      assert.ok(statSync(join(dir, 'snap.db')).size > 0);
    } finally { await s.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('members() lists three healthy members, then one unhealthy after it is killed', async () => {
    const c = await startEtcdCluster({ members: 3 });
    try {
      const s = await openEtcd3Storage({ endpoints: c.endpoints });
      try {
        const m = await s.members();
        assert.deepEqual(m.map((x) => x.name).sort(), ['etcd-0', 'etcd-1', 'etcd-2']);
        assert.ok(m.every((x) => x.healthy), JSON.stringify(m));
        await c.kill('etcd-2');
        const after = await s.members();
        const gone = after.find((x) => x.name === 'etcd-2')!;
        assert.equal(gone.healthy, false);
        assert.ok(gone.error);
        assert.equal(after.filter((x) => x.healthy).length, 2);
      } finally { await s.close(); }
    } finally { await c.stop(); }
  });

  it('a stopped etcd is Unreachable for reads, writes and watches', async () => {
    const c = await startEtcdCluster();
    try {
      const s = await openEtcd3Storage({ endpoints: c.endpoints, requestTimeoutMs: 3000 });
      try {
        await s.create<KubeObject>('/r/x/a', { metadata: { name: 'a' } });
        const w = s.watch('/r/x/', { recursive: true })[Symbol.asyncIterator]();
        const watchFails = assert.rejects(w.next(), (e) => isStorageError(e, 'Unreachable'));
        await c.kill('etcd-0', 'SIGKILL');
        await watchFails;
        await assert.rejects(s.get('/r/x/a'), (e) => isStorageError(e, 'Unreachable'));
        await assert.rejects(s.create<KubeObject>('/r/x/b', { metadata: { name: 'b' } }), (e) => isStorageError(e, 'Unreachable'));
      } finally { await s.close(); }
      await assert.rejects(openEtcd3Storage({ endpoints: c.endpoints, dialTimeoutMs: 500 }), (e) => isStorageError(e, 'Unreachable'));
    } finally { await c.stop(); }
  });
});
