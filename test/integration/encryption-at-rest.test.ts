/**
 * Encryption at rest (issue #9 acceptance 6) through the API with kubectl: an apiserver
 * on a SQLite file opened with an EncryptionConfiguration for Secrets (aescbc): a
 * Secret's row in the file is `k8s:enc:aescbc:v1:key1:…` without its data or name,
 * `kubectl get secret` reads it back, a ConfigMap stays plain JSON.
 */
import { writeAescbcSecretsConfig } from '../support/encryption.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePki } from '../../src/pki/pki.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { openDatastore } from '../../src/storage/open-datastore.js';
import { loadEncryptionConfiguration } from '../../src/storage/encryption/encryption-config.js';
import { createRegistry } from '../../src/apiserver/registry/index.js';
import { builtinResourceTable } from '../../src/api/builtin-resources.js';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/server.js';
import type { Storage } from '../../src/storage/interface.js';
import { kubectl } from '../support/kubectl.js';

describe('encryption at rest (--encryption-provider-config)', { timeout: 60_000 }, () => {
  let dir: string;
  let storage: Storage;
  let api: RunningApiServer;
  let kc: string;
  const run = (args: string[]) => kubectl(kc, ['--cache-dir', join(dir, 'cache'), ...args]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-encryption-'));
    const configPath = writeAescbcSecretsConfig(join(dir, 'encryption.yaml'));
    const pki = await ensurePki(join(dir, 'tls'));
    storage = await openDatastore({ path: join(dir, 'state.db'), transformer: loadEncryptionConfiguration(configPath) });
    api = await startApiServer({ registry: createRegistry(storage, { table: builtinResourceTable() }), pki, port: 0, log: () => {} });
    kc = join(dir, 'kubeconfig');
    writeKubeconfig(kc, { server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
  });
  after(async () => { await api?.close(); await storage?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('a Secret is unreadable in the datastore file and readable through the API; a ConfigMap is stored plain', async () => {
    await run(['create', 'namespace', 'default']);
    await run(['create', 'secret', 'generic', 'db-creds', '--from-literal=password=hunter2-very-secret']);
    await run(['create', 'configmap', 'settings', '--from-literal=mode=plain-text-mode']);
    assert.equal(Buffer.from((await run(['get', 'secret', 'db-creds', '-o', 'jsonpath={.data.password}'])).trim(), 'base64').toString(), 'hunter2-very-secret');
    const db = new Database(join(dir, 'state.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT name, value FROM kine WHERE value IS NOT NULL').all() as Array<{ name: string; value: string }>;
      const secret = rows.filter((r) => r.name === '/registry/secrets/default/db-creds');
      assert.ok(secret.length >= 1);
      const b64 = Buffer.from('hunter2-very-secret').toString('base64');
      for (const r of secret) {
        assert.match(r.value, /^k8s:enc:aescbc:v1:key1:/);
        assert.ok(!r.value.includes(b64) && !r.value.includes('db-creds'));
      }
      assert.ok(!rows.some((r) => r.value.includes(b64)), 'the secret\'s data is nowhere in the file');
      const cm = rows.find((r) => r.name === '/registry/configmaps/default/settings');
      assert.match(cm!.value, /"mode":"plain-text-mode"/);
    } finally { db.close(); }
  });
});
