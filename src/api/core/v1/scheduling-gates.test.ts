import { it } from 'node:test';
import assert from 'node:assert/strict';
import { podDefinition } from './pod.js';
import type { Pod } from './pod-types.js';
import { podStatusSummary } from '../../printers/pod-printer.js';
import { schedulingGates } from '../../../scheduler/plugins/scheduling-gates/scheduling-gates.js';

const gated = (gates: string[]): Pod => ({ metadata: { name: 'p', namespace: 'd' }, spec: { schedulingGates: gates.map((name) => ({ name })), containers: [{ name: 'c', image: 'busybox' }] } });
const deps = { clock: () => new Date('2026-12-01T00:00:00Z') } as never;

it('a gated pod is created with PodScheduled False/SchedulingGated, printed SchedulingGated, and kept out of the scheduler until its last gate goes', () => {
  const pod = gated(['example.com/a']);
  podDefinition.strategy!.prepareForCreate!(pod, deps);
  assert.deepEqual(pod.status!.conditions, [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates', lastProbeTime: null, lastTransitionTime: '2026-12-01T00:00:00Z' }]);
  assert.equal(podStatusSummary(pod, Date.now()).reason, 'SchedulingGated');
  // The scheduler's SchedulingGates PreEnqueue plugin keeps it out of the queue until then.
  assert.deepEqual(schedulingGates().preEnqueue(pod), { code: 'UnschedulableAndUnresolvable', reasons: ['waiting for scheduling gates: [example.com/a]'] });
  assert.equal(schedulingGates().preEnqueue({ ...pod, spec: { ...pod.spec!, schedulingGates: [] } }).code, 'Success');
});

it('scheduling gates may only be removed on update', () => {
  const old = gated(['example.com/a', 'example.com/b']);
  const errs = (p: Pod) => podDefinition.validateUpdate!(p, old).map((e) => `${e.field}: ${e.detail ?? ''}`);
  assert.deepEqual(errs(gated(['example.com/a'])), []);
  assert.deepEqual(errs(gated([])), []);
  assert.deepEqual(errs(gated(['example.com/a', 'example.com/c'])), ["spec.schedulingGates: only deletion is allowed, but found new scheduling gate 'example.com/c'"]);
});
