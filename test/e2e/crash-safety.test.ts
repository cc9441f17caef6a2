/**
 * Issue #9 acceptance 3 against a real `k8ts apiserver` on its SQLite datastore: 20 times,
 * SIGKILL the process during a storm of concurrent writes (creates of ConfigMaps with a
 * self-checking payload, and updates of one counter ConfigMap per writer), then check the
 * database file opens cleanly (`PRAGMA integrity_check`), restart the apiserver on it and
 * read everything back: every write the apiserver acknowledged (201/200) is there, every
 * object present is whole (its checksum matches its payload), and a counter is at least
 * the last value acknowledged for it and at most the last one sent.
 */
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePki, type Pki } from '../../src/pki/pki.js';
import { databasePath, tlsDir } from '../../src/server/data-dir.js';
import { eventually, freePort, startComponentProcess, stopServerProcess, type ServerProcess } from '../support/kubectl.js';
import { httpsClient, type HttpsClient } from '../support/https-client.js';

const ROUNDS = 20;
const WRITERS = 32;
const NS = 'storm';

interface Reply { status: number; body: string }

const checksum = (payload: string): string => createHash('sha256').update(payload).digest('hex').slice(0, 16);

describe('crash safety of the SQLite datastore (issue #9)', { timeout: 600_000 }, () => {
  let dataDir: string;
  let port: number;
  let pki: Pki;
  let server: ServerProcess | undefined;
  let client: HttpsClient;

  const request = (method: string, path: string, body?: unknown): Promise<Reply> => client.request(method, path, body);

  const start = async (): Promise<void> => {
    server = startComponentProcess('apiserver', dataDir, ['--https-listen-port', String(port)]);
    await eventually('apiserver ready', async () => {
      if (server!.child.exitCode !== null) throw new Error(`apiserver exited with ${server!.child.exitCode}`);
      pki ??= await ensurePki(tlsDir(dataDir));
      client ??= httpsClient(port, pki, WRITERS);
      return (await request('GET', '/readyz')).status === 200;
    }, 60_000, 100);
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-crash-'));
    port = await freePort();
    await start();
    assert.equal((await request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status, 201);
  });

  after(async () => {
    client?.destroy();
    if (server) await stopServerProcess(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`SIGKILL during a write storm, ${ROUNDS} times: every acknowledged write survives, nothing is half-written`, async () => {
    const acked = new Map<string, string>(); // name → payload of every acknowledged create
    const counterAcked = new Map<string, number>();
    const counterSent = new Map<string, number>();
    let totalAcked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let stop = false;
      const writer = async (w: number): Promise<void> => {
        const counter = `counter-${w}`;
        for (let seq = 0; !stop; seq++) {
          try {
            if (seq % 4 === 3) {
              const n = (counterSent.get(counter) ?? 0) + 1;
              counterSent.set(counter, n);
              const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: counter }, data: { n: String(n), check: checksum(String(n)) } };
              const r = n === 1 ? await request('POST', `/api/v1/namespaces/${NS}/configmaps`, body) : await request('PUT', `/api/v1/namespaces/${NS}/configmaps/${counter}`, body);
              if (r.status === 200 || r.status === 201) counterAcked.set(counter, n);
            } else {
              const name = `r${round}-w${w}-s${seq}`;
              const payload = `${name}:${'x'.repeat(200 + ((w * 31 + seq) % 800))}`;
              const r = await request('POST', `/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload, check: checksum(payload) } });
              if (r.status === 201) { acked.set(name, payload); totalAcked++; }
            }
          } catch { return; } // the connection died with the process
        }
      };
      const storm = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      // Kill at a different moment each round, once writes are flowing.
      const before = totalAcked;
      await eventually('writes acknowledged', () => totalAcked - before >= 20, 30_000, 5);
      await new Promise((r) => setTimeout(r, 50 + (round * 37) % 300));
      server!.child.kill('SIGKILL');
      await server!.exited;
      stop = true;
      await storm;
      client.reset();

      const db = new Database(databasePath(dataDir));
      try { assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', `round ${round}: integrity check`); } finally { db.close(); }

      await start();
      const list = await request('GET', `/api/v1/namespaces/${NS}/configmaps`);
      assert.equal(list.status, 200);
      const items = (JSON.parse(list.body) as { items: Array<{ metadata: { name: string }; data: { payload?: string; n?: string; check: string } }> }).items;
      const present = new Map(items.map((i) => [i.metadata.name, i.data]));
      for (const [name, data] of present) {
        const value = data.payload ?? data.n ?? '';
        assert.equal(data.check, checksum(value), `round ${round}: ${name} is whole`);
      }
      const missing = [...acked.keys()].filter((n) => !present.has(n));
      assert.deepEqual(missing, [], `round ${round}: acknowledged creates missing after the crash`);
      for (const [name, payload] of acked) assert.equal(present.get(name)!.payload, payload);
      for (const [counter, n] of counterAcked) {
        const got = Number(present.get(counter)?.n ?? 0);
        assert.ok(got >= n && got <= counterSent.get(counter)!, `round ${round}: ${counter} is ${got}, acknowledged ${n}, sent ${counterSent.get(counter)}`);
        counterSent.set(counter, got); // the next round continues from what is stored
      }
      for (const name of present.keys()) if (!name.startsWith('counter-') && !acked.has(name)) acked.set(name, present.get(name)!.payload!);
    }
    assert.ok(totalAcked > ROUNDS * 20, `only ${totalAcked} writes acknowledged`);
  });
});
