/**
 * A small HTTPS admission webhook server for tests: its own self-signed CA and a server
 * certificate for 127.0.0.1 (issued with the project's node-forge PKI in a temp dir, so
 * the CA is not the apiserver's), listening on a free loopback port. Each path has a
 * handler that gets the AdmissionRequest and returns the response fields (uid is
 * filled in); requests are recorded. `close()` stops it and removes the temp dir.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../../src/pki/pki.js';

/** What a handler returns: AdmissionResponse fields other than uid. */
export interface WebhookAnswer { allowed: boolean; status?: { code?: number; message?: string; reason?: string }; patch?: unknown[]; warnings?: string[]; auditAnnotations?: Record<string, string> }
export type WebhookHandler = (request: Record<string, any>) => WebhookAnswer | Promise<WebhookAnswer>;

export interface TestWebhookServer {
  /** The https URL of `path`. */
  url(path: string): string;
  /** base64 of the CA's PEM, for `clientConfig.caBundle`. */
  caBundle: string;
  /** Requests received, by path. */
  requests: Array<{ path: string; request: Record<string, any> }>;
  close(): Promise<void>;
}

/** Starts the server with `handlers` by path (unknown paths: 404). */
export async function startWebhookServer(handlers: Record<string, WebhookHandler>): Promise<TestWebhookServer> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-webhook-'));
  const pki = await ensurePki(dir);
  const cert = await pki.issueCertificate({ commonName: 'test-webhook', ipAddresses: ['127.0.0.1'], usages: 'server' });
  const requests: TestWebhookServer['requests'] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const handler = handlers[path];
      if (!handler) { res.writeHead(404).end(); return; }
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push({ path, request: review.request });
      const { patch, ...answer } = await handler(review.request);
      const response = { uid: review.request.uid, ...answer, ...(patch ? { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') } : {}) };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `https://127.0.0.1:${port}${path}`,
    caBundle: Buffer.from(pki.ca.certPem).toString('base64'),
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
