/**
 * Issue #7 acceptance 4: two controller managers and two schedulers, each its own
 * process (`k8ts controller-manager` / `k8ts scheduler`) against one `k8ts apiserver`:
 * only the Lease holders act; SIGKILL the holders (no clean release) and the others take
 * over within the lease duration (15 s) plus one retry period (2 s), then act — a
 * Deployment scaled after the kill gets its new pod created and bound. A simulated Node
 * (the test renews its Lease, as a kubelet would) takes the pods; no containers run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, loadKubeconfig } from '../../src/client/rest-client.js';
import { resources, type Client } from '../../src/client/interface.js';
import type { Pod } from '../../src/api/core/v1/pod-types.js';
import { eventually, freePort } from '../support/kubectl.js';
import { registerSimulatedNode } from '../support/fake-kubelet.js';
import { acquired, startProc as start, stopProc as stop, type Proc } from '../support/processes.js';

describe('HA components: leader election between two schedulers and two controller managers (issue #7)', { timeout: 180_000 }, () => {
  let dir: string;
  let apiserver: Proc;
  const procs: Proc[] = [];
  let client: Client;
  const ac = new AbortController();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-ha-'));
    apiserver = start('apiserver', ['apiserver', '--data-dir', dir, '--https-listen-port', String(await freePort())]);
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    client = await eventually('apiserver', async () => {
      try { const c = createClient(loadKubeconfig(kubeconfig)); await c.resource(resources.namespaces).get('kube-node-lease'); return c; } catch { return undefined; }
    }, 60_000, 100);
    // The simulated node and its kubelet's Lease, renewed every 2 s.
    await registerSimulatedNode(client, 'ha-node', ac.signal);
    for (const [name, cmd] of [['scheduler-a', 'scheduler'], ['scheduler-b', 'scheduler'], ['cm-a', 'controller-manager'], ['cm-b', 'controller-manager']] as const) {
      // Each process its own metrics port (two schedulers cannot share 10259 on one machine).
      procs.push(start(name, [cmd, '--kubeconfig', kubeconfig, '--secure-port', String(await freePort())]));
    }
  });

  after(async () => {
    ac.abort();
    for (const p of procs) await stop(p);
    if (apiserver) await stop(apiserver);
    rmSync(dir, { recursive: true, force: true });
  });

  const boundPods = async (): Promise<Pod[]> => (await client.resource<Pod>(resources.pods).list({ namespace: 'default', labelSelector: 'app=ha' })).items.filter((p) => p.spec?.nodeName === 'ha-node' && !p.metadata.deletionTimestamp);

  it('one holder per Lease acts; a SIGKILLed holder is replaced within the lease duration and the successor acts', async () => {
    const [sa, sb, ca, cb] = procs;
    // Exactly one of each pair leads, and the Lease names it.
    await eventually('a scheduler leads', () => acquired(sa, 'kube-scheduler') ?? acquired(sb, 'kube-scheduler'), 30_000, 100);
    await eventually('a controller manager leads', () => acquired(ca, 'kube-controller-manager') ?? acquired(cb, 'kube-controller-manager'), 30_000, 100);
    const sLeader = acquired(sa, 'kube-scheduler') ? sa : sb;
    const cLeader = acquired(ca, 'kube-controller-manager') ? ca : cb;
    const sOther = sLeader === sa ? sb : sa;
    const cOther = cLeader === ca ? cb : ca;
    assert.equal(acquired(sOther, 'kube-scheduler'), undefined, 'the other scheduler waits');
    assert.equal(acquired(cOther, 'kube-controller-manager'), undefined, 'the other controller manager waits');
    const lease = (name: string): Promise<{ spec: { holderIdentity: string } }> => client.resource<any>(resources.leases).get(name, { namespace: 'kube-system' });
    assert.equal((await lease('kube-scheduler')).spec.holderIdentity, acquired(sLeader, 'kube-scheduler'));
    assert.equal((await lease('kube-controller-manager')).spec.holderIdentity, acquired(cLeader, 'kube-controller-manager'));

    // The leaders act: a Deployment becomes two bound pods.
    await client.resource(resources.deployments).create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ha', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'ha' } }, template: { metadata: { labels: { app: 'ha' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } });
    await eventually('2 pods bound', async () => (await boundPods()).length === 2, 30_000, 100);

    // Kill both holders without a release: the others take over once the Leases expire.
    const killedAt = Date.now();
    await stop(sLeader, 'SIGKILL');
    await stop(cLeader, 'SIGKILL');
    await eventually('the other scheduler leads', () => acquired(sOther, 'kube-scheduler'), 25_000, 100);
    const schedulerHandover = Date.now() - killedAt;
    await eventually('the other controller manager leads', () => acquired(cOther, 'kube-controller-manager'), 25_000, 100);
    const managerHandover = Date.now() - killedAt;
    assert.ok(schedulerHandover <= 17_500, `scheduler handover took ${schedulerHandover} ms`);
    assert.ok(managerHandover <= 17_500, `controller manager handover took ${managerHandover} ms`);
    assert.equal((await lease('kube-scheduler')).spec.holderIdentity, acquired(sOther, 'kube-scheduler'));

    // The successors act: one more replica is created and bound.
    await client.resource(resources.deployments).patch('ha', { spec: { replicas: 3 } }, 'application/merge-patch+json', { namespace: 'default' });
    await eventually('3 pods bound', async () => (await boundPods()).length === 3, 30_000, 100);
  });
});
