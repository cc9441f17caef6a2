/**
 * The kubelet's HTTPS API (upstream pkg/kubelet/server): `/healthz` and
 * `GET /containerLogs/{namespace}/{pod}/{container}` (follow, tailLines, timestamps,
 * previous, sinceSeconds, sinceTime, limitBytes) read from the CRI log files. Every
 * request (and upgrade) is authenticated and authorized through `auth` (auth.ts: a
 * client certificate of the cluster CA or a bearer token by TokenReview, then a
 * SubjectAccessReview on nodes/<subresource>): 401 `Unauthorized`, 403 `Forbidden (...)`.
 * `/stats/summary`, `/metrics`, `/metrics/resource` and `/pods`: see api-routes.ts.
 */
import https from 'node:https';
import { SERVING_TLS } from '../../pki/tls-profile.js';
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { forwardUpgrade, rejectUpgrade } from '../../machinery/http-upgrade.js';
import { openSync, readSync, closeSync, statSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { CriClient } from '../cri/cri-client.js';
import { CONTAINER_NAME, POD_NAME, POD_NAMESPACE } from '../labels.js';
import { parseCriLines, parseCriLog, renderLines } from '../cri-log.js';
import { handleApiRoute, type ApiRouteOptions } from './api-routes.js';
import type { KubeletAuth } from './auth.js';

export interface LogServerOptions extends ApiRouteOptions { address: string; port: number; tls: { certPem: string; keyPem: string; caPem: string }; cri: CriClient; auth: KubeletAuth }

function status(res: import('node:http').ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: code === 404 ? 'NotFound' : 'BadRequest', code }));
}

export async function startLogServer(opts: LogServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  /** 401/403 with the text upstream's kubelet answers, or undefined when the caller may go on. */
  const check = async (req: IncomingMessage, url: URL): Promise<{ code: number; message: string } | undefined> => {
    const user = await opts.auth.authenticate(req);
    if (!user) return { code: 401, message: 'Unauthorized' };
    const denied = await opts.auth.authorize(user, req.method ?? 'GET', url.pathname);
    return denied ? { code: 403, message: denied } : undefined;
  };
  const server = https.createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem, ca: opts.tls.caPem, requestCert: true, rejectUnauthorized: false, ...SERVING_TLS }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const refusal = await check(req, url);
      if (refusal) { res.writeHead(refusal.code, { 'Content-Type': 'text/plain; charset=utf-8' }); res.end(refusal.message); return; }
      if (url.pathname === '/healthz') { res.end('ok'); return; }
      if (await handleApiRoute(req, res, url, opts)) return;
      const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (!m || req.method !== 'GET') return status(res, 404, 'not found');
      const [ns, pod, container] = m.slice(1).map(decodeURIComponent);
      const q = url.searchParams;
      const list = (await opts.cri.listContainers({ labelSelector: { [POD_NAMESPACE]: ns, [POD_NAME]: pod, [CONTAINER_NAME]: container } }))
        .sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
      const target = q.get('previous') === 'true' ? list[1] : list[0];
      if (!target) return status(res, 400, q.get('previous') === 'true' ? `previous terminated container "${container}" in pod "${pod}" not found` : `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`);
      const st = await opts.cri.containerStatus(target.id);
      const sinceTime = q.has('sinceSeconds') ? Date.now() - Number(q.get('sinceSeconds')) * 1000 : q.has('sinceTime') ? Date.parse(q.get('sinceTime')!) : undefined;
      const lo = { timestamps: q.get('timestamps') === 'true', tailLines: q.has('tailLines') ? Number(q.get('tailLines')) : undefined, sinceTime, limitBytes: q.has('limitBytes') ? Number(q.get('limitBytes')) : undefined };
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      let content = '';
      try { content = readFileSync(st.logPath, 'utf8'); } catch { /* no output yet */ }
      res.write(parseCriLog(content, lo));
      if (q.get('follow') !== 'true') { res.end(); return; }
      // Follow: poll the file until the client goes away or the container ends.
      let offset = Buffer.byteLength(content);
      let rest = content.endsWith('\n') ? '' : content.slice(content.lastIndexOf('\n') + 1);
      let closed = false;
      req.on('close', () => { closed = true; });
      while (!closed) {
        await new Promise((r) => setTimeout(r, 200));
        let size = 0;
        try { size = statSync(st.logPath).size; } catch { /* rotated away */ }
        if (size > offset) {
          const fd = openSync(st.logPath, 'r');
          const buf = Buffer.alloc(size - offset);
          readSync(fd, buf, 0, buf.length, offset);
          closeSync(fd);
          offset = size;
          const parsed = parseCriLines(rest + buf.toString('utf8'));
          rest = parsed.rest;
          res.write(renderLines(parsed.lines, lo));
        } else {
          const now = await opts.cri.containerStatus(target.id).catch(() => undefined);
          if (!now || now.state !== 'CONTAINER_RUNNING') break;
        }
      }
      res.end();
    })().catch((err) => { if (!res.headersSent) status(res, 500, (err as Error).message); else res.end(); });
  });
  // Streaming (upstream kubelet server's /exec, /attach, /portForward): CRI Exec/Attach/
  // PortForward gives a URL on the runtime's streaming server; the client's upgrade
  // handshake (WebSocket or SPDY) is forwarded there byte for byte.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const refusal = await check(req, url);
      if (refusal) return rejectUpgrade(socket, refusal.code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: refusal.message, reason: refusal.code === 401 ? 'Unauthorized' : 'Forbidden', code: refusal.code });
      const q = url.searchParams;
      const flag = (k: string): boolean => q.get(k) === 'true' || q.get(k) === '1';
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      let streamUrl: string;
      if ((parts[0] === 'exec' || parts[0] === 'attach') && parts.length === 4) {
        const [, ns, pod, container] = parts;
        const c = (await opts.cri.listContainers({ labelSelector: { [POD_NAMESPACE]: ns, [POD_NAME]: pod, [CONTAINER_NAME]: container }, state: { state: 'CONTAINER_RUNNING' } }))[0];
        if (!c) return rejectUpgrade(socket, 400, { message: `container ${container} is not running in pod ${ns}/${pod}` });
        streamUrl = parts[0] === 'exec'
          ? await opts.cri.exec({ containerId: c.id, cmd: q.getAll('command'), tty: flag('tty'), stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') })
          : await opts.cri.attach({ containerId: c.id, tty: flag('tty'), stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') });
      } else if (parts[0] === 'portForward' && parts.length === 3) {
        const [, ns, pod] = parts;
        const sb = (await opts.cri.listPodSandbox({ labelSelector: { [POD_NAMESPACE]: ns, [POD_NAME]: pod }, state: { state: 'SANDBOX_READY' } }))[0];
        if (!sb) return rejectUpgrade(socket, 400, { message: `pod ${ns}/${pod} has no running sandbox` });
        streamUrl = await opts.cri.portForward({ podSandboxId: sb.id, port: q.getAll('port').map(Number) });
      } else return rejectUpgrade(socket, 404, { message: 'not found' });
      const target = new URL(streamUrl);
      const upstream = net.connect(Number(target.port), target.hostname, () => forwardUpgrade(req, socket, head, upstream, target.pathname + target.search, target.host));
      upstream.on('error', () => rejectUpgrade(socket, 500, { message: 'runtime streaming server unreachable' }));
    })().catch((err) => rejectUpgrade(socket, 500, { message: (err as Error).message }));
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(opts.port, opts.address, () => resolve()); });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}
