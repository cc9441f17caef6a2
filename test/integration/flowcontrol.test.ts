/**
 * API Priority and Fairness against an in-process apiserver (Node,RBAC; upstream's
 * bootstrap FlowSchemas and priority levels ensured as at start) with a small server
 * concurrency limit (--max-requests-inflight 4 + --max-mutating-requests-inflight 2):
 * kubectl lists the bootstrap objects; one non-admin user floods expensive lists and gets
 * 429s with Retry-After once its global-default queue is full, while an admin
 * `kubectl get nodes` (exempt) and a kubelet's Lease update (system-node-high) are served
 * within a second each. Bounded: 20 flood workers for at most 15 s.
 */
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { eventually, kubectl } from '../support/kubectl.js';
import { reconcileBootstrapPolicy } from '../../src/apiserver/authz/bootstrap-policy/reconcile.js';
import { ensureFlowControlBootstrap, AUTOUPDATE_SPEC_ANNOTATION } from '../../src/apiserver/flowcontrol/ensure-bootstrap.js';
import { resources, type Client } from '../../src/client/interface.js';

const PL = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'prioritylevelconfigurations' };
const FS = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'flowschemas' };
const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const RBAC = (resource: string) => ({ group: 'rbac.authorization.k8s.io', version: 'v1', resource });

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string; ms: number }

