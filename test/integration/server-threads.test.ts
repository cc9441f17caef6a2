/**
 * `startServer` in-process (the embeddable cluster, control plane only): the scheduler
 * and the controller manager run in their own worker threads (issue #7) and still do
 * their work through the API server; stopping ends the threads.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import { startServer } from '../../src/server/start-server.js';
import { resources } from '../../src/client/interface.js';
import type { Pod } from '../../src/api/core/v1/pod-types.js';
import { registerSimulatedNode } from '../support/fake-kubelet.js';
import { tempDirs } from '../support/temp-dirs.js';

const dirs = tempDirs();
after(() => dirs.removeAll());

test('k8ts server in-process: the scheduler and the controller manager work from their own threads', async () => {
  const lines: string[] = [];
  const server = await startServer({ dataDir: dirs.make('k8ts-threads-'), httpsListenPort: 0, disableAgent: true, schedulerSecurePort: 0, controllerManagerSecurePort: 0, log: (m) => lines.push(m) });
  const abort = new AbortController();
  try {
    const names = server.threads.map((t) => t.name).sort();
    assert.deepEqual(names, ['controller-manager', 'scheduler']);
    const ids = server.threads.map((t) => t.threadId);
    assert.ok(ids.every((id) => id !== threadId) && new Set(ids).size === ids.length, `distinct worker threads: ${ids}`);

    await registerSimulatedNode(server.client, 'sim-0', abort.signal);
    // The Deployment controller (controller manager thread) makes the pods; the scheduler thread binds them.
    await server.client.resource(resources.deployments).create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const deadline = Date.now() + 60_000;
    let pods: Pod[] = [];
    for (;;) {
      pods = (await server.client.resource<Pod>(resources.pods).list({ namespace: 'default', labelSelector: 'app=web' })).items;
      if (pods.length === 3 && pods.every((p) => p.spec?.nodeName === 'sim-0')) break;
      if (Date.now() > deadline) assert.fail(`3 pods bound to sim-0 within 60 s; have ${pods.map((p) => `${p.metadata.name}→${p.spec?.nodeName}`).join(', ')}\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(lines.some((l) => l.startsWith('scheduler running (leader election on kube-system/kube-scheduler')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('controller-manager running (leader election on kube-system/kube-controller-manager')), lines.join('\n'));
  } finally {
    abort.abort();
    const t0 = Date.now();
    await server.stop();
    assert.ok(Date.now() - t0 < 20_000, `stopped in ${Date.now() - t0} ms`);
  }
  assert.ok(!lines.some((l) => / failed: /.test(l)), `no component failed:\n${lines.join('\n')}`);
});
