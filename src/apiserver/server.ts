/**
 * The apiserver process part: an HTTPS server (node:https, HTTP/1.1) asking for client
 * certificates verified against the cluster CA, in front of the request handler.
 */
import https from 'node:https';
import { SERVING_TLS } from '../pki/tls-profile.js';
import type { AddressInfo } from 'node:net';
import type { Pki } from '../pki/pki.js';
import type { Registry } from './registry/rest.js';
import { createHandler } from './endpoints/handler.js';
import type { Auditor } from './audit/auditor.js';
import type { FlowControlSettings } from './flowcontrol/flow-control-filter.js';

export interface ApiServerOptions {
  registry: Registry;
  pki: Pki;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  log?: (msg: string) => void;
  /** Audit policy and log (audit/auditor.ts); absent: no auditing. Its log is closed by close(). */
  auditor?: Auditor;
  /** API Priority and Fairness settings (`--max-requests-inflight`...); default on with upstream's defaults; false: off. */
  flowControl?: FlowControlSettings | false;
}

/**
 * A listening apiserver. `listenAlso(host)` serves the same handler on `host` and the
 * same port (e.g. the node's own address, where pods reach the apiserver through the
 * `kubernetes` Service); idempotent per host; rejects when the address cannot be bound.
 */
export interface RunningApiServer { url: string; port: number; listenAlso(host: string): Promise<void>; close(): Promise<void> }

/** Starts listening; resolves once bound. */
export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((m: string) => console.error(m));
  // The registry holds the authentication chain (x509 by default) so that TokenReview uses the same one.
  // The address is known once bound (port 0 picks one); the handler reads it on first use.
  const handlerOpts = { registry: opts.registry, authenticators: opts.registry.authenticators, serverAddress: `${host}:${opts.port}`, log, auditor: opts.auditor, flowControl: opts.flowControl };
  const handler = createHandler(handlerOpts);
  const sockets = new Set<{ destroy(): void }>();
  const servers = new Map<string, https.Server>();
  const listen = async (h: string, port: number): Promise<number> => {
    const server = https.createServer({
      cert: opts.pki.server.certPem, key: opts.pki.server.keyPem, ca: opts.pki.ca.certPem,
      requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 120_000,
      // Upstream's TLS defaults (tls-profile.ts); client certificates are checked against the cluster CA by the handler.
      ...SERVING_TLS,
    }, handler);
    server.on('upgrade', handler.upgrade);
    server.headersTimeout = 0;
    server.requestTimeout = 0;
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, h, () => resolve()); });
    servers.set(h, server);
    return (server.address() as AddressInfo).port;
  };
  const port = await listen(host, opts.port);
  handlerOpts.serverAddress = `${host}:${port}`;
  return {
    url: `https://${host}:${port}`, port,
    listenAlso: async (h) => { if (!servers.has(h)) await listen(h, port); },
    close: async () => {
      const closing = [...servers.values()].map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
      for (const s of sockets) s.destroy();
      await Promise.all(closing);
      handler.close();
      await opts.auditor?.sink.close();
    },
  };
}
