/**
 * The proxy connecters against loopback servers: a plain HTTP server plays a pod's
 * container (the pod's IP is 127.0.0.1, set through pods/status), an HTTPS server with a
 * certificate of the cluster CA plays a node's kubelet (it requires the apiserver's
 * kubelet-client certificate), and an EndpointSlice points a Service at the container.
 * Also the real kubectl 1.32 (`get --raw`) through pods/proxy.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import type { TLSSocket } from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinResourceTable } from '../../src/api/builtin-resources.js';
import { ensurePki, type Pki } from '../../src/pki/pki.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { newCacher } from '../../src/storage/cacher/cacher.js';
import { createRegistry } from '../../src/apiserver/registry/index.js';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/server.js';
import type { Storage } from '../../src/storage/interface.js';
import { kubectl, kubectlRaw } from '../support/kubectl.js';

interface Reply { code: number; headers: http.IncomingHttpHeaders; raw: Buffer; text: string; json: any }
interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

describe('proxy connecters (pods, nodes, services)', { timeout: 120_000 }, () => {
  let dir: string;
  let pki: Pki;
  let storage: Storage;
  let api: RunningApiServer;
  let kubeconfig: string;
  let container: http.Server;
  let cport: number;
  let kubelet: https.Server;
  let kport: number;
  let closedPort: number;
  const seen: Seen[] = [];
  const kubeletSeen: Array<{ url: string; cn: string }> = [];

  const request = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> => new Promise((resolve, reject) => {
    const url = new URL(path, api.url);
    const req = https.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString();
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ code: res.statusCode ?? 0, headers: res.headers, raw, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  const create = async (path: string, obj: unknown) => {
    const r = await request('POST', path, { 'Content-Type': 'application/json' }, JSON.stringify(obj));
    assert.ok(r.code === 201, `${path}: ${r.code} ${r.text}`);
    return r.json;
  };
  const patchStatus = async (path: string, status: unknown) => {
    const r = await request('PATCH', `${path}/status`, { 'Content-Type': 'application/merge-patch+json' }, JSON.stringify({ status }));
    assert.equal(r.code, 200, r.text);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-proxy-'));
    pki = await ensurePki(join(dir, 'tls'));
    // The "container": echoes what reached it.
    container = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
        seen.push(s);
        if (req.url?.startsWith('/redirect')) {
          res.writeHead(302, { Location: `http://127.0.0.1:${cport}/target/?x=1` });
          return res.end();
        }
        if (req.url?.startsWith('/page')) {
          const html = `<html><head><link rel="stylesheet" href="/static/a.css"><script src='/app.js'>var s = "<a href='/not/me'>";</script></head>`
            + `<body><!-- <a href="/comment"> --><a href="http://127.0.0.1:${cport}/abs?x=1&amp;y=2">abs</a> <a href=rel/x>rel</a> <img src=/img.png alt="/alt"> <a href="https://example.invalid/y">ext</a></body></html>`;
          const gz = req.url.includes('gz');
          const body = gz ? zlib.gzipSync(html) : Buffer.from(html);
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length), ...(gz ? { 'Content-Encoding': 'gzip' } : {}) });
          return res.end(body);
        }
        if (req.url?.startsWith('/elsewhere')) {
          res.writeHead(302, { Location: 'http://example.invalid/away' });
          return res.end();
        }
        const out = JSON.stringify(s);
        res.writeHead(req.method === 'POST' ? 201 : 200, {
          'Content-Type': 'application/json', 'X-From-Container': 'yes', 'Access-Control-Allow-Origin': '*',
          'Set-Cookie': ['a=1', 'b=2'], 'Content-Length': String(Buffer.byteLength(out)),
        });
        res.end(req.method === 'HEAD' ? undefined : out);
      });
    });
    container.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' });
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      if (head.length) socket.write(head);
      socket.on('data', (d: Buffer) => socket.write(`echo:${d}`));
    });
    await new Promise<void>((r) => container.listen(0, '127.0.0.1', r));
    cport = (container.address() as net.AddressInfo).port;
    // A port nothing listens on.
    const tmp = net.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    closedPort = (tmp.address() as net.AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    // The "kubelet": HTTPS with a certificate of the cluster CA, client certificates required.
    const serving = await pki.issueCertificate({ commonName: 'n1', dnsNames: ['n1'], ipAddresses: ['127.0.0.1'], usages: 'server' });
    kubelet = https.createServer({ cert: serving.certPem, key: serving.keyPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const cn = String((req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '');
      kubeletSeen.push({ url: req.url ?? '', cn });
      if (req.url === '/healthz') { res.writeHead(200, { 'Content-Type': 'text/plain' }); return res.end('ok'); }
      if (req.url?.startsWith('/stats/summary')) { res.writeHead(200, { 'Content-Type': 'application/json' }); return res.end(JSON.stringify({ node: { nodeName: 'n1' } })); }
      res.writeHead(404); res.end('404 page not found');
    });
    await new Promise<void>((r) => kubelet.listen(0, '127.0.0.1', r));
    kport = (kubelet.address() as net.AddressInfo).port;

    storage = await newCacher(await openSqliteStorage({ path: ':memory:', compactIntervalMs: 0 }));
    const kc = await pki.issueCertificate({ commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'], usages: 'client' });
    const registry = createRegistry(storage, { table: builtinResourceTable(), kubeletClient: { certPem: kc.certPem, keyPem: kc.keyPem, caPem: pki.ca.certPem }, proxy: { allowLoopback: true } });
    api = await startApiServer({ registry, pki, port: 0 });
    kubeconfig = join(dir, 'kubeconfig.yaml');
    writeKubeconfig(kubeconfig, { server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });

    await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
    await create('/api/v1/namespaces/ns/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: cport }] }] } });
    await patchStatus('/api/v1/namespaces/ns/pods/p', { podIP: '127.0.0.1', podIPs: [{ ip: '127.0.0.1' }] });
    await create('/api/v1/namespaces/ns/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'noip' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    await create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await patchStatus('/api/v1/nodes/n1', { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kport } } });
    await create('/api/v1/namespaces/ns/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: cport }] } });
    await create('/apis/discovery.k8s.io/v1/namespaces/ns/endpointslices', {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', namespace: 'ns', name: 'p' } }],
      ports: [{ name: 'http', port: cport, protocol: 'TCP' }],
    });
    await create('/api/v1/namespaces/ns/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty' }, spec: { ports: [{ name: 'http', port: 80 }] } });
  });
  after(async () => {
    await api?.close();
    await storage?.close();
    container?.closeAllConnections(); container?.close();
    kubelet?.closeAllConnections(); kubelet?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const podBase = () => `/api/v1/namespaces/ns/pods/p:${cport}/proxy`;

  it('GET through pods/{name:port}/proxy: path, query, headers both ways', async () => {
    const r = await request('GET', `${podBase()}/some/path?q=1&q=2`, { 'X-Test': 'a', Accept: 'application/json' });
    assert.equal(r.code, 200, r.text);
    const s = r.json as Seen;
    assert.equal(s.method, 'GET');
    assert.equal(s.url, '/some/path?q=1&q=2');
    assert.equal(s.headers['x-test'], 'a');
    assert.equal(s.headers.authorization, undefined);
    assert.equal(s.headers['x-forwarded-uri'], `/api/v1/namespaces/ns/pods/p:${cport}/proxy/some/path`);
    assert.equal(s.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(r.headers['x-from-container'], 'yes');
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  });

  it('POST, PUT, PATCH, DELETE, HEAD, OPTIONS pass with their bodies', async () => {
    const r = await request('POST', `${podBase()}/submit?x=y`, { 'Content-Type': 'text/plain' }, 'hello body');
    assert.equal(r.code, 201, r.text);
    assert.deepEqual([r.json.method, r.json.url, r.json.body, r.json.headers['content-type']], ['POST', '/submit?x=y', 'hello body', 'text/plain']);
    for (const m of ['PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const x = await request(m, `${podBase()}/m`, { 'Content-Type': 'application/json' }, '{"a":1}');
      assert.deepEqual([x.code, x.json?.method, x.json?.body], [200, m, '{"a":1}'], m);
    }
    const h = await request('HEAD', `${podBase()}/h`);
    assert.deepEqual([h.code, h.text, h.headers['x-from-container']], [200, '', 'yes']);
    assert.equal(seen.at(-1)?.method, 'HEAD');
  });

  it('the port defaults to the first container port; trailing slashes and ?path= as upstream', async () => {
    let r = await request('GET', '/api/v1/namespaces/ns/pods/p/proxy/dir/');
    assert.deepEqual([r.code, r.json.url], [200, '/dir/']);
    r = await request('GET', `/api/v1/namespaces/ns/pods/http:p:${cport}/proxy/`);
    assert.deepEqual([r.code, r.json.url], [200, '/']);
    r = await request('GET', '/api/v1/namespaces/ns/pods/p/proxy?path=/via/option');
    assert.deepEqual([r.code, r.json.url], [200, '/via/option?path=/via/option']);
    r = await request('GET', '/api/v1/namespaces/ns/pods/p/proxy?a=b');
    assert.deepEqual([r.code, r.headers.location], [301, '/api/v1/namespaces/ns/pods/p/proxy/?a=b']);
  });

  it('redirects to the target come back through the proxy path; others are left alone', async () => {
    let r = await request('GET', `${podBase()}/redirect`);
    assert.deepEqual([r.code, r.headers.location], [302, `/api/v1/namespaces/ns/pods/p:${cport}/proxy/target/?x=1`]);
    r = await request('GET', `${podBase()}/elsewhere`);
    assert.deepEqual([r.code, r.headers.location], [302, 'http://example.invalid/away']);
  });

  it('links in HTML pages are rewritten under the proxy path (also gzip-encoded ones)', async () => {
    const p = `/api/v1/namespaces/ns/pods/p:${cport}/proxy`;
    const expected = `<html><head><link rel="stylesheet" href="${p}/static/a.css"><script src='${p}/app.js'>var s = "<a href='/not/me'>";</script></head>`
      + `<body><!-- <a href="/comment"> --><a href="${p}/abs?x=1&amp;y=2">abs</a> <a href=rel/x>rel</a> <img src=${p}/img.png alt="/alt"> <a href="https://example.invalid/y">ext</a></body></html>`;
    let r = await request('GET', `${podBase()}/page`);
    assert.deepEqual([r.code, r.text], [200, expected]);
    r = await request('GET', `${podBase()}/page-gz`, { 'Accept-Encoding': 'gzip' });
    assert.equal(r.headers['content-encoding'], 'gzip');
    // The test client does not decode: the body is still gzip.
    assert.equal(zlib.gunzipSync(r.raw).toString(), expected);
  });

  it('errors are upstream Status objects', async () => {
    const check = async (path: string, code: number, reason: string, message: string, method = 'GET') => {
      const r = await request(method, path);
      assert.deepEqual([r.code, r.json?.kind, r.json?.reason, r.json?.message], [code, 'Status', reason, message], path);
    };
    await check('/api/v1/namespaces/ns/pods/nope/proxy/x', 404, 'NotFound', 'pods "nope" not found');
    await check('/api/v1/namespaces/ns/pods/noip:80/proxy/x', 400, 'BadRequest', 'address not allowed');
    await check('/api/v1/namespaces/ns/pods/ftp:p:80/proxy/x', 400, 'BadRequest', 'invalid pod request "ftp:p:80"');
    await check(`/api/v1/namespaces/ns/pods/p:${closedPort}/proxy/x`, 503, 'ServiceUnavailable', `error trying to reach service: dial tcp 127.0.0.1:${closedPort}: connect: connection refused`);
    await check(`${podBase()}/x`, 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', 'TRACE');
    // Other subresources take no path below them.
    const st = await request('GET', '/api/v1/namespaces/ns/pods/p/status/extra');
    assert.equal(st.code, 404);
  });

  it('Upgrade requests (WebSocket) are passed through', async () => {
    const url = new URL(`${podBase()}/ws?t=1`, api.url);
    const { socket, res } = await new Promise<{ socket: net.Socket; res: http.IncomingMessage }>((resolve, reject) => {
      const req = https.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' } });
      req.on('upgrade', (r, s) => resolve({ socket: s, res: r }));
      req.on('response', (r) => reject(new Error(`no upgrade: ${r.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    assert.equal(res.statusCode, 101);
    const reply = await new Promise<string>((resolve) => { socket.once('data', (d: Buffer) => resolve(d.toString())); socket.write('ping'); });
    assert.equal(reply, 'echo:ping');
    socket.destroy();
    const s = [...seen].reverse().find((x) => x.url.startsWith('/ws'))!;
    assert.deepEqual([s.url, s.headers.upgrade, s.headers['sec-websocket-key'], s.headers.authorization], ['/ws?t=1', 'websocket', 'dGhlIHNhbXBsZSBub25jZQ==', undefined]);
  });

  it('nodes/{name}/proxy reaches the kubelet over HTTPS with the kubelet-client certificate', async () => {
    let r = await request('GET', '/api/v1/nodes/n1/proxy/healthz');
    assert.deepEqual([r.code, r.text], [200, 'ok']);
    r = await request('GET', `/api/v1/nodes/n1:${kport}/proxy/stats/summary?only_cpu_and_memory=true`);
    assert.deepEqual([r.code, r.json?.node?.nodeName], [200, 'n1']);
    assert.deepEqual(kubeletSeen.at(-1), { url: '/stats/summary?only_cpu_and_memory=true', cn: 'kube-apiserver-kubelet-client' });
    r = await request('GET', '/api/v1/nodes/nope/proxy/healthz');
    assert.deepEqual([r.code, r.json?.message], [404, 'nodes "nope" not found']);
    // Another port of the node: plain HTTP, no kubelet credentials.
    r = await request('GET', `/api/v1/nodes/n1:${cport}/proxy/other`);
    assert.deepEqual([r.code, r.json?.url], [200, '/other']);
    const out = await kubectl(kubeconfig, ['get', '--raw', '/api/v1/nodes/n1/proxy/healthz', '--cache-dir', join(dir, 'cache-n')]);
    assert.equal(out.trim(), 'ok');
  });

  it('services/{name}/proxy picks a ready endpoint of the port; 503 without endpoints', async () => {
    let r = await request('GET', '/api/v1/namespaces/ns/services/web:http/proxy/svc/path?z=9', { 'X-Svc': '1' });
    assert.deepEqual([r.code, r.json?.url, r.json?.headers?.['x-svc']], [200, '/svc/path?z=9', '1']);
    r = await request('POST', '/api/v1/namespaces/ns/services/http:web:80/proxy/post', { 'Content-Type': 'text/plain' }, 'svc body');
    assert.deepEqual([r.code, r.json?.body], [201, 'svc body']);
    const check = async (path: string, code: number, message: string) => {
      const x = await request('GET', path);
      assert.deepEqual([x.code, x.json?.message], [code, message], path);
    };
    await check('/api/v1/namespaces/ns/services/empty/proxy/', 503, 'no endpoints available for service "empty"');
    await check('/api/v1/namespaces/ns/services/web:81/proxy/', 503, 'no service port 81 found for service "web"');
    await check('/api/v1/namespaces/ns/services/web:nope/proxy/', 503, 'no endpoints available for service "web:nope"');
    await check('/api/v1/namespaces/ns/services/missing/proxy/', 404, 'services "missing" not found');
  });

  it('discovery lists pods/proxy, nodes/proxy and services/proxy with upstream verbs', async () => {
    const r = await request('GET', '/api/v1');
    const byName = new Map((r.json.resources as Array<{ name: string; kind: string; verbs: string[] }>).map((x) => [x.name, x]));
    for (const [name, kind] of [['pods/proxy', 'PodProxyOptions'], ['nodes/proxy', 'NodeProxyOptions'], ['services/proxy', 'ServiceProxyOptions']]) {
      assert.deepEqual([byName.get(name)?.kind, byName.get(name)?.verbs], [kind, ['create', 'delete', 'get', 'patch', 'update']], name);
    }
  });

  it('kubectl get --raw through pods/proxy', async () => {
    const out = await kubectl(kubeconfig, ['get', '--raw', `${podBase()}/from/kubectl?k=v`, '--cache-dir', join(dir, 'cache')]);
    const s = JSON.parse(out) as Seen;
    assert.deepEqual([s.method, s.url], ['GET', '/from/kubectl?k=v']);
    assert.match(String(s.headers['user-agent']), /^kubectl/);
    const bad = await kubectlRaw(kubeconfig, ['get', '--raw', '/api/v1/namespaces/ns/pods/nope/proxy/', '--cache-dir', join(dir, 'cache')]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /pods "nope" not found/);
  });
});
