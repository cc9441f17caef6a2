/**
 * Issue #5 acceptance 3: the official JavaScript client, @kubernetes/client-node 1.x,
 * against an in-process apiserver: a JSON patch of a namespace, a dry-run delete with the
 * option in the DeleteOptions body, a watch, an informer on ConfigMaps that keeps working
 * across an apiserver restart (same port, same SQLite file), and a metadata-only list.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { builtinResourceTable } from '../../src/api/builtin-resources.js';
import { createRegistry } from '../../src/apiserver/registry/index.js';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/server.js';
import { ensurePki, type Pki } from '../../src/pki/pki.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { newCacher } from '../../src/storage/cacher/cacher.js';
import type { Storage } from '../../src/storage/interface.js';
import { ensureBootstrapNamespaces } from '../../src/controllers/bootstrap/bootstrap.js';
import { createClient } from '../../src/client/rest-client.js';
import { eventually } from '../support/kubectl.js';

describe('@kubernetes/client-node 1.x', { timeout: 60_000 }, () => {
  let dir: string;
  let pki: Pki;
  let storage: Storage;
  let api: RunningApiServer;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  const start = async (port: number): Promise<void> => {
    storage = await newCacher(await openSqliteStorage({ path: join(dir, 'state.db'), compactIntervalMs: 0 }));
    api = await startApiServer({ registry: createRegistry(storage, { table: builtinResourceTable() }), pki, port });
  };
  const stop = async (): Promise<void> => { await api.close(); await storage.close(); };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-client-node-'));
    pki = await ensurePki(join(dir, 'tls'));
    await start(0);
    await ensureBootstrapNamespaces(createClient({ server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem }));
    kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'k8ts', server: api.url, caData: Buffer.from(pki.ca.certPem).toString('base64') }],
      users: [{ name: 'admin', certData: Buffer.from(pki.admin.certPem).toString('base64'), keyData: Buffer.from(pki.admin.keyPem).toString('base64') }],
      contexts: [{ name: 'k8ts', cluster: 'k8ts', user: 'admin' }],
      currentContext: 'k8ts',
    });
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => { await stop(); rmSync(dir, { recursive: true, force: true }); });

  it('JSON patch of a namespace', async () => {
    await core.createNamespace({ body: { metadata: { name: 'cn' } } });
    const patched = await core.patchNamespace({ name: 'cn', body: [{ op: 'add', path: '/metadata/labels', value: { team: 'a' } }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch));
    assert.equal(patched.metadata?.labels?.team, 'a');
    assert.equal((await core.readNamespace({ name: 'cn' })).metadata?.labels?.team, 'a');
  });

  it('a dry-run delete with dryRun in the DeleteOptions body leaves the object', async () => {
    await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'keep' }, data: { a: '1' } } });
    await core.deleteNamespacedConfigMap({ name: 'keep', namespace: 'cn', body: { dryRun: ['All'] } });
    assert.equal((await core.readNamespacedConfigMap({ name: 'keep', namespace: 'cn' })).data?.a, '1');
  });

  it('a watch sees changes', async () => {
    const seen: string[] = [];
    const req = await new k8s.Watch(kc).watch('/api/v1/namespaces/cn/configmaps', {}, (type: string, obj: k8s.V1ConfigMap) => { seen.push(`${type} ${obj.metadata?.name}`); }, () => {});
    await eventually('initial ADDED', () => seen.includes('ADDED keep'), 5000);
    await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'w1' } } });
    await core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'cn' });
    await eventually('ADDED and DELETED', () => seen.includes('ADDED w1') && seen.includes('DELETED w1'), 5000);
    req.abort();
  });

  it('an informer on ConfigMaps keeps working across an apiserver restart', async () => {
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/cn/configmaps', () => core.listNamespacedConfigMap({ namespace: 'cn' }));
    const added: string[] = [];
    informer.on('add', (o: k8s.V1ConfigMap) => added.push(o.metadata!.name!));
    let stopped = false;
    // As client-node's docs advise: restart the informer after an error (the apiserver went away).
    informer.on('error', () => { setTimeout(() => { if (!stopped) void informer.start(); }, 200); });
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'before' } } });
    await eventually('add before restart', () => added.includes('before'), 5000);
    const port = api.port;
    await stop();
    await start(port);
    await eventually('add after restart', async () => {
      try { await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'after' } } }); } catch { /* retried until the server answers and the informer relists */ }
      return added.includes('after');
    }, 20_000, 500);
    assert.ok(informer.list('cn').some((o) => o.metadata?.name === 'before'));
    stopped = true;
    await informer.stop();
  });

  it('a metadata-only list (PartialObjectMetadataList)', async () => {
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json' } };
    await kc.applyToHTTPSOptions(opts);
    const url = new URL('/api/v1/namespaces/cn/configmaps', kc.getCurrentCluster()!.server);
    const body = await new Promise<string>((resolve, reject) => {
      https.request({ ...opts, host: url.hostname, port: url.port, path: url.pathname }, (res) => {
        let data = '';
        res.on('data', (c) => { data += c; });
        res.on('end', () => resolve(data));
      }).on('error', reject).end();
    });
    const list = JSON.parse(body) as { kind: string; items: Array<{ kind: string; metadata: { name: string }; data?: unknown }> };
    assert.equal(list.kind, 'PartialObjectMetadataList');
    assert.ok(list.items.length >= 2 && list.items.every((i) => i.kind === 'PartialObjectMetadata' && i.data === undefined));
  });
});
