/**
 * Calls one webhook (upstream k8s.io/apiserver/pkg/util/webhook client and
 * admission/plugin/webhook/{validating,mutating}/dispatcher.go callHook): an HTTPS POST
 * of the AdmissionReview JSON to `clientConfig.url`, or to a Service — resolved, as
 * kube-apiserver's default ClusterIP resolver does, to the Service's clusterIP and
 * `service.port` (default 443), with the TLS server name `<name>.<namespace>.svc`. The
 * server certificate is verified against `caBundle` (else the system roots). The URL gets
 * `?timeout=<n>s` as upstream adds it, and the call is aborted after `timeoutSeconds`.
 *
 * Failures throw {@link WebhookCallError} worded as Go's HTTP client
 * (`failed to call webhook: Post "https://127.0.0.1:9443/x?timeout=10s": dial tcp
 * 127.0.0.1:9443: connect: connection refused`, `... context deadline exceeded`).
 */
import https from 'node:https';
import { WebhookCallError } from './errors.js';
import type { WebhookClientConfig } from './types.js';

/** A Service's address for webhooks: its clusterIP, or undefined when it has none / does not exist. */
export type ServiceResolver = (namespace: string, name: string) => Promise<string | undefined>;

/** The target of a webhook call. Throws WebhookCallError when the service cannot be resolved. */
export async function webhookTarget(webhook: string, cfg: WebhookClientConfig, timeoutSeconds: number, resolveService: ServiceResolver): Promise<{ url: URL; servername?: string }> {
  const timeout = `timeout=${timeoutSeconds}s`;
  if (cfg.url) {
    let url: URL;
    try { url = new URL(cfg.url); } catch { throw new WebhookCallError(webhook, `failed to call webhook: parse "${cfg.url}": invalid URL`); }
    url.search = url.search ? `${url.search}&${timeout}` : `?${timeout}`;
    return { url };
  }
  const svc = cfg.service;
  if (!svc) throw new WebhookCallError(webhook, 'failed to call webhook: webhook clientConfig has neither url nor service');
  const ip = await resolveService(svc.namespace, svc.name);
  if (!ip) throw new WebhookCallError(webhook, `failed to call webhook: service "${svc.name}" not found`);
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const path = svc.path ?? '/';
  const url = new URL(`https://${host}:${svc.port ?? 443}${path.startsWith('/') ? path : '/' + path}`);
  url.search = url.search ? `${url.search}&${timeout}` : `?${timeout}`;
  return { url, servername: `${svc.name}.${svc.namespace}.svc` };
}

/** Go's wording of a transport error. */
function goError(err: NodeJS.ErrnoException, url: URL): string {
  const addr = `${url.hostname}:${url.port || 443}`;
  switch (err.code) {
    case 'ECONNREFUSED': return `dial tcp ${addr}: connect: connection refused`;
    case 'ECONNRESET': return 'read: connection reset by peer';
    case 'EHOSTUNREACH': return `dial tcp ${addr}: connect: no route to host`;
    case 'ENOTFOUND': return `dial tcp: lookup ${url.hostname}: no such host`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return `tls: failed to verify certificate: x509: certificate is not valid for ${url.hostname}`;
    case 'CERT_HAS_EXPIRED': return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default: return err.message;
  }
}

/**
 * POSTs `body` (JSON) and returns the parsed JSON answer. Throws WebhookCallError on a
 * transport failure, a timeout, a non-2xx status or a body that is not JSON.
 */
export function postJson(webhook: string, target: { url: URL; servername?: string }, caBundle: string | undefined, body: unknown, timeoutSeconds: number): Promise<unknown> {
  const { url, servername } = target;
  const payload = Buffer.from(JSON.stringify(body));
  const fail = (reason: string, cause?: unknown) => new WebhookCallError(webhook, `failed to call webhook: ${reason}`, { cause });
  const ca = caBundle ? Buffer.from(caBundle, 'base64').toString('utf8') : undefined;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (f: () => void) => { if (!done) { done = true; clearTimeout(timer); f(); } };
    const onResponse = (res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => finish(() => reject(fail(`Post "${url}": ${goError(err, url)}`, err))));
      res.on('end', () => finish(() => {
        const text = Buffer.concat(chunks).toString('utf8');
        const code = res.statusCode ?? 0;
        if (code < 200 || code >= 300) {
          reject(fail(text ? `an error on the server ("${text.slice(0, 1024)}") has prevented the request from succeeding` : `the server responded with the status code ${code} but did not return more information`));
          return;
        }
        try { resolve(JSON.parse(text)); } catch (err) { reject(fail((err as Error).message, err)); }
      }));
    };
    let req: import('node:http').ClientRequest;
    try {
      req = https.request(url, {
        method: 'POST', ...(ca ? { ca } : {}), ...(servername ? { servername } : {}),
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': payload.length },
        agent: false,
      }, onResponse);
    } catch (err) {
      // A caBundle that is no PEM makes the TLS context fail at once.
      reject(fail(`Post "${url}": ${(err as Error).message}`, err));
      return;
    }
    timer = setTimeout(() => finish(() => { req.destroy(); reject(fail(`Post "${url}": context deadline exceeded`)); }), timeoutSeconds * 1000);
    req.on('error', (err) => finish(() => reject(fail(`Post "${url}": ${goError(err as NodeJS.ErrnoException, url)}`, err))));
    req.end(payload);
  });
}
