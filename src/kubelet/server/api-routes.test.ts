import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, type CertKeyPair } from '../../pki/pki.js';
import { startLogServer } from './log-server.js';
import { SummaryProvider } from '../stats/summary.js';
import { createKubeletMetrics } from '../metrics.js';
import { fakeStatsCri, sandbox, container, usage } from '../stats/fake-cri.js';
import type { Pod } from '../../api/core/v1/pod-types.js';

let server: { port: number; close(): Promise<void> };
let ca: string;
let clientCert: CertKeyPair;

before(async () => {
  const pki = await ensurePki(mkdtempSync(join(tmpdir(), 'kubelet-api-pki-')));
  ca = pki.ca.certPem;
  clientCert = await pki.issueCertificate({ commonName: 'kube-apiserver-kubelet-client', usages: 'client' });
  const serving = await pki.issueCertificate({ commonName: 'n1', ipAddresses: ['127.0.0.1'], usages: 'server' });
  const sb = sandbox('sb1', 'default', 'web', 'uid-1');
  const cri = fakeStatsCri({ sandboxes: [sb], containers: [container('c1', sb, 'app'), container('c2', sb, 'done', 1, 'CONTAINER_EXITED')], containerStats: [usage('c1', 'app', 10e9, 2e9, 1000)], sandboxStats: [], images: [] });
  const metrics = createKubeletMetrics({ nodeName: 'n1', cri });
  metrics.podSeen('uid-1', 1000); metrics.podRunning('uid-1', 3500);
  const summary = new SummaryProvider({ cri, nodeName: 'n1', rootDir: mkdtempSync(join(tmpdir(), 'kubelet-api-root-')) });
  const pods: Pod[] = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'uid-1' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } }];
  server = await startLogServer({ address: '127.0.0.1', port: 0, tls: { certPem: serving.certPem, keyPem: serving.keyPem, caPem: ca }, cri, summary: () => summary.get(), metrics, pods: () => pods });
});
after(async () => { await server.close(); });

const get = (path: string, withCert = true): Promise<{ code: number; type: string; body: string }> => new Promise((resolve, reject) => {
  const req = https.get({ host: '127.0.0.1', port: server.port, path, ca, ...(withCert ? { cert: clientCert.certPem, key: clientCert.keyPem } : {}) }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => { body += d; });
    res.on('end', () => resolve({ code: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
  });
  req.on('error', reject);
});

it('/healthz answers ok; clients without a CA-signed certificate are refused', async () => {
  assert.deepEqual((await get('/healthz')).body, 'ok');
  assert.equal((await get('/stats/summary', false)).code, 401);
});

it('/stats/summary serves the Summary JSON (and only cpu and memory on request)', async () => {
  const r = await get('/stats/summary');
  assert.equal(r.code, 200);
  assert.equal(r.type, 'application/json');
  const s = JSON.parse(r.body);
  assert.equal(s.node.nodeName, 'n1');
  assert.ok(s.node.memory.workingSetBytes > 0);
  assert.ok(s.node.fs.capacityBytes > 0);
  assert.equal(s.pods[0].podRef.uid, 'uid-1');
  assert.deepEqual(s.pods[0].containers.map((c: { name: string }) => c.name), ['app']);
  const only = JSON.parse((await get('/stats/summary?only_cpu_and_memory=true')).body);
  assert.equal(only.node.fs, undefined);
  assert.equal(only.pods[0].containers[0].rootfs, undefined);
  assert.equal(only.pods[0].containers[0].cpu.usageCoreNanoSeconds, 2e9);
});

it('/metrics/resource serves resource metrics in the Prometheus text format', async () => {
  const r = await get('/metrics/resource');
  assert.equal(r.code, 200);
  assert.match(r.type, /^text\/plain; version=0\.0\.4/);
  assert.match(r.body, /^container_cpu_usage_seconds_total\{container="app",namespace="default",pod="web"\} 2 10000$/m);
  assert.match(r.body, /^node_memory_working_set_bytes \d+ \d+$/m);
});

it('/metrics serves the kubelet metrics with the process defaults', async () => {
  const r = await get('/metrics');
  assert.equal(r.code, 200);
  assert.match(r.body, /^kubelet_node_name\{node="n1"\} 1$/m);
  assert.match(r.body, /^kubelet_running_pods 1$/m);
  assert.match(r.body, /^kubelet_running_containers\{container_state="running"\} 1$/m);
  assert.match(r.body, /^kubelet_running_containers\{container_state="exited"\} 1$/m);
  assert.match(r.body, /^kubelet_pod_start_duration_seconds_bucket\{le="3"\} 1$/m);
  assert.match(r.body, /^kubelet_pod_start_duration_seconds_bucket\{le="2"\} 0$/m);
  assert.match(r.body, /^kubelet_pod_start_duration_seconds_count 1$/m);
  assert.match(r.body, /^process_cpu_user_seconds_total /m);
  assert.match(r.body, /^nodejs_heap_size_total_bytes /m);
});

it('/pods serves a PodList of the pods the kubelet runs', async () => {
  const r = JSON.parse((await get('/pods')).body);
  assert.equal(r.kind, 'PodList');
  assert.equal(r.items[0].metadata.name, 'web');
});
