import { it } from 'node:test';
import assert from 'node:assert/strict';
import { podStatusSummary } from './pod-printer.js';
import { humanDuration } from './table.js';
import { builtinResourceTable } from '../builtin-resources.js';

const printerFor = (group: string, resource: string) => builtinResourceTable().printerOf(group, resource);
import type { Pod } from '../core/v1/pod-types.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const pod = (status: Pod['status'], extra: Partial<Pod['metadata']> = {}): Pod => ({ metadata: { name: 'p', ...extra }, spec: { containers: [{ name: 'c' }] }, status });

it('pod STATUS column follows upstream printPod', () => {
  assert.equal(podStatusSummary(pod({ phase: 'Pending' }), now).reason, 'Pending');
  assert.equal(podStatusSummary(pod({ phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }] }), now).reason, 'ContainerCreating');
  const running = podStatusSummary(pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] }), now);
  assert.deepEqual(running, { ready: '1/1', reason: 'Running', restarts: '0' });
  assert.equal(podStatusSummary(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), now).reason, 'Completed');
  assert.equal(podStatusSummary(pod({ phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }), now).reason, 'Error');
  const crash = podStatusSummary(pod({ phase: 'Running', containerStatuses: [{ name: 'c', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:08:00Z' } } }] }), now);
  assert.deepEqual(crash, { ready: '0/1', reason: 'CrashLoopBackOff', restarts: '3 (2m ago)' });
  assert.equal(podStatusSummary(pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }] }, { deletionTimestamp: '2026-01-01T00:10:30Z' }), now).reason, 'Terminating');
});

it('ages print as upstream HumanDuration', () => {
  assert.deepEqual([5_000, 119_000, 130_000, 600_000, 3 * 3600_000, 30 * 3600_000, 50 * 3600_000, 400 * 86400_000].map(humanDuration), ['5s', '119s', '2m10s', '10m', '3h', '30h', '2d2h', '400d']);
});

it('printers have upstream columns', () => {
  assert.deepEqual(printerFor('', 'pods').columns.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
  assert.deepEqual(printerFor('apps', 'deployments').columns.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
  assert.deepEqual(printerFor('', 'nodes').columns.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Status', 'Roles', 'Age', 'Version']);
  assert.deepEqual(printerFor('', 'unknownthings').columns.map((c) => c.name), ['Name', 'Age']);
});
