/**
 * Issue #9 acceptance 2: three etcd members and three `k8ts apiserver` processes on
 * loopback sharing them (and one PKI), two controller managers and two schedulers
 * (controller-manager A and scheduler A on apiserver A, the B pair on apiserver B), and a
 * simulated Node whose Lease the test renews and whose pods it marks Running and Ready
 * (no containers). Writes through any apiserver are read through the others. Then, in
 * order: SIGKILL the etcd leader, SIGKILL apiserver C, SIGKILL the scheduler and
 * controller-manager Lease holders — `kubectl` keeps working against a surviving
 * apiserver throughout, new leaders act within 15 s (lease duration 8 s, retry 1 s), and a
 * Deployment created before the faults reaches its replicas after them, scaled up once
 * more. Services created concurrently through two apiservers get distinct ClusterIPs
 * and NodePorts. `kubectl get leases -n kube-system` shows both Leases; `kubectl get
 * componentstatuses` shows the three etcd members, the killed one Unhealthy.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { createClient, loadKubeconfig } from '../../src/client/rest-client.js';
import { resources, type Client } from '../../src/client/interface.js';
import type { Pod } from '../../src/api/core/v1/pod-types.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { ensurePki } from '../../src/pki/pki.js';
import { tlsDir } from '../../src/server/data-dir.js';
import { eventually, freePort, kubectl, kubectlRaw } from '../support/kubectl.js';
import { acquired, startProc, stopProc, type Proc } from '../support/processes.js';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd-cluster.js';
import { registerSimulatedNode, runFakeKubelet } from '../support/fake-kubelet.js';

const NS = 'ha';
const LEADER_FLAGS = ['--leader-elect-lease-duration', '8s', '--leader-elect-renew-deadline', '6s', '--leader-elect-retry-period', '1s'];

describe('HA control plane on a three-member etcd (issue #9)', { timeout: 300_000 }, () => {
  let dir: string;
  let etcd: EtcdCluster;
  const apiservers: Proc[] = [];
  const kubeconfigs: string[] = [];
  const components: Proc[] = [];
  let client: Client; // through apiserver B, which survives
  const ac = new AbortController();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-ha-'));
    etcd = await startEtcdCluster({ members: 3 });
    const endpoint = etcd.endpoints.join(',');
    for (const name of ['a', 'b', 'c']) {
      const port = await freePort();
      // One data dir, so one CA and one service-account key for all three.
      apiservers.push(startProc(`apiserver-${name}`, ['apiserver', '--data-dir', dir, '--https-listen-port', String(port), '--datastore-endpoint', endpoint]));
      const pki = await eventually('PKI', () => ensurePki(tlsDir(dir)), 60_000, 100);
      const kc = join(dir, `kubeconfig-${name}.yaml`);
      writeKubeconfig(kc, { server: `https://127.0.0.1:${port}`, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
      kubeconfigs.push(kc);
      await eventually(`apiserver ${name}`, async () => (await kubectlRaw(kc, ['get', '--raw', '/readyz'])).code === 0, 60_000, 200);
    }
    client = createClient(loadKubeconfig(kubeconfigs[1]));
    await kubectl(kubeconfigs[0], ['create', 'namespace', NS]);
    await eventually('kube-node-lease', () => client.resource(resources.namespaces).get('kube-node-lease'), 30_000, 100);
    await registerSimulatedNode(client, 'ha-node', ac.signal);
    void runFakeKubelet({ client, namespace: NS, signal: ac.signal, shouldStart: (p: Pod) => p.spec?.nodeName === 'ha-node', intervalMs: 200 });
    for (const [name, cmd, kc] of [['scheduler-a', 'scheduler', 0], ['cm-a', 'controller-manager', 0], ['scheduler-b', 'scheduler', 1], ['cm-b', 'controller-manager', 1]] as const) {
      components.push(startProc(name, [cmd, '--kubeconfig', kubeconfigs[kc], '--secure-port', '0', ...LEADER_FLAGS]));
    }
  });

  after(async () => {
    ac.abort();
    for (const p of [...components, ...apiservers]) await stopProc(p);
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const readyReplicas = async (): Promise<number> => Number(await kubectl(kubeconfigs[1], ['get', 'deployment', 'web', '-n', NS, '-o', 'jsonpath={.status.readyReplicas}']) || 0);
  const boundPods = async (): Promise<number> => (await client.resource<Pod>(resources.pods).list({ namespace: NS, labelSelector: 'app=web' })).items.filter((p) => p.spec?.nodeName && !p.metadata.deletionTimestamp).length;

  it('writes through any apiserver are read through the others', async () => {
    for (let i = 0; i < 3; i++) {
      await kubectl(kubeconfigs[i], ['create', 'configmap', `via-${i}`, '-n', NS, `--from-literal=from=${i}`]);
      for (let j = 0; j < 3; j++) {
        // Each apiserver's watch cache follows etcd; a read sees the write once it arrived.
        await eventually(`via-${i} through ${j}`, async () => (await kubectlRaw(kubeconfigs[j], ['get', 'configmap', `via-${i}`, '-n', NS, '-o', 'jsonpath={.data.from}'])).stdout === String(i), 10_000, 100);
      }
    }
  });

  it('Services created concurrently through two apiservers get distinct ClusterIPs and NodePorts', async () => {
    const clients = [createClient(loadKubeconfig(kubeconfigs[0])), client];
    const created = await Promise.all(Array.from({ length: 40 }, (_, i) => clients[i % 2].resource<any>(resources.services).create({
      apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: NS }, spec: { type: 'NodePort', selector: { app: `s${i}` }, ports: [{ port: 80 }] },
    })));
    const ips = created.map((s) => s.spec.clusterIP as string);
    const ports = created.map((s) => s.spec.ports[0].nodePort as number);
    assert.equal(new Set(ips).size, 40, ips.join(' '));
    assert.equal(new Set(ports).size, 40, ports.join(' '));
    await kubectl(kubeconfigs[2], ['delete', 'services', '--all', '-n', NS]);
  });

  it('etcd leader, apiserver C, then both Lease holders killed: kubectl keeps working, new leaders act within 15 s, the Deployment reaches its replicas', async () => {
    await kubectl(kubeconfigs[0], ['create', 'deployment', 'web', '-n', NS, '--image=busybox', '--replicas=3']);
    await eventually('3 ready replicas', async () => (await readyReplicas()) === 3, 60_000, 250);

    // 1. The etcd leader.
    const statuses = await Promise.all(etcd.members.map(async (m) => {
      const c = new Etcd3({ hosts: m.clientURL });
      try { const s = await c.maintenance.status(); return { m, leader: s.leader === s.header.member_id }; } finally { c.close(); }
    }));
    const leader = statuses.find((s) => s.leader)!.m;
    await etcd.kill(leader.name, 'SIGKILL');
    for (const kc of kubeconfigs) {
      await eventually('kubectl after the etcd leader died', async () => (await kubectlRaw(kc, ['create', 'configmap', `after-etcd-${kubeconfigs.indexOf(kc)}`, '-n', NS])).code === 0, 20_000, 200);
    }
    const cs = await kubectl(kubeconfigs[1], ['get', 'componentstatuses']);
    assert.equal((cs.match(/etcd-\d\s+Healthy/g) ?? []).length, 2, cs);
    assert.equal((cs.match(/etcd-\d\s+Unhealthy/g) ?? []).length, 1, cs);

    // 2. An apiserver.
    await stopProc(apiservers[2], 'SIGKILL');
    for (const kc of kubeconfigs.slice(0, 2)) assert.match(await kubectl(kc, ['get', 'deployment', 'web', '-n', NS]), /web\s+3\/3/);

    // 3. The Lease holders, without a release.
    const holder = async (lease: string): Promise<string> => kubectl(kubeconfigs[1], ['get', 'lease', lease, '-n', 'kube-system', '-o', 'jsonpath={.spec.holderIdentity}']);
    const leases = await kubectl(kubeconfigs[1], ['get', 'leases', '-n', 'kube-system']);
    assert.match(leases, /kube-scheduler/);
    assert.match(leases, /kube-controller-manager/);
    const sHolder = await holder('kube-scheduler');
    const cHolder = await holder('kube-controller-manager');
    const victims = components.filter((p) => acquired(p, 'kube-scheduler') === sHolder || acquired(p, 'kube-controller-manager') === cHolder);
    assert.equal(victims.length, 2, `holders ${sHolder} ${cHolder}`);
    const killedAt = Date.now();
    for (const v of victims) await stopProc(v, 'SIGKILL');
    await kubectl(kubeconfigs[1], ['scale', 'deployment', 'web', '-n', NS, '--replicas=5']);
    // The new leaders act: the controller manager creates the 2 new pods, the scheduler binds them.
    await eventually('5 pods bound by the new leaders', async () => (await boundPods()) === 5, 20_000, 100);
    const acted = Date.now() - killedAt;
    assert.ok(acted <= 15_000, `new leaders acted after ${acted} ms`);
    assert.notEqual(await holder('kube-scheduler'), sHolder);
    assert.notEqual(await holder('kube-controller-manager'), cHolder);
    await eventually('5 ready replicas', async () => (await readyReplicas()) === 5, 30_000, 250);
    const cs2 = await kubectl(kubeconfigs[0], ['get', 'componentstatuses']);
    assert.match(cs2, /scheduler\s+Healthy/);
    assert.match(cs2, /controller-manager\s+Healthy/);
  });
});
