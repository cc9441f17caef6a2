import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { ensurePki, type CertKeyPair } from '../../pki/pki.js';
import { startLogServer } from './log-server.js';
import { SummaryProvider } from '../stats/summary.js';
import { createKubeletMetrics } from '../metrics.js';
import { fakeStatsCri, sandbox, container, usage } from '../stats/fake-cri.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Client } from '../../client/interface.js';
import { delegatedKubeletAuth } from './auth.js';
import { tempDirs } from '../../../test/support/temp-dirs.js';

let server: { port: number; close(): Promise<void> };
let ca: string;
let clientCert: CertKeyPair;
let aliceCert: CertKeyPair;
/** The SubjectAccessReviews the fake apiserver answered. */
const reviews: Array<Record<string, unknown>> = [];

/** A fake apiserver for the kubelet's delegated authn/authz: token "bob-token" is bob; the kubelet client may do anything, bob only nodes/stats. */
const fakeApiserver = {
  resource: (ref: { resource: string }) => ({
    create: async (obj: { spec: Record<string, unknown> }) => {
      if (ref.resource === 'tokenreviews') return { status: obj.spec.token === 'bob-token' ? { authenticated: true, user: { username: 'bob', groups: ['system:authenticated'] } } : { authenticated: false } };
      reviews.push(obj.spec);
      const attrs = obj.spec.resourceAttributes as { subresource: string; name: string; verb: string };
      const allowed = attrs.name === 'n1' && (obj.spec.user === 'kube-apiserver-kubelet-client' || (obj.spec.user === 'bob' && attrs.subresource === 'stats'));
      return { status: { allowed } };
    },
  }),
} as unknown as Client;

const temp = tempDirs();
before(async () => {
  const pki = await ensurePki(temp.make('kubelet-api-pki-'));
  ca = pki.ca.certPem;
  clientCert = await pki.issueCertificate({ commonName: 'kube-apiserver-kubelet-client', usages: 'client' });
  aliceCert = await pki.issueCertificate({ commonName: 'alice', organizations: ['dev-team'], usages: 'client' });
  const serving = await pki.issueCertificate({ commonName: 'n1', ipAddresses: ['127.0.0.1'], usages: 'server' });
  const sb = sandbox('sb1', 'default', 'web', 'uid-1');
  const cri = fakeStatsCri({ sandboxes: [sb], containers: [container('c1', sb, 'app'), container('c2', sb, 'done', 1, 'CONTAINER_EXITED')], containerStats: [usage('c1', 'app', 10e9, 2e9, 1000)], sandboxStats: [], images: [] });
  const metrics = createKubeletMetrics({ nodeName: 'n1', cri });
  metrics.podSeen('uid-1', 1000); metrics.podRunning('uid-1', 3500);
  const summary = new SummaryProvider({ cri, nodeName: 'n1', rootDir: temp.make('kubelet-api-root-') });
  const pods: Pod[] = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'uid-1' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } }];
  server = await startLogServer({ address: '127.0.0.1', port: 0, tls: { certPem: serving.certPem, keyPem: serving.keyPem, caPem: ca }, cri, summary: () => summary.get(), metrics, pods: () => pods, auth: delegatedKubeletAuth({ client: fakeApiserver, nodeName: 'n1' }) });
});
after(async () => { await server.close(); temp.removeAll(); });

const get = (path: string, as: CertKeyPair | false | { token: string } = clientCert, method = 'GET'): Promise<{ code: number; type: string; body: string }> => new Promise((resolve, reject) => {
  const who = !as ? {} : 'token' in as ? { headers: { Authorization: `Bearer ${as.token}` } } : { cert: as.certPem, key: as.keyPem };
  const req = https.request({ host: '127.0.0.1', port: server.port, path, method, ca, ...who }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => { body += d; });
    res.on('end', () => resolve({ code: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
  });
  req.on('error', reject);
  req.end();
});

it('/healthz answers ok; anonymous callers and bad tokens get 401', async () => {
  assert.deepEqual((await get('/healthz')).body, 'ok');
  assert.deepEqual(await get('/stats/summary', false), { code: 401, type: 'text/plain; charset=utf-8', body: 'Unauthorized' });
  assert.equal((await get('/stats/summary', { token: 'forged' })).code, 401);
});

it('callers are authorized by SubjectAccessReview on nodes/<subresource> with the verb of the method', async () => {
  const alice = await get('/pods', aliceCert);
  assert.equal(alice.code, 403);
  assert.equal(alice.body, 'Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)');
  const review = reviews.find((r) => r.user === 'alice')!;
  assert.deepEqual(review.groups, ['dev-team', 'system:authenticated']);
  assert.deepEqual(review.resourceAttributes, { verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'n1', version: 'v1' });
  assert.equal((await get('/stats/summary', { token: 'bob-token' })).code, 200);
  assert.equal((await get('/metrics', { token: 'bob-token' })).body, 'Forbidden (user=bob, verb=get, resource=nodes, subresource=metrics)');
  assert.equal((await get('/containerLogs/default/web/app', { token: 'bob-token' }, 'POST')).body, 'Forbidden (user=bob, verb=create, resource=nodes, subresource=proxy)');
  // Decisions are cached: asking again does not review again.
  const before = reviews.length;
  assert.equal((await get('/stats/summary', { token: 'bob-token' })).code, 200);
  assert.equal(reviews.length, before);
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
