/**
 * Issue #9 acceptance 5 (and the datastore half of 1, 2 and 6) against real `k8ts apiserver`
 * processes, Debian's etcd and the real kubectl: a cluster with 1,000 ConfigMaps is
 * snapshotted with `k8ts snapshot save`, wiped and restored with `k8ts snapshot restore` —
 * every object back with its resourceVersion, later writes gone; migrated SQLite → etcd →
 * SQLite with `k8ts datastore migrate`, every object back each time with resourceVersions
 * in the same order (SQLite keeps etcd's exactly); the same snapshot round trip on etcd;
 * `/readyz` and `kubectl get componentstatuses` follow the etcd member's health; with
 * `k8ts server` on etcd, Secrets encrypted at rest are unreadable in etcd and readable
 * through the API.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensurePki, type Pki } from '../../src/pki/pki.js';
import { databasePath, tlsDir } from '../../src/server/data-dir.js';
import { eventually, freePort, k8ts, kubectl, startComponentProcess, stopServerProcess, type ServerProcess } from '../support/kubectl.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { writeAescbcSecretsConfig } from '../support/encryption.js';
import { httpsClient, type HttpsClient } from '../support/https-client.js';

const N = 1000;
const NS = 'bulk';

interface Reply { status: number; body: string }
type Versions = Map<string, string>;

describe('datastore backup, restore and migration (issue #9)', { timeout: 600_000 }, () => {
  let dir: string;
  let dataDir: string;
  let port: number;
  let pki: Pki;
  let client: HttpsClient;
  let server: ServerProcess | undefined;
  let etcd: EtcdCluster | undefined;

  const request = (method: string, path: string, body?: unknown): Promise<Reply> => client.request(method, path, body);

  const start = async (flags: string[] = [], command: 'apiserver' | 'server' = 'apiserver'): Promise<void> => {
    server = startComponentProcess(command, dataDir, ['--https-listen-port', String(port), ...flags]);
    await eventually('apiserver ready', async () => {
      if (server!.child.exitCode !== null) throw new Error(`apiserver exited with ${server!.child.exitCode}`);
      pki ??= await ensurePki(tlsDir(dataDir));
      client ??= httpsClient(port, pki);
      return (await request('GET', '/readyz')).status === 200;
    }, 60_000, 100);
  };
  const stop = async (): Promise<void> => { client.reset(); await stopServerProcess(server!); server = undefined; };

  /** name → resourceVersion of every ConfigMap of the namespace, and their data checked. */
  const versions = async (): Promise<Versions> => {
    const r = await request('GET', `/api/v1/namespaces/${NS}/configmaps`);
    assert.equal(r.status, 200, r.body);
    // Only the test's own ConfigMaps (a controller manager adds kube-root-ca.crt to every namespace).
    const items = (JSON.parse(r.body) as { items: Array<{ metadata: { name: string; resourceVersion: string }; data: { i: string } }> }).items.filter((i) => i.metadata.name.startsWith('cm-'));
    for (const i of items) assert.equal(`cm-${i.data.i}`, i.metadata.name);
    return new Map(items.map((i) => [i.metadata.name, i.metadata.resourceVersion]));
  };
  const createMany = async (names: string[]): Promise<void> => {
    for (let k = 0; k < names.length; k += 50) {
      const res = await Promise.all(names.slice(k, k + 50).map((name) => request('POST', `/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: name.slice(3) } })));
      assert.deepEqual([...new Set(res.map((r) => r.status))], [201]);
    }
  };
  /** The names ordered by resourceVersion. */
  const order = (v: Versions): string[] => [...v].sort((a, b) => Number(a[1]) - Number(b[1])).map(([n]) => n);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-datastore-'));
    dataDir = join(dir, 'data');
    port = await freePort();
    await start();
    assert.equal((await request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status, 201);
    await createMany(Array.from({ length: N }, (_, i) => `cm-${i}`));
  });

  after(async () => {
    client?.destroy();
    if (server) await stopServerProcess(server);
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let sqliteVersions: Versions;
  let etcdVersions: Versions;

  it('SQLite: snapshot save while serving, wipe, restore — all 1,000 back with their resourceVersions, later writes gone', async () => {
    const snap = join(dir, 'sqlite.snapshot');
    sqliteVersions = await versions();
    assert.equal(sqliteVersions.size, N);
    const saved = await k8ts(['snapshot', 'save', snap, '--data-dir', dataDir]);
    assert.equal(saved.code, 0, saved.stderr);
    await createMany(['cm-5000', 'cm-5001']);
    await stop();
    rmSync(dirname(databasePath(dataDir)), { recursive: true, force: true });
    const restored = await k8ts(['snapshot', 'restore', snap, '--data-dir', dataDir]);
    assert.equal(restored.code, 0, restored.stderr);
    await start();
    assert.deepEqual(await versions(), sqliteVersions);
    // Writes continue above the restored revisions.
    await createMany(['cm-6000']);
    const after = await versions();
    assert.ok(Number(after.get('cm-6000')) > Math.max(...[...sqliteVersions.values()].map(Number)));
    rmSync(snap);
  });

  it('migrate SQLite → etcd: every object back in the same resourceVersion order; kubectl and componentstatuses on etcd', async () => {
    sqliteVersions = await versions();
    await stop();
    etcd = await startEtcdCluster({ members: 1, unsafeNoFsync: false });
    const url = etcd.endpoints[0];
    const moved = await k8ts(['datastore', 'migrate', '--from', `sqlite://${databasePath(dataDir)}`, '--to', url]);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, /migrated \d+ objects/);
    await start(['--datastore-endpoint', url]);
    etcdVersions = await versions();
    assert.deepEqual([...etcdVersions.keys()].sort(), [...sqliteVersions.keys()].sort());
    assert.deepEqual(order(etcdVersions), order(sqliteVersions));
    const kc = server!.kubeconfig;
    assert.equal((await kubectl(kc, ['get', 'configmaps', '-n', NS, '--no-headers'])).trim().split('\n').length, sqliteVersions.size);
    const cs = await kubectl(kc, ['get', 'componentstatuses']);
    assert.match(cs, /etcd-0\s+Healthy/);
    // The objects are at upstream's keys in etcd.
    const { stdout } = await promisify(execFile)('etcdctl', ['--endpoints', url, 'get', `/registry/configmaps/${NS}/cm-1`, '--print-value-only'], { env: { ...process.env, ETCDCTL_API: '3' } });
    assert.equal(JSON.parse(stdout).data.i, '1');
  });

  it('etcd: /readyz fails while the member is down and recovers with it', async () => {
    await etcd!.kill('etcd-0', 'SIGKILL');
    await eventually('readyz failing', async () => {
      const r = await request('GET', '/readyz');
      return r.status === 500 && r.body.includes('[-]etcd failed') ? r : undefined;
    }, 20_000, 200);
    assert.equal((await request('GET', '/livez/etcd')).status, 500);
    await etcd!.restart('etcd-0');
    await eventually('readyz ok again', async () => (await request('GET', '/readyz')).status === 200, 30_000, 200);
    assert.match((await request('GET', '/readyz?verbose')).body, /\[\+\]etcd ok/);
  });

  it('etcd: snapshot save, restore into a new member data dir — all objects back with their resourceVersions', async () => {
    const url = etcd!.endpoints[0];
    const member = etcd!.members[0];
    etcdVersions = await versions();
    const snap = join(dir, 'etcd.snapshot');
    const saved = await k8ts(['snapshot', 'save', snap, '--datastore-endpoint', url]);
    assert.equal(saved.code, 0, saved.stderr);
    await createMany(['cm-7000']);
    await stop();
    await etcd!.kill('etcd-0', 'SIGKILL');
    const fresh = join(dir, 'etcd-restored');
    const restored = await k8ts(['snapshot', 'restore', snap, '--datastore-endpoint', url, '--etcd-data-dir', fresh, '--etcd-name', member.name,
      '--etcd-initial-cluster', `${member.name}=${member.peerURL}`, '--etcd-initial-advertise-peer-urls', member.peerURL]);
    assert.equal(restored.code, 0, restored.stderr);
    rmSync(member.dataDir, { recursive: true, force: true });
    renameSync(fresh, member.dataDir);
    await etcd!.restart('etcd-0');
    await start(['--datastore-endpoint', url]);
    assert.deepEqual(await versions(), etcdVersions);
  });

  it('k8ts server on etcd: Secrets encrypted at rest are unreadable in etcd and readable through the API', async () => {
    const url = etcd!.endpoints[0];
    await stop();
    const config = writeAescbcSecretsConfig(join(dir, 'encryption.yaml'));
    // The whole control plane this time (`k8ts server` without a node): same flags, same datastore.
    await start(['--datastore-endpoint', url, '--encryption-provider-config', config, '--disable-agent', '--disable-dns', '--scheduler-secure-port', '0', '--controller-manager-secure-port', '0'], 'server');
    const kc = server!.kubeconfig;
    await kubectl(kc, ['create', 'secret', 'generic', 'vault', '-n', NS, '--from-literal=password=hunter2-at-rest']);
    const { stdout } = await promisify(execFile)('etcdctl', ['--endpoints', url, 'get', `/registry/secrets/${NS}/vault`, '--print-value-only'], { env: { ...process.env, ETCDCTL_API: '3' }, encoding: 'latin1' });
    assert.ok(stdout.startsWith('k8s:enc:aescbc:v1:key1:'), stdout.slice(0, 40));
    assert.ok(!stdout.includes('hunter2') && !stdout.includes(Buffer.from('hunter2-at-rest').toString('base64')));
    const got = await kubectl(kc, ['get', 'secret', 'vault', '-n', NS, '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(got, 'base64').toString(), 'hunter2-at-rest');
    await kubectl(kc, ['delete', 'secret', 'vault', '-n', NS]);
  });

  it('migrate etcd → SQLite: every object back with exactly etcd\'s resourceVersions', async () => {
    const url = etcd!.endpoints[0];
    etcdVersions = await versions();
    await stop();
    const back = join(dir, 'back', 'state.db');
    const moved = await k8ts(['datastore', 'migrate', '--from', url, '--to', `sqlite://${back}`]);
    assert.equal(moved.code, 0, moved.stderr);
    // A second migration into the now non-empty target is refused.
    const again = await k8ts(['datastore', 'migrate', '--from', url, '--to', `sqlite://${back}`]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /not empty/);
    await start(['--datastore-endpoint', `sqlite://${back}`]);
    assert.deepEqual(await versions(), etcdVersions);
  });
});
