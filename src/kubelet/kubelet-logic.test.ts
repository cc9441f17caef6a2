import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCriLog } from './cri-log.js';
import { computePodStatus, type PodRuntimeView } from './pod-status.js';
import type { ContainerStatus } from './cri/types.js';
import type { Pod } from '../api/core/v1/pod-types.js';

it('CRI log files render as kubectl logs prints them', () => {
  const log = '2026-01-01T00:00:00.1Z stdout F hello\n2026-01-01T00:00:01.1Z stderr P par\n2026-01-01T00:00:01.2Z stderr F tial\n2026-01-01T00:00:02.1Z stdout F last\n';
  assert.equal(parseCriLog(log), 'hello\npartial\nlast\n');
  assert.equal(parseCriLog(log, { tailLines: 1 }), 'last\n');
  assert.equal(parseCriLog(log, { tailLines: 2 }), 'partial\nlast\n');
  assert.equal(parseCriLog(log, { timestamps: true }).split('\n')[0], '2026-01-01T00:00:00.1Z hello');
  assert.equal(parseCriLog(log, { limitBytes: 3 }), 'hel');
});

const cri = (id: string, state: ContainerStatus['state'], exitCode = 0, attempt = 0): ContainerStatus => ({
  id, metadata: { name: 'c', attempt }, state, createdAt: 1e18, startedAt: 1e18, finishedAt: state === 'CONTAINER_EXITED' ? 1.1e18 : 0, exitCode,
  image: { image: 'busybox' }, imageRef: 'sha256:x', reason: '', message: '', labels: {}, annotations: { 'io.kubernetes.container.restartCount': String(attempt) }, logPath: '',
});
const view = (containers: ContainerStatus[], waiting: PodRuntimeView['waiting'] = new Map()): PodRuntimeView => ({
  sandboxes: [{ id: 's', metadata: { name: 'p', uid: 'u', namespace: 'd', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 1, labels: {}, annotations: {}, network: { ip: '10.244.0.9' } }],
  containers: new Map([['c', containers]]), waiting, hostIP: '127.0.0.1',
});
const pod = (restartPolicy: string): Pod => ({ metadata: { name: 'p', namespace: 'd', uid: 'u' }, spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] } });

