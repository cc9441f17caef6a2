/**
 * The apiserver's TLS as upstream serves it (issue #8): TLS 1.2 at least, for TLS 1.2 only
 * ECDHE suites (no RSA key exchange, no 3DES), TLS 1.3 available, and a serving
 * certificate naming every address the PKI was given (--tls-san and the node IP).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { ensurePki } from '../../src/pki/pki.js';

describe('apiserver TLS (issue #8)', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  before(async () => { server = await startTestApiServer('tls'); });
  after(async () => { await server?.close(); });

  /** The negotiated protocol and cipher, or the handshake's error code. */
  const handshake = (o: tls.ConnectionOptions): Promise<{ protocol?: string | null; cipher?: string; error?: string }> => new Promise((resolve) => {
    const sock = tls.connect({ host: '127.0.0.1', port: server.api.port, ca: server.pki.ca.certPem, servername: 'localhost', ...o }, () => {
      resolve({ protocol: sock.getProtocol(), cipher: sock.getCipher().standardName });
      sock.destroy();
    });
    sock.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });

  it('TLS 1.3 by default; TLS 1.2 with ECDHE suites only; TLS 1.1 and RSA key exchange refused', async () => {
    assert.equal((await handshake({})).protocol, 'TLSv1.3');
    assert.deepEqual(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }), { protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
    assert.deepEqual(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' }), { protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' });
    assert.ok((await handshake({ maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' })).error, 'RSA key exchange is not offered');
    assert.ok((await handshake({ maxVersion: 'TLSv1.2', ciphers: 'DHE-RSA-AES128-GCM-SHA256' })).error, 'finite-field DHE is not offered');
    assert.ok((await handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' })).error, 'TLS 1.1 is refused');
  });

  it('the serving certificate names the cluster names, 127.0.0.1, the kubernetes Service IP and every extra SAN', async () => {
    const pki = await ensurePki(join(server.dir, 'tls-sans'), { extraSANs: ['k8ts.example.com', '192.0.2.10'] });
    const sans = new X509Certificate(pki.server.certPem).subjectAltName ?? '';
    for (const name of ['DNS:localhost', 'DNS:kubernetes.default.svc.cluster.local', 'DNS:k8ts.example.com', 'IP Address:127.0.0.1', 'IP Address:10.96.0.1', 'IP Address:192.0.2.10']) {
      assert.ok(sans.split(', ').includes(name), `${name} in ${sans}`);
    }
  });
});
