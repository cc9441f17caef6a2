/**
 * The component secure port: /metrics and the health paths answer a client certificate
 * of the cluster CA; no certificate, or one from another CA, fails the TLS handshake.
 * Serving certificates from the PKI and self-signed; the leader-election gauge.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import client from 'prom-client';
import { ensurePki, type Pki } from '../pki/pki.js';
import { createControllerManagerMetrics, createLeaderElectionMetrics, selfSignedServingCertificate, startComponentMetricsServer, type ComponentMetricsServer } from './component-metrics-server.js';

interface Answer { status: number; type: string; body: string }
function get(port: number, path: string, tls: { ca: string; cert?: string; key?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, ...tls, servername: 'localhost' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject).end();
  });
}

describe('component metrics server', { timeout: 30_000 }, () => {
  let dir: string;
  let pki: Pki;
  let server: ComponentMetricsServer;
  const registry = new client.Registry();
  let clientCert: { certPem: string; keyPem: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-component-metrics-'));
    pki = await ensurePki(join(dir, 'tls'));
    new client.Counter({ name: 'test_things_total', help: 'things', registers: [registry] }).inc(3);
    createLeaderElectionMetrics(registry).leaderOn('kube-scheduler');
    const serving = await pki.issueCertificate({ commonName: 'kube-scheduler', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], usages: 'server' });
    clientCert = await pki.issueCertificate({ commonName: 'prometheus', usages: 'client' });
    server = await startComponentMetricsServer({ registry, host: '127.0.0.1', port: 0, tls: { certPem: serving.certPem, keyPem: serving.keyPem, caPem: pki.ca.certPem } });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /metrics and the health paths to a client certificate of the cluster CA', async () => {
    const tls = { ca: pki.ca.certPem, cert: clientCert.certPem, key: clientCert.keyPem };
    const m = await get(server.port, '/metrics', tls);
    assert.equal(m.status, 200);
    assert.match(m.type, /^text\/plain; version=0\.0\.4/);
    assert.match(m.body, /^test_things_total 3$/m);
    assert.match(m.body, /^leader_election_master_status\{name="kube-scheduler"\} 1$/m);
    for (const path of ['/healthz', '/readyz', '/livez']) assert.deepEqual([(await get(server.port, path, tls)).status, (await get(server.port, path, tls)).body], [200, 'ok'], path);
    assert.equal((await get(server.port, '/nope', tls)).status, 404);
  });

  it('refuses a client without a certificate or with one of another CA', async () => {
    await assert.rejects(get(server.port, '/metrics', { ca: pki.ca.certPem }));
    const other = selfSignedServingCertificate('intruder', ['localhost']);
    await assert.rejects(get(server.port, '/metrics', { ca: pki.ca.certPem, cert: other.certPem, key: other.keyPem }));
  });

  it('serves a self-signed certificate (stand-alone commands) and the controller manager registry', async () => {
    const cm = createControllerManagerMetrics({ defaultMetrics: false });
    const q = cm.workqueue.newQueueMetrics<string>('replicaset');
    q.add('a');
    cm.leaderElection.leaderOff('kube-controller-manager');
    const serving = selfSignedServingCertificate('kube-controller-manager', ['localhost', '127.0.0.1']);
    const s = await startComponentMetricsServer({ registry: cm.registry, host: '127.0.0.1', port: 0, tls: { ...serving, caPem: pki.ca.certPem } });
    try {
      const m = await get(s.port, '/metrics', { ca: serving.certPem, cert: clientCert.certPem, key: clientCert.keyPem });
      assert.equal(m.status, 200);
      assert.match(m.body, /^workqueue_depth\{name="replicaset"\} 1$/m);
      assert.match(m.body, /^leader_election_master_status\{name="kube-controller-manager"\} 0$/m);
    } finally { await s.close(); }
  });
});
