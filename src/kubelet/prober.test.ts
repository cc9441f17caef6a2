import { it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { runProbe } from './prober.js';
import type { CriClient } from './cri/cri-client.js';

const fakeCri = (exitCode: number) => ({ execSync: async () => ({ stdout: Buffer.from('out'), stderr: Buffer.alloc(0), exitCode }) }) as unknown as CriClient;
const container = { name: 'c', ports: [{ name: 'web', containerPort: 0 }] };

it('httpGet probes succeed on 2xx/3xx, fail otherwise; named ports resolve', async () => {
  const srv = http.createServer((req, res) => { res.writeHead(req.url === '/ok' ? 200 : 500); res.end(); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  try {
    assert.equal((await runProbe({ httpGet: { path: '/ok', port } }, container, '127.0.0.1', 'id', fakeCri(0))).ok, true);
    const bad = await runProbe({ httpGet: { path: '/bad', port } }, container, '127.0.0.1', 'id', fakeCri(0));
    assert.deepEqual(bad, { ok: false, message: 'HTTP probe failed with statuscode: 500' });
    const named = { name: 'c', ports: [{ name: 'web', containerPort: port }] };
    assert.equal((await runProbe({ httpGet: { path: '/ok', port: 'web' } }, named, '127.0.0.1', 'id', fakeCri(0))).ok, true);
  } finally { srv.close(); }
});

it('tcpSocket and exec probes', async () => {
  const srv = net.createServer((s) => s.end());
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  srv.close();
  assert.equal((await runProbe({ tcpSocket: { port } }, container, '127.0.0.1', 'id', fakeCri(0))).ok, false);
  assert.equal((await runProbe({ exec: { command: ['true'] } }, container, '', 'id', fakeCri(0))).ok, true);
  const failed = await runProbe({ exec: { command: ['cat', '/x'] } }, container, '', 'id', fakeCri(1));
  assert.equal(failed.ok, false);
  assert.doesNotMatch(failed.message, /exited with/);
});