it('pod phase and container states follow upstream getPhase', () => {
  const running = computePodStatus(pod('Always'), view([cri('a', 'CONTAINER_RUNNING')]));
  assert.equal(running.phase, 'Running');
  assert.equal(running.podIP, '10.244.0.9');
  assert.equal(running.containerStatuses![0].containerID, 'containerd://a');
  assert.equal(running.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
  assert.equal(running.conditions!.find((c) => c.type === 'PodScheduled')!.status, 'True');
  const done = computePodStatus(pod('Never'), view([cri('a', 'CONTAINER_EXITED', 0)]));
  assert.equal(done.phase, 'Succeeded');
  assert.equal(done.containerStatuses![0].state!.terminated!.reason, 'Completed');
  const failed = computePodStatus(pod('Never'), view([cri('a', 'CONTAINER_EXITED', 1)]));
  assert.deepEqual([failed.phase, failed.containerStatuses![0].state!.terminated!.reason], ['Failed', 'Error']);
  const backoff = computePodStatus(pod('Always'), view([cri('b', 'CONTAINER_EXITED', 1, 2)], new Map([['c', { reason: 'CrashLoopBackOff', message: 'back-off' }]])));
  assert.equal(backoff.phase, 'Running');
  assert.equal(backoff.containerStatuses![0].state!.waiting!.reason, 'CrashLoopBackOff');
  assert.equal(backoff.containerStatuses![0].restartCount, 2);
  assert.equal(backoff.containerStatuses![0].lastState!.terminated!.exitCode, 1);
  const pending = computePodStatus(pod('Always'), view([]));
  assert.deepEqual([pending.phase, pending.containerStatuses![0].state!.waiting!.reason], ['Pending', 'ContainerCreating']);
});

it('a sandbox the runtime cannot create is a FailedCreatePodSandBox event, and the error reaches the worker', async () => {
  const { PodSyncer } = await import('./pod-sync.js');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-podsync-'));
  const events: string[] = [];
  const cri = {
    listPodSandbox: async () => [], listContainers: async () => [],
    runPodSandbox: async () => { throw new Error('rpc error: code = Unknown desc = failed to setup network for sandbox'); },
  };
  try {
    const syncer = new PodSyncer({
      client: {} as never, cri: cri as never, nodeName: 'n', nodeIP: '127.0.0.1', rootDir: dir, clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local',
      recorder: { event: (_o: unknown, type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`) } as never,
    });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Pending' } };
    await assert.rejects(syncer.sync(pod as never), /failed to setup network/);
    assert.deepEqual(events, ['Warning FailedCreatePodSandBox Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('downward-API files: labels and annotations as sorted key="value" lines, other fields as values', async () => {
  const { downwardApiFile } = await import('./volumes.js');
  const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { zone: 'a', app: 'web "x"' }, annotations: { 'k8s.io/a': 'v' } } };
  assert.equal(downwardApiFile(pod as never, 'metadata.labels'), 'app="web \\"x\\""\nzone="a"');
  assert.equal(downwardApiFile(pod as never, 'metadata.annotations'), 'k8s.io/a="v"');
  assert.equal(downwardApiFile(pod as never, "metadata.labels['zone']"), 'a');
  assert.equal(downwardApiFile(pod as never, 'metadata.namespace'), 'ns');
});

it('projected volumes: ConfigMap, Secret and downward-API sources in one folder; an unserved source is refused', async () => {
  const { prepareVolumes } = await import('./volumes.js');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-vol-'));
  const sources = {
    configMap: async (n: string) => (n === 'cm' ? { data: { 'a.conf': 'x=1' } } : undefined),
    secret: async (n: string) => (n === 's' ? { data: { token: Buffer.from('t0k').toString('base64') } } : undefined),
  };
  try {
    const pod = {
      metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { app: 'web' } },
      spec: { containers: [], volumes: [{ name: 'all', projected: { sources: [
        { configMap: { name: 'cm' } }, { secret: { name: 's', items: [{ key: 'token', path: 'creds/token' }] } },
        { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      ] } }] },
    };
    const vols = await prepareVolumes(pod as never, dir, sources as never);
    const root = vols.get('all')!;
    assert.equal(readFileSync(join(root, 'a.conf'), 'utf8'), 'x=1');
    assert.equal(readFileSync(join(root, 'creds/token'), 'utf8'), 't0k');
    assert.equal(readFileSync(join(root, 'labels'), 'utf8'), 'app="web"');
    const token = { ...pod, spec: { containers: [], volumes: [{ name: 'sa', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] } };
    await assert.rejects(prepareVolumes(token as never, dir, sources as never), /source serviceAccountToken is not supported yet/, 'without a token source');
    const asked: unknown[] = [];
    const withToken = await prepareVolumes({ ...token, spec: { containers: [], volumes: [{ name: 'sa', projected: { sources: [{ serviceAccountToken: { path: 'tok', audience: 'vault', expirationSeconds: 900 } }] } }] } } as never, dir, sources as never,
      { serviceAccountToken: async (spec) => { asked.push(spec); return 'jwt-1'; } });
    assert.equal(readFileSync(join(withToken.get('sa')!, 'tok'), 'utf8'), 'jwt-1');
    assert.deepEqual(asked, [{ audience: 'vault', expirationSeconds: 900 }]);
    await assert.rejects(prepareVolumes(token as never, dir, sources as never, { serviceAccountToken: async () => { throw new Error('serviceaccounts "x" not found'); } }),
      (e: Error & { volume?: string }) => e.message === 'failed to fetch token: serviceaccounts "x" not found' && e.volume === 'sa');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('readiness gates: Ready needs every gate condition True, with upstream messages; foreign conditions are kept', () => {
  const gated = (conditions: object[]): Pod => ({ ...pod('Always'), spec: { ...pod('Always').spec!, readinessGates: [{ conditionType: 'example.com/lb' }] }, status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, ...conditions] as never } });
  const missing = computePodStatus(gated([]), view([cri('a', 'CONTAINER_RUNNING')]));
  const ready = missing.conditions!.find((c) => c.type === 'Ready')!;
  assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/lb" does not exist.']);
  assert.equal(missing.conditions!.find((c) => c.type === 'ContainersReady')!.status, 'True');
  const falseGate = computePodStatus(gated([{ type: 'example.com/lb', status: 'False' }]), view([cri('a', 'CONTAINER_RUNNING')]));
  assert.equal(falseGate.conditions!.find((c) => c.type === 'Ready')!.message, 'the status of pod readiness gate "example.com/lb" is not "True", but False');
  assert.equal(falseGate.conditions!.find((c) => c.type === 'example.com/lb')!.status, 'False');
  const ok = computePodStatus(gated([{ type: 'example.com/lb', status: 'True' }]), view([cri('a', 'CONTAINER_RUNNING')]));
  assert.equal(ok.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
  const unready = computePodStatus(gated([]), view([cri('a', 'CONTAINER_EXITED', 1)], new Map([['c', { reason: 'CrashLoopBackOff' }]])));
  assert.deepEqual([unready.conditions!.find((c) => c.type === 'Ready')!.reason, unready.conditions!.find((c) => c.type === 'Ready')!.message], ['ContainersNotReady', 'containers with unready status: [c]']);
});

it('status: qosClass, OOMKilled from the runtime, lastState.terminated of the previous attempt', () => {
  const p = pod('Always');
  p.spec!.containers![0].resources = { limits: { cpu: '1', memory: '64Mi' } };
  const oom = { ...cri('a', 'CONTAINER_EXITED', 137, 0), reason: 'OOMKilled' };
  const st = computePodStatus(p, view([cri('b', 'CONTAINER_RUNNING', 0, 1), oom]));
  assert.equal(st.qosClass, 'Guaranteed');
  assert.deepEqual([st.containerStatuses![0].lastState!.terminated!.reason, st.containerStatuses![0].lastState!.terminated!.exitCode], ['OOMKilled', 137]);
  const now = computePodStatus(pod('Never'), view([oom]));
  assert.deepEqual([now.containerStatuses![0].state!.terminated!.reason, now.phase, now.qosClass], ['OOMKilled', 'Failed', 'BestEffort']);
});

it('a failing postStart hook kills the container: FailedPostStartHook, Killing, waiting PostStartHookError; preStop runs on deletion', async () => {
  const { PodSyncer } = await import('./pod-sync.js');
  const { mkdtempSync, rmSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-hooks-'));
  const events: string[] = [];
  const calls: string[] = [];
  let state: ContainerStatus['state'] = 'CONTAINER_RUNNING';
  let created: { mounts?: Array<{ containerPath: string; hostPath: string }> } = {};
  const sandbox = { id: 'sb', metadata: { name: 'p', uid: 'u1', namespace: 'default', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 1, labels: {}, annotations: {}, network: { ip: '10.244.0.7' } };
  let sandboxes: unknown[] = [];
  let containers: unknown[] = [];
  const fake = {
    listPodSandbox: async () => sandboxes, podSandboxStatus: async () => sandbox,
    runPodSandbox: async () => { sandboxes = [sandbox]; return 'sb'; },
    listContainers: async () => containers, imageStatus: async () => ({ id: 'img' }),
    createContainer: async (_sb: string, cfg: typeof created) => { created = cfg; containers = [{ id: 'c1', labels: { 'io.kubernetes.container.name': 'c' } }]; calls.push('create'); return 'c1'; },
    startContainer: async () => { calls.push('start'); },
    containerStatus: async () => ({ ...cri('c1', state, state === 'CONTAINER_EXITED' ? 137 : 0), id: 'c1' }),
    execSync: async (_id: string, cmd: string[]) => { calls.push(`exec ${cmd.join(' ')}`); return { stdout: Buffer.alloc(0), stderr: Buffer.from('nope'), exitCode: cmd[0] === 'false' ? 1 : 0 }; },
    stopContainer: async (_id: string, grace: number) => { calls.push(`stop ${grace}`); state = 'CONTAINER_EXITED'; },
    removeContainer: async () => undefined, stopPodSandbox: async () => undefined, removePodSandbox: async () => undefined,
  };
  let status: Record<string, unknown> = {};
  const client = { resource: () => ({ patch: async (_n: string, body: { status: Record<string, unknown> }) => { status = body.status; }, delete: async () => undefined }) };
  try {
    const syncer = new PodSyncer({
      client: client as never, cri: fake as never, nodeName: 'n', nodeIP: '127.0.0.1', rootDir: dir, clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local', allocatable: { cpu: '2', memory: '1Gi' },
      recorder: { event: (_o: unknown, type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`) } as never,
    });
    const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { terminationGracePeriodSeconds: 20, containers: [{ name: 'c', image: 'busybox', lifecycle: { postStart: { exec: { command: ['false'] } }, preStop: { exec: { command: ['true'] } } } }] }, status: { phase: 'Pending' } };
    await syncer.sync(p as never);
    assert.deepEqual(calls, ['create', 'start', 'exec false', 'exec true', 'stop 20']);
    assert.ok(events.includes('Warning FailedPostStartHook PostStartHook failed'));
    assert.ok(events.includes('Normal Killing FailedPostStartHook'));
    const cs = (status.containerStatuses as Array<{ state: { waiting: { reason: string; message: string } } }>)[0];
    assert.equal(cs.state.waiting.reason, 'PostStartHookError');
    assert.match(cs.state.waiting.message, /^Exec lifecycle hook \(\[false\]\) for Container "c" in Pod "p_default\(u1\)" failed/);
    // The managed /etc/hosts is mounted.
    const hosts = created.mounts!.find((m) => m.containerPath === '/etc/hosts')!;
    assert.match(readFileSync(hosts.hostPath, 'utf8'), /\n10\.244\.0\.7\tp\n$/);
    // Deletion: preStop, then StopContainer with the rest of the grace period.
    state = 'CONTAINER_RUNNING'; calls.length = 0;
    await syncer.terminate({ ...p, metadata: { ...p.metadata, deletionTimestamp: 'x', deletionGracePeriodSeconds: 10 }, status: { podIP: '10.244.0.7' } } as never);
    assert.deepEqual(calls.slice(0, 2), ['exec true', 'stop 10']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('a disk emptyDir over its sizeLimit evicts the pod: Evicted event, containers stopped, phase Failed', async () => {
  const { PodSyncer } = await import('./pod-sync.js');
  const { mkdtempSync, rmSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-evict-'));
  const events: string[] = [];
  let state: ContainerStatus['state'] = 'CONTAINER_RUNNING';
  const sandbox = { id: 'sb', metadata: { name: 'p', uid: 'u2', namespace: 'default', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 1, labels: {}, annotations: {}, network: { ip: '10.244.0.8' } };
  const fake = {
    listPodSandbox: async () => [sandbox], podSandboxStatus: async () => sandbox,
    listContainers: async () => [{ id: 'c1', labels: { 'io.kubernetes.container.name': 'c' } }],
    containerStatus: async () => ({ ...cri('c1', state, state === 'CONTAINER_EXITED' ? 137 : 0) }),
    stopContainer: async (_id: string, grace: number) => { events.push(`stop ${grace}`); state = 'CONTAINER_EXITED'; },
  };
  let status: Record<string, unknown> = {};
  const client = { resource: () => ({ patch: async (_n: string, body: { status: Record<string, unknown> }) => { status = body.status; } }) };
  try {
    const syncer = new PodSyncer({
      client: client as never, cri: fake as never, nodeName: 'n', nodeIP: '127.0.0.1', rootDir: dir, clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local', allocatable: {},
      recorder: { event: (_o: unknown, type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`) } as never,
    });
    mkdirSync(join(dir, 'pods', 'u2', 'volumes', 'scratch'), { recursive: true });
    writeFileSync(join(dir, 'pods', 'u2', 'volumes', 'scratch', 'f'), Buffer.alloc(64 * 1024, 1));
    const p = { metadata: { name: 'p', namespace: 'default', uid: 'u2' }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '10Ki' } }] }, status: { phase: 'Running' } };
    await syncer.sync(p as never);
    const msg = 'Usage of EmptyDir volume "scratch" exceeds the limit "10Ki". ';
    assert.deepEqual(events, [`Warning Evicted ${msg}`, 'Normal Killing Stopping container c', 'stop 0']);
    assert.deepEqual([status.phase, status.reason, status.message], ['Failed', 'Evicted', msg]);
    assert.equal((status.conditions as Array<{ type: string; reason?: string }>).find((c) => c.type === 'DisruptionTarget')!.reason, 'TerminationByKubelet');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('orphaned pod dirs (uids the API no longer has) are removed', async () => {
  const { PodSyncer } = await import('./pod-sync.js');
  const { mkdtempSync, rmSync, mkdirSync, readdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-orphans-'));
  try {
    for (const uid of ['keep', 'gone']) mkdirSync(join(dir, 'pods', uid, 'volumes', 'x'), { recursive: true });
    const syncer = new PodSyncer({ client: {} as never, cri: {} as never, recorder: {} as never, nodeName: 'n', nodeIP: '', rootDir: dir, clusterDNS: '', clusterDomain: 'cluster.local', allocatable: {} });
    assert.deepEqual(syncer.cleanupOrphanedPodDirs(new Set(['keep'])), ['gone']);
    assert.deepEqual(readdirSync(join(dir, 'pods')), ['keep']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
