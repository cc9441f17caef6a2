/**
 * A keep-alive HTTPS client of one apiserver on 127.0.0.1 for process-level tests that
 * need many concurrent raw requests (crash safety, bounded growth, datastore round
 * trips): `request` resolves with the status and body, and rejects when the connection
 * fails (a killed server); `reset()` drops every connection (after a restart).
 */
import https from 'node:https';
import type { CertKeyPair, Pki } from '../../src/pki/pki.js';

export interface HttpsClient {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }>;
  reset(): void;
  destroy(): void;
}

/** A client of `https://127.0.0.1:<port>` as `cert` (default the PKI's admin), at most `maxSockets` connections. */
export function httpsClient(port: number, pki: Pki, maxSockets = 50, cert: CertKeyPair = pki.admin): HttpsClient {
  const newAgent = (): https.Agent => new https.Agent({ keepAlive: true, maxSockets, ca: pki.ca.certPem, cert: cert.certPem, key: cert.keyPem });
  let agent = newAgent();
  return {
    request: (method, path, body) => new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request({ host: '127.0.0.1', port, path, method, agent, headers: data ? { 'Content-Type': 'application/json' } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    }),
    reset() { agent.destroy(); agent = newAgent(); },
    destroy() { agent.destroy(); },
  };
}
