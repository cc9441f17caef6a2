/**
 * The secure serving port of kube-scheduler (10259) and kube-controller-manager (10257)
 * (upstream k8s.io/apiserver SecureServingOptions + the component's insecure-free
 * handler chain): `GET /metrics` (Prometheus text exposition of the component's
 * registry), `GET /healthz`, `/readyz`, `/livez` ("ok").
 * Upstream authenticates scrapes by delegating to the apiserver (TokenReview,
 * SubjectAccessReview); here the TLS layer requires a client certificate signed by the
 * cluster CA (requestCert + rejectUnauthorized): a client without one fails the
 * handshake, there is no anonymous access.
 * Also here: the leader-election gauge both components export (client-go
 * tools/leaderelection metrics.go: `leader_election_master_status{name}`), the
 * controller manager's registry, and a self-signed serving certificate for the
 * stand-alone commands, which have a kubeconfig but not the cluster CA's key.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import client from 'prom-client';
import forge from 'node-forge';
import type { LeaderElectionMetrics } from '../client/leader-election.js';
import { createPrometheusWorkQueueMetricsProvider, type WorkQueueMetricsProvider } from '../client/workqueue/metrics.js';
import { serialNumberHex } from '../pki/pki.js';

export interface ComponentMetricsServerOptions {
  /** The registry `/metrics` exposes. */
  registry: client.Registry;
  /** Listen address, e.g. 127.0.0.1. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM serving certificate and key, and the CA bundle client certificates must chain to. */
  tls: { certPem: string; keyPem: string; caPem: string };
}

export interface ComponentMetricsServer {
  /** The port listened on. */
  port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const HEALTH = new Set(['/healthz', '/readyz', '/livez']);

/**
 * Starts the HTTPS server; resolves once it listens. Rejects with the listen error
 * (e.g. EADDRINUSE). Answers 404 to other paths and 405 to other methods.
 */
export async function startComponentMetricsServer(o: ComponentMetricsServerOptions): Promise<ComponentMetricsServer> {
  const server = https.createServer({ cert: o.tls.certPem, key: o.tls.keyPem, ca: o.tls.caPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed\n'); return; }
    if (path === '/metrics') {
      o.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': o.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
      );
      return;
    }
    if (HEALTH.has(path)) { res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok'); return; }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/**
 * `leader_election_master_status{name}` on `registry`: 1 while leading the Lease `name`,
 * 0 as a backup. The returned object goes into runWithLeaderElection's `metrics`.
 */
export function createLeaderElectionMetrics(registry: client.Registry): LeaderElectionMetrics {
  const gauge = new client.Gauge({ name: 'leader_election_master_status', help: "[ALPHA] Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.", labelNames: ['name'], registers: [registry] });
  return { leaderOn: (name) => gauge.set({ name }, 1), leaderOff: (name) => gauge.set({ name }, 0) };
}

/** The controller manager's metrics: its registry (with process metrics), the work-queue provider and the leader-election gauge. */
export interface ControllerManagerMetrics {
  registry: client.Registry;
  workqueue: WorkQueueMetricsProvider;
  leaderElection: LeaderElectionMetrics;
}

/** A new {@link ControllerManagerMetrics} (`defaultMetrics`: process_* and nodejs_* too, default true). */
export function createControllerManagerMetrics(opts: { defaultMetrics?: boolean } = {}): ControllerManagerMetrics {
  const registry = new client.Registry();
  if (opts.defaultMetrics ?? true) client.collectDefaultMetrics({ register: registry });
  return { registry, workqueue: createPrometheusWorkQueueMetricsProvider(registry), leaderElection: createLeaderElectionMetrics(registry) };
}

/**
 * A self-signed serving certificate (RSA 2048, one year) for `commonName` with `hosts`
 * (DNS names or IP addresses) as SANs — upstream's self-signed fallback when no
 * --tls-cert-file is given. PEM strings.
 */
export function selfSignedServingCertificate(commonName: string, hosts: string[]): { certPem: string; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = serialNumberHex(randomBytes(16));
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const subject = [{ name: 'commonName', value: `${commonName}@${Math.floor(Date.now() / 1000)}` }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), keyPem };
}
