import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { KubeObject } from '../../api/object.js';
import { runStorageConformance } from '../conformance.js';
import { openSqliteStorage } from '../sqlite/sqlite-storage.js';
import { parseEncryptionConfiguration } from './encryption-config.js';

const KEY1 = Buffer.alloc(32, 1).toString('base64');
const KEY2 = Buffer.alloc(16, 2).toString('base64');
const config = (providers: string, resources = '[secrets]'): string => `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: ${resources}
  providers:
${providers}`;
const AESCBC = `  - aescbc:\n      keys:\n      - {name: key1, secret: ${KEY1}}\n`;
const AESGCM = `  - aesgcm:\n      keys:\n      - {name: key2, secret: ${KEY2}}\n`;
const IDENTITY = '  - identity: {}\n';
const SECRET_KEY = '/registry/secrets/default/s';

it('aescbc and aesgcm write upstream\'s prefixes and read their own values back; other resources stay plain', () => {
  for (const [providers, prefix] of [[AESCBC, 'k8s:enc:aescbc:v1:key1:'], [AESGCM, 'k8s:enc:aesgcm:v1:key2:']] as const) {
    const t = parseEncryptionConfiguration(config(providers));
    const stored = t.toStorage(SECRET_KEY, '{"data":{"password":"c2VjcmV0"}}');
    assert.ok(stored.startsWith(prefix), stored);
    assert.ok(!stored.includes('c2VjcmV0'));
    assert.equal(t.fromStorage(SECRET_KEY, stored), '{"data":{"password":"c2VjcmV0"}}');
    assert.notEqual(t.toStorage(SECRET_KEY, 'x'), t.toStorage(SECRET_KEY, 'x'), 'a fresh IV/nonce per write');
    assert.equal(t.toStorage('/registry/configmaps/default/c', 'plain'), 'plain');
  }
});

it('identity reads values written before encryption; a second key reads after rotation; a missing key or tampering fails', () => {
  const before = parseEncryptionConfiguration(config(AESGCM));
  const old = before.toStorage(SECRET_KEY, 'old');
  const rotated = parseEncryptionConfiguration(config(AESCBC + AESGCM + IDENTITY));
  assert.equal(rotated.fromStorage(SECRET_KEY, old), 'old');
  assert.equal(rotated.fromStorage(SECRET_KEY, '{"plain":true}'), '{"plain":true}');
  assert.ok(rotated.toStorage(SECRET_KEY, 'new').startsWith('k8s:enc:aescbc:v1:key1:'));
  const cbcOnly = parseEncryptionConfiguration(config(AESCBC));
  assert.throws(() => cbcOnly.fromStorage(SECRET_KEY, old), /no matching prefix found/);
  const tampered = old.slice(0, -4) + (old.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.throws(() => before.fromStorage(SECRET_KEY, tampered));
  const plainWriter = parseEncryptionConfiguration(config(IDENTITY + AESCBC));
  assert.equal(plainWriter.toStorage(SECRET_KEY, 'x'), 'x', 'identity first: writes stay plain (decryption phase)');
});

it('resources match by name and group, with wildcards; bad configurations are refused with a field path', () => {
  const t = parseEncryptionConfiguration(config(AESCBC, '[deployments.apps, "*.batch", configmaps]'));
  assert.ok(t.toStorage('/registry/apps/deployments/default/d', 'x').startsWith('k8s:enc:'));
  assert.ok(t.toStorage('/registry/batch/jobs/default/j', 'x').startsWith('k8s:enc:'));
  assert.ok(t.toStorage('/registry/configmaps/default/c', 'x').startsWith('k8s:enc:'));
  assert.equal(t.toStorage('/registry/secrets/default/s', 'x'), 'x');
  assert.equal(t.toStorage('/registry/apps/statefulsets/default/s', 'x'), 'x');
  assert.throws(() => parseEncryptionConfiguration(config('  - secretbox:\n      keys: [{name: k, secret: a}]\n')), /resources\[0\]\.providers\[0\]: Unsupported value: "secretbox"/);
  assert.throws(() => parseEncryptionConfiguration(config(`  - aescbc:\n      keys:\n      - {name: short, secret: ${Buffer.alloc(10).toString('base64')}}\n`)), /secret is not of the expected length, got 10/);
  assert.throws(() => parseEncryptionConfiguration('kind: Something'), /EncryptionConfiguration/);
});

// The whole storage contract holds with every value encrypted.
runStorageConformance('sqlite with aesgcm encryption of every resource', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-enc-'));
  const storage = await openSqliteStorage({ path: join(dir, 'state.db'), compactIntervalMs: 0, transformer: parseEncryptionConfiguration(config(AESGCM, '["*.*"]')) });
  return { storage, cleanup: async () => { await storage.close(); rmSync(dir, { recursive: true, force: true }); } };
});

it('sqlite: encrypted values are unreadable in the file and read back through the storage; an unchanged update writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-enc-'));
  try {
    const path = join(dir, 'state.db');
    const s = await openSqliteStorage({ path, compactIntervalMs: 0, transformer: parseEncryptionConfiguration(config(AESCBC)) });
    const created = await s.create<KubeObject>(SECRET_KEY, { metadata: { name: 's', namespace: 'default' }, data: { password: 'c3VwZXItc2VjcmV0' } });
    const same = await s.guaranteedUpdate<KubeObject>(SECRET_KEY, (cur) => structuredClone(cur!));
    assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion, 'no new revision for an unchanged object');
    await s.close();
    const raw = new Database(path, { readonly: true }).prepare('SELECT value FROM kine WHERE name = ?').all(SECRET_KEY) as Array<{ value: string }>;
    assert.ok(raw.length >= 1);
    for (const r of raw) {
      assert.ok(r.value.startsWith('k8s:enc:aescbc:v1:key1:'));
      assert.ok(!r.value.includes('c3VwZXItc2VjcmV0') && !r.value.includes('"name"'));
    }
    const again = await openSqliteStorage({ path, compactIntervalMs: 0, transformer: parseEncryptionConfiguration(config(AESCBC)) });
    assert.deepEqual((await again.get<KubeObject>(SECRET_KEY)).data, { password: 'c3VwZXItc2VjcmV0' });
    await again.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