describe('API Priority and Fairness (KEP-1040)', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let admin: string;
  let adminClient: Client;
  const cache = () => ['--cache-dir', join(server.dir, 'cache')];
  const agents: https.Agent[] = [];

  /** An HTTPS requester with a client certificate of CN `user`, O `groups`. */
  const requester = async (user: string, groups: string[]) => {
    const cert = await server.pki.issueCertificate({ commonName: user, organizations: groups, usages: 'client' });
    const agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca: server.pki.ca.certPem, cert: cert.certPem, key: cert.keyPem });
    agents.push(agent);
    const u = new URL(server.api.url);
    return (method: string, path: string, body?: unknown): Promise<Reply> => new Promise((resolve) => {
      const t0 = performance.now();
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request({ host: u.hostname, port: u.port, method, path, agent, headers: { Accept: 'application/json', ...(data ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, ms: performance.now() - t0 }));
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0, headers: {}, body: '', ms: performance.now() - t0 }));
      req.end(data);
    });
  };

  before(async () => {
    server = await startTestApiServer('apf', {
      registry: { authorizationModes: ['Node', 'RBAC'], authorizeAnonymous: true },
      flowControl: { maxRequestsInflight: 4, maxMutatingRequestsInflight: 2 },
    });
    admin = join(server.dir, 'kubeconfig');
    writeKubeconfig(admin, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem });
    adminClient = server.adminClient();
    assert.deepEqual((await reconcileBootstrapPolicy(adminClient)).errors, []);
    assert.deepEqual((await ensureFlowControlBootstrap(adminClient)).errors, []);
  });
  after(async () => { for (const a of agents) a.destroy(); await server?.close(); });

  it('kubectl lists the bootstrap FlowSchemas and priority levels', async () => {
    const fs = await kubectl(admin, [...cache(), 'get', 'flowschemas']);
    assert.match(fs, /^NAME\s+PRIORITYLEVEL\s+MATCHINGPRECEDENCE\s+DISTINGUISHERMETHOD/);
    for (const name of ['exempt', 'probes', 'system-leader-election', 'endpoint-controller', 'workload-leader-election', 'system-node-high', 'system-nodes',
      'kube-controller-manager', 'kube-scheduler', 'kube-system-service-accounts', 'service-accounts', 'global-default', 'catch-all']) {
      assert.match(fs, new RegExp(`^${name}\\s`, 'm'), `FlowSchema ${name}`);
    }
    assert.match(fs, /^global-default\s+global-default\s+9900\s+ByUser/m);
    const pl = await kubectl(admin, [...cache(), 'get', 'prioritylevelconfigurations']);
    for (const name of ['catch-all', 'exempt', 'global-default', 'leader-election', 'node-high', 'system', 'workload-high', 'workload-low']) {
      assert.match(pl, new RegExp(`^${name}\\s`, 'm'), `PriorityLevelConfiguration ${name}`);
    }
    assert.match(pl, /^workload-low\s+Limited\s+100\s+128\s+6\s+50/m);
    // The apiserver writes each schema's Dangling condition (MISSINGPL).
    await eventually('Dangling conditions', async () => /^global-default\s+global-default\s+9900\s+ByUser\s+\S+\s+False$/m.test(await kubectl(admin, [...cache(), 'get', 'flowschemas'])), 10_000);
    await kubectl(admin, [...cache(), 'apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'orphan' }, spec: { priorityLevelConfiguration: { name: 'no-such-level' }, matchingPrecedence: 5000, rules: [] } }) });
    await eventually('orphan dangling', async () => {
      const fs = JSON.parse(await kubectl(admin, [...cache(), 'get', 'flowschema', 'orphan', '-o', 'json']));
      const c = (fs.status?.conditions ?? []).find((x: { type: string }) => x.type === 'Dangling');
      return c?.status === 'True' && c.reason === 'NotFound' && c.message === 'This FlowSchema references the PriorityLevelConfiguration object named "no-such-level" but there is no such object';
    }, 10_000);
    await kubectl(admin, [...cache(), 'delete', 'flowschema', 'orphan']);
  });

  it('a flood of one user\'s lists is throttled with 429 while the admin and a kubelet are served within 1 s', async (t) => {
    // 400 ConfigMaps of 2 KiB: each list is 2 × 400 / 100 = 8 seats, more than global-default's 1 (6 × 20 / 245 → 1).
    for (const ns of ['flood', 'kube-node-lease']) await kubectl(admin, [...cache(), 'create', 'namespace', ns]);
    const cms = adminClient.resource(resources.configmaps);
    for (let i = 0; i < 400; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, k) => cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i + k}`, namespace: 'flood' }, data: { blob: 'x'.repeat(2048) } })));
    }
    await adminClient.resource(RBAC('clusterroles')).create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'flooder' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] });
    await adminClient.resource(RBAC('clusterrolebindings')).create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'flooder' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flooder' }, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'flooder' }] });
    // Short queues for global-default (kept by autoupdate-spec "false"), so that 429s come at once rather than after the 15 s wait limit.
    const gd = await adminClient.resource(PL).get('global-default') as any;
    gd.metadata.annotations[AUTOUPDATE_SPEC_ANNOTATION] = 'false';
    gd.spec.limited.limitResponse.queuing = { queues: 4, handSize: 1, queueLengthLimit: 3 };
    await adminClient.resource(PL).update(gd);
    // The node and its Lease (the kubelet renews it every 10 s).
    await adminClient.resource(resources.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'x' } });
    await adminClient.resource(LEASES).create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'x', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'x', leaseDurationSeconds: 40 } });
    const flooder = await requester('flooder', []);
    const node = await requester('system:node:x', ['system:nodes']);
    await kubectl(admin, [...cache(), 'get', 'nodes']); // discovery cached before the clock starts
    const first = await flooder('GET', '/api/v1/namespaces/flood/configmaps');
    assert.equal(first.status, 200, first.body.slice(0, 200));

    const replies: Reply[] = [];
    let stop = false;
    const deadline = Date.now() + 15_000;
    const workers = Array.from({ length: 20 }, async () => {
      while (!stop && Date.now() < deadline) replies.push(await flooder('GET', '/api/v1/namespaces/flood/configmaps'));
    });
    try {
      // Until the flood is refused (the new queuing is applied within a moment of the update).
      while (!replies.some((r) => r.status === 429) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const t0 = performance.now();
      const nodes = await kubectl(admin, [...cache(), 'get', 'nodes']);
      const adminMs = performance.now() - t0;
      assert.match(nodes, /^x\s/m);
      const lease = JSON.parse((await node('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/x')).body);
      lease.spec.renewTime = new Date().toISOString().replace('Z', '000Z');
      const renewed = await node('PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/x', lease);
      assert.equal(renewed.status, 200, renewed.body.slice(0, 300));
      t.diagnostic(`admin kubectl get nodes ${adminMs.toFixed(0)} ms, lease update ${renewed.ms.toFixed(0)} ms`);
      assert.ok(adminMs < 1000, `admin kubectl get nodes took ${adminMs.toFixed(0)} ms`);
      assert.ok(renewed.ms < 1000, `lease update took ${renewed.ms.toFixed(0)} ms`);
      const nodeHigh = await adminClient.resource(FS).get('system-node-high');
      assert.equal(renewed.headers['x-kubernetes-pf-flowschema-uid'], nodeHigh.metadata.uid);
      assert.equal(renewed.headers['x-kubernetes-pf-prioritylevel-uid'], (await adminClient.resource(PL).get('node-high')).metadata.uid);
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    const refused = replies.filter((r) => r.status === 429);
    t.diagnostic(`flood: ${replies.length - refused.length} lists served, ${refused.length} refused`);
    assert.ok(refused.length > 0, 'some lists refused');
    assert.ok(replies.some((r) => r.status === 200), 'some lists served');
    assert.deepEqual([...new Set(replies.map((r) => r.status))].sort(), [200, 429]);
    // Retry-After starts at 1 s and grows while the level keeps refusing (upstream's dropped-requests tracker).
    assert.equal(refused[0].headers['retry-after'], '1');
    assert.ok(refused.every((r) => Number(r.headers['retry-after']) >= 1 && Number(r.headers['retry-after']) <= 32));
    assert.equal(refused[0].body, 'Too many requests, please try again later.\n');
    assert.equal(refused[0].headers['x-kubernetes-pf-flowschema-uid'], (await adminClient.resource(FS).get('global-default')).metadata.uid);
    const metrics = await adminClient.request<string>('GET', '/metrics').catch(async () => (await (await requester('metrics-admin', ['system:masters']))('GET', '/metrics')).body);
    const text = typeof metrics === 'string' ? metrics : '';
    assert.match(text, /apiserver_flowcontrol_rejected_requests_total\{flow_schema="global-default",priority_level="global-default",reason="queue-full"\} \d+/);
    assert.match(text, /apiserver_flowcontrol_dispatched_requests_total\{flow_schema="exempt",priority_level="exempt"\} \d+/);
    assert.match(text, /apiserver_flowcontrol_nominal_limit_seats\{priority_level="global-default"\} 1/);
    assert.match(text, /apiserver_request_total\{verb="LIST",dry_run="",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver",code="429"\} \d+/);
  });
});
