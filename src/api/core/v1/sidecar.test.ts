import { it } from 'node:test';
import assert from 'node:assert/strict';
import { validatePodSpec } from './pod.js';
import type { Container, Pod } from './pod-types.js';
import { podStatusSummary } from '../../printers/pod-printer.js';
import { podRequests } from '../../../scheduler/framework/resources.js';
import { computePodStatus, type PodRuntimeView } from '../../../kubelet/pod-status.js';
import type { ContainerStatus as CriStatus } from '../../../kubelet/cri/types.js';

const fields = (spec: object): string[] => validatePodSpec(spec as never, 'spec').map((e) => `${e.field}: ${e.type}${e.detail ? ` ${e.detail}` : ''}`);

it('validation: restartPolicy only "Always" and only on init containers; probes and lifecycle only on sidecars', () => {
  const app = { name: 'app', image: 'busybox' };
  assert.deepEqual(fields({ containers: [app], initContainers: [{ name: 'log', image: 'busybox', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } }, startupProbe: { exec: { command: ['true'] } }, lifecycle: { preStop: { exec: { command: ['true'] } } } }] }), []);
  assert.deepEqual(fields({ containers: [{ ...app, restartPolicy: 'Always' }] }), ['spec.containers[0].restartPolicy: FieldValueForbidden may not be set for non-init containers']);
  assert.match(fields({ containers: [app], initContainers: [{ name: 'i', image: 'busybox', restartPolicy: 'OnFailure' }] })[0], /^spec\.initContainers\[0\]\.restartPolicy: FieldValueNotSupported/);
  assert.deepEqual(fields({ containers: [app], initContainers: [{ name: 'i', image: 'busybox', livenessProbe: { exec: { command: ['true'] } }, lifecycle: { postStart: { exec: { command: ['true'] } } } }] }), [
    'spec.initContainers[0].lifecycle: FieldValueForbidden may not be set for init containers without restartPolicy=Always',
    'spec.initContainers[0].livenessProbe: FieldValueForbidden may not be set for init containers without restartPolicy=Always',
  ]);
});

it('resources: sidecars add to the app containers; a later init container counts with the sidecars before it (upstream PodRequests)', () => {
  const c = (name: string, cpu: string, restartPolicy?: string): Container => ({ name, image: 'busybox', ...(restartPolicy ? { restartPolicy } : {}), resources: { requests: { cpu } } });
  const pod = (init: Container[]): Pod => ({ metadata: {}, spec: { containers: [c('app', '1')], initContainers: init } });
  assert.equal(podRequests(pod([c('side', '500m', 'Always')])).cpu, 1.5);
  assert.equal(podRequests(pod([c('side', '500m', 'Always'), c('big', '3')])).cpu, 3.5);
  assert.equal(podRequests(pod([c('big', '3'), c('side', '500m', 'Always')])).cpu, 3);
});

const cri = (id: string, name: string, state: CriStatus['state'], exitCode = 0, attempt = 0): CriStatus => ({
  id, metadata: { name, attempt }, state, createdAt: 1e18, startedAt: 1e18, finishedAt: state === 'CONTAINER_EXITED' ? 1.1e18 : 0, exitCode,
  image: { image: 'busybox' }, imageRef: 'sha256:x', reason: '', message: '', labels: {}, annotations: { 'io.kubernetes.container.restartCount': String(attempt) }, logPath: '',
});
const sidecarPod = (restartPolicy = 'Always'): Pod => ({
  metadata: { name: 'p', namespace: 'd', uid: 'u' },
  spec: { restartPolicy, initContainers: [{ name: 'init', image: 'busybox' }, { name: 'log', image: 'busybox', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } }], containers: [{ name: 'app', image: 'busybox' }] },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
});
const view = (containers: Record<string, CriStatus[]>, ready: Record<string, boolean> = {}): PodRuntimeView => ({
  sandboxes: [{ id: 's', metadata: { name: 'p', uid: 'u', namespace: 'd', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 1, labels: {}, annotations: {}, network: { ip: '10.244.0.9' } }],
  containers: new Map(Object.entries(containers)), waiting: new Map(), hostIP: '10.244.0.1',
  probes: { ready: (id) => ready[id], started: () => undefined },
});

it('status: a started sidecar initializes the pod, its readiness gates Ready, and READY/RESTARTS count it', () => {
  const init = cri('i1', 'init', 'CONTAINER_EXITED', 0);
  // Sidecar running, app not created yet: Initialized, app PodInitializing→ContainerCreating.
  const starting = computePodStatus(sidecarPod(), view({ init: [init], log: [cri('l1', 'log', 'CONTAINER_RUNNING')] }, { l1: false }));
  assert.equal(starting.conditions!.find((c) => c.type === 'Initialized')!.status, 'True');
  assert.deepEqual(starting.initContainerStatuses!.map((s) => [s.name, s.started, s.ready]), [['init', undefined, true], ['log', true, false]]);
  // App running but the sidecar unready: not Ready, and the message names the sidecar.
  const unready = computePodStatus(sidecarPod(), view({ init: [init], log: [cri('l1', 'log', 'CONTAINER_RUNNING')], app: [cri('a1', 'app', 'CONTAINER_RUNNING')] }, { l1: false }));
  const readyCond = unready.conditions!.find((c) => c.type === 'Ready')!;
  assert.deepEqual([unready.phase, readyCond.status, readyCond.message], ['Running', 'False', 'containers with unready status: [log]']);
  const ok = computePodStatus(sidecarPod(), view({ init: [init], log: [cri('l2', 'log', 'CONTAINER_RUNNING', 0, 1), cri('l1', 'log', 'CONTAINER_EXITED', 1)], app: [cri('a1', 'app', 'CONTAINER_RUNNING')] }, { l2: true }));
  assert.equal(ok.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
  const summary = podStatusSummary({ ...sidecarPod(), status: ok }, Date.now());
  assert.deepEqual([summary.ready, summary.reason, summary.restarts.split(' ')[0]], ['2/2', 'Running', '1']);
  // restartPolicy Never: the pod succeeds when its app container does, the sidecar still running.
  const done = computePodStatus(sidecarPod('Never'), view({ init: [init], log: [cri('l1', 'log', 'CONTAINER_RUNNING')], app: [cri('a1', 'app', 'CONTAINER_EXITED', 0)] }, { l1: true }));
  assert.equal(done.phase, 'Succeeded');
});

it('printer: a sidecar not yet started shows Init:1/2; a started one counts in READY', () => {
  const pod = sidecarPod();
  const initializing = podStatusSummary({ ...pod, status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'log', started: false, ready: false, state: { running: {} } }], containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'PodInitializing' } } }] } }, Date.now());
  assert.deepEqual([initializing.ready, initializing.reason], ['0/2', 'Init:1/2']);
});
