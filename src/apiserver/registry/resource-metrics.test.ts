/**
 * metrics.k8s.io/v1beta1 served by an in-process apiserver over the real kubelet path:
 * a fake kubelet HTTPS server answers /stats/summary; a second node's kubelet does not
 * answer and is left out. Also the quantity formatting as metrics-server writes it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { kubectl, KUBECTL } from '../../../test/support/kubectl.js';
import { ensurePki } from '../../pki/pki.js';
import { resources, type Client } from '../../client/interface.js';
import type { KubeList } from '../../api/object.js';
import type { NodeMetrics, PodMetrics } from '../../api/metrics/v1beta1/types.js';
import { formatBytes, formatNanoCores, formatWindow } from '../../api/metrics/v1beta1/usage.js';
import type { Summary } from '../../kubelet/stats/types.js';
import { RestMetricsClient } from '../../controllers/podautoscaler/metrics-client.js';

it('formats usage as metrics-server does', () => {
  assert.equal(formatNanoCores(1234567), '1234567n');
  assert.equal(formatNanoCores(5_000_000), '5m');
  assert.equal(formatNanoCores(2_000_000_000), '2');
  assert.equal(formatNanoCores(0), '0');
  assert.equal(formatBytes(123456 * 1024), '123456Ki');
  assert.equal(formatBytes(1024 * 1024), '1Mi');
  assert.equal(formatBytes(1500), '1500');
  assert.equal(formatWindow(10_000), '10s');
  assert.equal(formatWindow(10_500), '10.5s');
});

describe('metrics.k8s.io/v1beta1', { timeout: 30_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  let kubelet: https.Server;
  let dir: string;
  let scrapes = 0;
  const t = '2026-01-01T00:00:00Z';
  const summary: Summary = {
    node: { nodeName: 'n1', startTime: t, cpu: { time: t, usageNanoCores: 250_000_000 }, memory: { time: t, workingSetBytes: 512 * 1024 * 1024 } },
    pods: [
      { podRef: { name: 'web', namespace: 'default', uid: 'u1' }, startTime: t, containers: [
        { name: 'app', startTime: t, cpu: { time: t, usageNanoCores: 1234567 }, memory: { time: t, workingSetBytes: 123456 * 1024 } },
        { name: 'side', startTime: t, cpu: { time: t, usageNanoCores: 1_000_000 }, memory: { time: t, workingSetBytes: 1024 * 1024 } },
      ] },
      { podRef: { name: 'db', namespace: 'default', uid: 'u2' }, startTime: t, containers: [
        { name: 'db', startTime: t, cpu: { time: t, usageNanoCores: 5_000_000 }, memory: { time: t, workingSetBytes: 2048 } },
      ] },
    ],
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-metrics-kubelet-'));
    const pki = await ensurePki(dir);
    kubelet = https.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (req, res) => {
      if (req.url === '/stats/summary?only_cpu_and_memory=true') { scrapes++; res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(summary)); return; }
      res.writeHead(404); res.end();
    });
    await new Promise<void>((r) => kubelet.listen(0, '127.0.0.1', r));
    const port = (kubelet.address() as AddressInfo).port;
    server = await startTestApiServer('metrics', { registry: { kubeletClient: { certPem: pki.admin.certPem, keyPem: pki.admin.keyPem, caPem: pki.ca.certPem } } });
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const nodes = client.resource(resources.nodes);
    for (const [name, p, labels] of [['n1', port, { zone: 'a' }], ['n2', 1, { zone: 'b' }]] as const) {
      const n = await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
      await nodes.update({ ...n, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: p } } } } as never, { subresource: 'status' });
    }
    const pods = client.resource(resources.pods);
    for (const [name, node, labels] of [['web', 'n1', { app: 'web' }], ['db', 'n1', { app: 'db' }], ['lost', 'n2', { app: 'web' }]] as const) {
      await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { nodeName: node, containers: [{ name: 'app', image: 'x' }] } });
    }
  });
  after(async () => { await server.close(); kubelet.close(); rmSync(dir, { recursive: true, force: true }); });

  it('is listed by discovery', async () => {
    const groups = await client.request<{ groups: { name: string; preferredVersion: { groupVersion: string } }[] }>('GET', '/apis');
    assert.equal(groups.groups.find((g) => g.name === 'metrics.k8s.io')?.preferredVersion.groupVersion, 'metrics.k8s.io/v1beta1');
    const rl = await client.request<{ resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[] }>('GET', '/apis/metrics.k8s.io/v1beta1');
    assert.deepEqual(rl.resources.map((r) => [r.name, r.kind, r.namespaced, r.verbs]).sort(), [['nodes', 'NodeMetrics', false, ['get', 'list']], ['pods', 'PodMetrics', true, ['get', 'list']]]);
  });

  it('lists NodeMetrics of reachable nodes, with label selectors; get of an unreachable one is NotFound', async () => {
    const l = await client.request<KubeList<NodeMetrics>>('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    assert.equal(l.kind, 'NodeMetricsList');
    assert.deepEqual(l.items.map((m) => m.metadata.name), ['n1']);
    assert.deepEqual(l.items[0].usage, { cpu: '250m', memory: '512Mi' });
    assert.equal(l.items[0].timestamp, t);
    assert.equal(l.items[0].window, '10s');
    assert.equal(l.items[0].metadata.labels?.zone, 'a');
    const none = await client.request<KubeList<NodeMetrics>>('GET', '/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=zone%3Db');
    assert.equal(none.items.length, 0);
    const one = await client.request<NodeMetrics>('GET', '/apis/metrics.k8s.io/v1beta1/nodes/n1');
    assert.equal(one.kind, 'NodeMetrics');
    await assert.rejects(client.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes/n2'), (e: { code?: number }) => e.code === 404);
    await assert.rejects(client.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes/nope'), (e: { code?: number }) => e.code === 404);
  });

  it('lists and gets PodMetrics with containers; caches the summary', async () => {
    const l = await client.request<KubeList<PodMetrics>>('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb');
    assert.deepEqual(l.items.map((m) => m.metadata.name), ['web']);
    assert.deepEqual(l.items[0].containers, [{ name: 'app', usage: { cpu: '1234567n', memory: '123456Ki' } }, { name: 'side', usage: { cpu: '1m', memory: '1Mi' } }]);
    const all = await client.request<KubeList<PodMetrics>>('GET', '/apis/metrics.k8s.io/v1beta1/pods');
    assert.deepEqual(all.items.map((m) => m.metadata.name).sort(), ['db', 'web']);
    const db = await client.request<PodMetrics>('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/db');
    assert.deepEqual(db.containers, [{ name: 'db', usage: { cpu: '5m', memory: '2Ki' } }]);
    await assert.rejects(client.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/lost'), (e: { code?: number }) => e.code === 404);
    assert.equal(scrapes, 1);
  });

  it("is what the HPA controller's default MetricsClient reads", async () => {
    const { metrics, timestamp } = await new RestMetricsClient(client).getResourceMetric('cpu', 'default', 'app=web', '');
    // 1234567n rounds up to 2m (Quantity.MilliValue), plus 1m.
    assert.deepEqual([...metrics], [['web', { timestamp: Date.parse(t), windowMs: 10_000, value: 3 }]]);
    assert.equal(timestamp, Date.parse(t));
    await assert.rejects(new RestMetricsClient(client).getResourceMetric('cpu', 'default', 'app=none', ''), /no metrics returned from resource metrics API/);
  });

  it('answers kubectl top nodes and kubectl top pods', { skip: !existsSync(KUBECTL) }, async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 't',
      clusters: [{ name: 't', cluster: { server: server.api.url, 'certificate-authority-data': b64(server.pki.ca.certPem) } }],
      users: [{ name: 't', user: { 'client-certificate-data': b64(server.pki.admin.certPem), 'client-key-data': b64(server.pki.admin.keyPem) } }],
      contexts: [{ name: 't', context: { cluster: 't', user: 't' } }],
    }));
    const run = (...args: string[]) => kubectl(kubeconfig, args, { timeoutMs: 30_000 });
    const nodes = await run('top', 'nodes', '--no-headers');
    assert.match(nodes, /^n1\s+250m\s+.*512Mi/m);
    // A node without metrics is listed by kubectl as <unknown>, as with metrics-server.
    assert.match(nodes, /^n2\s+<unknown>/m);
    const pods = await run('top', 'pods', '-n', 'default', '--containers', '--no-headers');
    // kubectl rounds 1234567n up to 2m.
    assert.match(pods, /web\s+app\s+2m\s+120Mi/);
    assert.match(pods, /web\s+side\s+1m\s+1Mi/);
    assert.match(pods, /db\s+db\s+5m\s+0Mi/);
  });
});
