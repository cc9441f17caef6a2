/**
 * HTTP helpers shared by the API-level benchmarks (bench/api.ts, bench/scheduler.ts): a
 * keep-alive HTTPS client from a kubeconfig (client certificate), whose `request`
 * resolves with status, body and latency in ms (status 0 for no answer or a timeout),
 * and `stream` calls back per line of a watch; `fill` runs many requests with bounded
 * concurrency.
 */
import https from 'node:https';
import { loadKubeconfig } from '../src/client/rest-client.js';

export interface Api { request(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<{ status: number; body: string; ms: number }>; stream(path: string, onLine: (line: string) => void): () => void }

export function apiFor(kubeconfig: string): Api {
  const cfg = loadKubeconfig(kubeconfig);
  const url = new URL(cfg.server);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca: cfg.caPem, cert: cfg.certPem, key: cfg.keyPem });
  const base = { host: url.hostname, port: Number(url.port), agent };
  return {
    request(method, path, body, timeoutMs = 30_000) {
      return new Promise((resolve) => {
        const t0 = performance.now();
        const data = body === undefined ? undefined : JSON.stringify(body);
        const req = https.request({ ...base, method, path, headers: { Accept: 'application/json', ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
          res.on('error', () => resolve({ status: 0, body: '', ms: performance.now() - t0 }));
        });
        req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
        req.on('error', () => resolve({ status: 0, body: '', ms: performance.now() - t0 }));
        req.end(data);
      });
    },
    stream(path, onLine) {
      const req = https.request({ ...base, agent: new https.Agent({ ca: cfg.caPem, cert: cfg.certPem, key: cfg.keyPem }), method: 'GET', path }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) { onLine(buf.slice(0, i)); buf = buf.slice(i + 1); }
        });
        res.on('error', () => undefined);
      });
      req.on('error', () => undefined);
      req.end();
      return () => req.destroy();
    },
  };
}

/** Runs `count` calls of `fn` with at most `concurrency` in flight; throws on a non-2xx. */
export async function fill(count: number, concurrency: number, fn: (i: number) => Promise<{ status: number; body: string }>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      const r = await fn(i);
      if (r.status < 200 || r.status > 299) throw new Error(`fill ${i}: ${r.status} ${r.body.slice(0, 200)}`);
    }
  }));
}
