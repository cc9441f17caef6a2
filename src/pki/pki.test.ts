import { it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, serialNumberHex } from './pki.js';

it('serial numbers are positive minimal INTEGERs whatever the random bytes (OpenSSL refuses a padded one)', () => {
  for (const first of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
    const hex = serialNumberHex(Buffer.from([first, ...Array(15).fill(first)]));
    assert.equal(hex.length, 32);
    const lead = parseInt(hex.slice(0, 2), 16);
    assert.ok(lead >= 0x40 && lead <= 0x7f, `first byte ${lead.toString(16)} for random ${first.toString(16)}`);
  }
});

it('every certificate of a new PKI loads in OpenSSL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-pki-'));
  try {
    const pki = await ensurePki(dir);
    for (let i = 0; i < 20; i++) {
      const c = await pki.issueCertificate({ commonName: `user-${i}`, organizations: ['g'], usages: 'client' });
      const x = new X509Certificate(c.certPem);
      assert.ok(x.checkIssued(new X509Certificate(pki.ca.certPem)));
      assert.match(x.serialNumber, /^[4-7][0-9A-F]{31}$/);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
