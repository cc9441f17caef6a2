/**
 * Issue #9 acceptance 4 against a real `k8ts apiserver` on its SQLite datastore, with its
 * default compaction (timer and size trigger): 200,000 updates to 100 ConfigMaps through
 * the API leave the database file with its WAL under 50 MB, every object at its last
 * value, and the server's resident memory flat (sampled from /proc while the updates run:
 * the last sample is within 25 % + 16 MiB of the sample taken after the first 50,000).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../../src/pki/pki.js';
import { databasePath, tlsDir } from '../../src/server/data-dir.js';
import { eventually, freePort, startComponentProcess, stopServerProcess, type ServerProcess } from '../support/kubectl.js';
import { httpsClient, type HttpsClient } from '../support/https-client.js';

const OBJECTS = 100;
const UPDATES = 200_000;
const WORKERS = 50;
const NS = 'churn';

const rssBytes = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const fileSize = (p: string): number => (existsSync(p) ? statSync(p).size : 0);

describe('bounded growth of the SQLite datastore under churn (issue #9)', { timeout: 900_000 }, () => {
  let dataDir: string;
  let port: number;
  let server: ServerProcess;
  let client: HttpsClient;

  const request = (method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> => client.request(method, path, body);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-growth-'));
    port = await freePort();
    server = startComponentProcess('apiserver', dataDir, ['--https-listen-port', String(port)]);
    const pki = await eventually('PKI written', async () => ensurePki(tlsDir(dataDir)), 60_000, 200);
    client = httpsClient(port, pki, WORKERS);
    await eventually('apiserver ready', async () => (await request('GET', '/readyz')).status === 200, 60_000, 100);
  });

  after(async () => {
    client?.destroy();
    if (server) await stopServerProcess(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`${UPDATES} updates to ${OBJECTS} objects: database under 50 MB, memory flat`, async () => {
    assert.equal((await request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status, 201);
    const payload = 'p'.repeat(400);
    for (let i = 0; i < OBJECTS; i++) {
      assert.equal((await request('POST', `/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `o-${i}` }, data: { n: '0', payload } })).status, 201);
    }
    let next = 0;
    const samples: Array<{ at: number; rss: number }> = [];
    const last = new Map<number, number>();
    const worker = async (): Promise<void> => {
      for (;;) {
        const u = next++;
        if (u >= UPDATES) return;
        const i = u % OBJECTS;
        const r = await request('PUT', `/api/v1/namespaces/${NS}/configmaps/o-${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `o-${i}` }, data: { n: String(u), payload } });
        assert.equal(r.status, 200, r.body);
        last.set(i, Math.max(last.get(i) ?? 0, u));
        if (u % 10_000 === 0 && u >= 50_000) samples.push({ at: u, rss: rssBytes(server.child.pid!) });
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    samples.push({ at: UPDATES, rss: rssBytes(server.child.pid!) });

    const db = databasePath(dataDir);
    const size = fileSize(db) + fileSize(`${db}-wal`);
    const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
    console.log(`database ${mib(size)}; RSS ${samples.map((s) => `${s.at / 1000}k:${mib(s.rss)}`).join(' ')}`);
    assert.ok(size < 50 * 1024 * 1024, `database with WAL is ${mib(size)}`);
    const base = samples[0].rss;
    const end = samples[samples.length - 1].rss;
    assert.ok(end <= base * 1.25 + 16 * 1048576, `RSS grew from ${mib(base)} at 50k updates to ${mib(end)}`);

    // Every object holds one of its last writes (concurrent writers may finish out of order).
    const list = JSON.parse((await request('GET', `/api/v1/namespaces/${NS}/configmaps`)).body) as { items: Array<{ metadata: { name: string }; data: { n: string } }> };
    assert.equal(list.items.length, OBJECTS);
    for (const item of list.items) {
      const i = Number(item.metadata.name.slice(2));
      assert.ok(Number(item.data.n) > last.get(i)! - OBJECTS * WORKERS, `${item.metadata.name} at ${item.data.n}, last write ${last.get(i)}`);
    }
  });
});
