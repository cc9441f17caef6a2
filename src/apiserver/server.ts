/**
 * The apiserver process part: an HTTPS server (node:https, HTTP/1.1) asking for client
 * certificates verified against the cluster CA, in front of the request handler.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Pki } from '../pki/pki.js';
import type { Registry } from './registry/rest.js';
import { createHandler } from './endpoints/handler.js';

export interface ApiServerOptions {
  registry: Registry;
  pki: Pki;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  log?: (msg: string) => void;
}

export interface RunningApiServer { url: string; port: number; close(): Promise<void> }

/** Starts listening; resolves once bound. */
export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((m: string) => console.error(m));
  // The registry holds the authentication chain (x509 by default) so that TokenReview uses the same one.
  const handler = createHandler({ registry: opts.registry, authenticators: opts.registry.authenticators, serverAddress: `${host}:${opts.port}`, log });
  const server = https.createServer({
    cert: opts.pki.server.certPem, key: opts.pki.server.keyPem, ca: opts.pki.ca.certPem,
    requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 120_000,
  }, handler);
  server.on('upgrade', handler.upgrade);
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  const sockets = new Set<{ destroy(): void }>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(opts.port, host, () => resolve()); });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host}:${port}`, port,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); for (const s of sockets) s.destroy(); }),
  };
}
