import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PodSyncer } from './pod-sync.js';
import type { ContainerStatus } from './cri/types.js';

const S = 1000;
const MIN = 60 * S;

/** A runtime with one ready sandbox whose container `c` the test crashes at will; times follow the injected clock. */
function fakeRuntime(clock: () => number) {
  const sandbox = { id: 'sb', metadata: { name: 'p', uid: 'u1', namespace: 'default', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 1, labels: {}, annotations: {}, network: { ip: '10.244.0.7' } };
  const containers = new Map<string, ContainerStatus>();
  let created = 0;
  const cri = {
    listPodSandbox: async () => [sandbox], podSandboxStatus: async () => sandbox,
    listContainers: async () => [...containers.keys()].map((id) => ({ id, labels: { 'io.kubernetes.container.name': 'c' } })),
    containerStatus: async (id: string) => ({ ...containers.get(id)! }),
    imageStatus: async () => ({ id: 'img' }),
    createContainer: async (_sb: string, cfg: { metadata: { attempt: number } }) => {
      const id = `c${++created}`;
      containers.set(id, { id, metadata: { name: 'c', attempt: cfg.metadata.attempt }, state: 'CONTAINER_CREATED', createdAt: clock() * 1e6, startedAt: 0, finishedAt: 0, exitCode: 0,
        image: { image: 'busybox' }, imageRef: 'sha256:x', reason: '', message: 'x', labels: {}, annotations: {}, logPath: '' });
      return id;
    },
    startContainer: async (id: string) => { Object.assign(containers.get(id)!, { state: 'CONTAINER_RUNNING', startedAt: clock() * 1e6 }); },
    removeContainer: async (id: string) => { containers.delete(id); },
  };
  /** The running container exits with code 1 now. */
  const crash = (): void => {
    for (const c of containers.values()) if (c.state === 'CONTAINER_RUNNING') Object.assign(c, { state: 'CONTAINER_EXITED', exitCode: 1, finishedAt: clock() * 1e6 });
  };
  return { cri, crash, started: () => created };
}

it('crash-loop back-off: immediate first restart, then 10 s, 20 s; reset after running 10 min; GC forgets idle and deleted pods', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-crash-backoff-'));
  let now = 1_700_000_000_000;
  const clock = (): number => now;
  const rt = fakeRuntime(clock);
  const client = { resource: () => ({ patch: async () => undefined }) };
  const events: string[] = [];
  try {
    const syncer = new PodSyncer({
      client: client as never, cri: rt.cri as never, nodeName: 'n', nodeIP: '127.0.0.1', rootDir: dir, clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local', allocatable: {},
      recorder: { event: (_o: unknown, _type: string, reason: string) => events.push(reason) } as never, now: clock,
    });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Running' } };
    await syncer.sync(pod as never);
    assert.equal(rt.started(), 1);

    // First crash: restarted at once.
    now += 5 * S; rt.crash();
    assert.equal((await syncer.sync(pod as never)).requeueAfterMs, undefined);
    assert.equal(rt.started(), 2);

    // Second crash: 10 s back-off from the exit.
    now += 5 * S; rt.crash();
    now += 3 * S;
    assert.equal((await syncer.sync(pod as never)).requeueAfterMs, 7 * S);
    assert.equal(rt.started(), 2);
    assert.ok(events.includes('BackOff'));
    now += 7 * S;
    await syncer.sync(pod as never);
    assert.equal(rt.started(), 3);

    // Third crash: 20 s.
    now += S; rt.crash();
    assert.equal((await syncer.sync(pod as never)).requeueAfterMs, 20 * S);
    now += 20 * S;
    await syncer.sync(pod as never);
    assert.equal(rt.started(), 4);

    // It then runs for more than 10 min (2×max) before crashing: restarted at once.
    now += 10 * MIN + S; rt.crash();
    assert.equal((await syncer.sync(pod as never)).requeueAfterMs, undefined);
    assert.equal(rt.started(), 5);
    assert.equal(syncer.crashBackOff.size, 1);

    // Housekeeping: the entry survives while the pod exists and was updated recently...
    syncer.gcBackOff(new Set(['u1']));
    assert.equal(syncer.crashBackOff.size, 1);
    // ...is dropped after 10 min without an update...
    now += 10 * MIN + 1;
    syncer.gcBackOff(new Set(['u1']));
    assert.equal(syncer.crashBackOff.size, 0);
    // ...and at once when the pod is gone.
    rt.crash();
    await syncer.sync(pod as never);
    assert.equal(syncer.crashBackOff.size, 1);
    syncer.gcBackOff(new Set(['other']));
    assert.equal(syncer.crashBackOff.size, 0);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
