/** Pure helpers of the Job controller: failure back-off, index sets and per-index failure counts, pod failure policy matching, what counts as failed. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { failureBackoffDelay, remainingBackoff } from './backoff.js';
import { completionIndexOf, exceedsBackoffLimitPerIndex, formatIndexes, nextIndexFailureCounts, parseIndexes, setCompletionIndex } from './indexed.js';
import { isPodConsideredFailed } from './tracking.js';
import type { Job } from '../../api/batch/v1/job.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

describe('job failure back-off', () => {
  it('doubles from 10 s and caps at 6 min; a record owes what is left', () => {
    assert.deepEqual([0, 1, 2, 3].map((n) => failureBackoffDelay(n)), [0, 10_000, 20_000, 40_000]);
    assert.equal(failureBackoffDelay(10), 360_000);
    assert.equal(failureBackoffDelay(1000), 360_000);
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 2, lastFailureTime: 1000 }, 6000), 15_000);
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: 1000 }, 60_000), 0);
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 0, lastFailureTime: 1000 }, 1000), 0);
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 1, lastFailureTime: 0 }, 50, 100), 50);
  });
});

describe('indexed completion', () => {
  it('formats and parses the interval form', () => {
    assert.equal(formatIndexes([5, 1, 3, 4, 7]), '1,3-5,7');
    assert.equal(formatIndexes([]), '');
    assert.equal(formatIndexes([0, 1]), '0-1');
    assert.deepEqual([...parseIndexes('1,3-5,7,x,9', 8)].sort(), [1, 3, 4, 5, 7]);
    assert.deepEqual([...parseIndexes(undefined, 3)], []);
  });
  it('decorates a pod with its index, keeping what the template set', () => {
    const pod = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }, { name: 'd', env: [{ name: 'JOB_COMPLETION_INDEX', value: 'x' }] }], initContainers: [{ name: 'i' }] } } as unknown as Pod;
    setCompletionIndex(pod, 'pi', 3);
    assert.equal(pod.metadata.annotations!['batch.kubernetes.io/job-completion-index'], '3');
    assert.deepEqual(pod.metadata.labels, { a: 'b', 'batch.kubernetes.io/job-completion-index': '3' });
    assert.equal(pod.spec!.hostname, 'pi-3');
    const ref = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } };
    assert.deepEqual(pod.spec!.containers![0].env, [ref]);
    assert.deepEqual(pod.spec!.containers![1].env, [{ name: 'JOB_COMPLETION_INDEX', value: 'x' }]);
    assert.deepEqual(pod.spec!.initContainers![0].env, [ref]);
    assert.equal(completionIndexOf(pod, 4), 3);
    assert.equal(completionIndexOf(pod, 3), undefined);
  });
});

describe('pod failure policy', () => {
  const pod = (statuses: Array<{ name: string; exitCode: number }>, conditions: Array<{ type: string; status: string }> = []) => ({
    metadata: { name: 'p', namespace: 'ns' },
    status: { phase: 'Failed', conditions, containerStatuses: statuses.map((s) => ({ name: s.name, state: { terminated: { exitCode: s.exitCode } } })) },
  }) as unknown as Pod;
  const policy = { rules: [
    { action: 'Future', onExitCodes: { operator: 'In' as const, values: [1] } },
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In' as const, values: [42] } },
    { action: 'Count', onExitCodes: { operator: 'NotIn' as const, values: [42] } },
  ] };
  it('takes the first matching rule, skipping unknown actions', () => {
    assert.deepEqual(matchPodFailurePolicy(policy, pod([{ name: 'main', exitCode: 42 }])),
      { action: 'FailJob', ruleIndex: 2, message: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 2' });
    assert.deepEqual(matchPodFailurePolicy(policy, pod([{ name: 'main', exitCode: 42 }], [{ type: 'DisruptionTarget', status: 'True' }])),
      { action: 'Ignore', ruleIndex: 1, message: 'Pod ns/p has condition DisruptionTarget matching Ignore rule at index 1' });
    assert.equal(matchPodFailurePolicy(policy, pod([{ name: 'side', exitCode: 42 }]))?.action, undefined);
    assert.equal(matchPodFailurePolicy(policy, pod([{ name: 'side', exitCode: 1 }]))?.action, 'Count');
    // Exit code 0 never matches, not even NotIn.
    assert.equal(matchPodFailurePolicy(policy, pod([{ name: 'main', exitCode: 0 }])), undefined);
    assert.equal(matchPodFailurePolicy(undefined, pod([{ name: 'main', exitCode: 1 }])), undefined);
  });
});

describe('per-index failure counts', () => {
  const failedPod = (failures?: string, ignored?: string) => ({ metadata: { annotations: {
    ...(failures ? { 'batch.kubernetes.io/job-index-failure-count': failures } : {}), ...(ignored ? { 'batch.kubernetes.io/job-index-ignored-failure-count': ignored } : {}) } } }) as unknown as Pod;
  it('carries the predecessor counts plus its failure', () => {
    assert.deepEqual(nextIndexFailureCounts(undefined, false), { failures: 0, ignoredFailures: 0 });
    assert.deepEqual(nextIndexFailureCounts(failedPod('1'), false), { failures: 2, ignoredFailures: 0 });
    assert.deepEqual(nextIndexFailureCounts(failedPod('1', '2'), true), { failures: 1, ignoredFailures: 3 });
    assert.equal(exceedsBackoffLimitPerIndex(failedPod('0'), 1), false);
    assert.equal(exceedsBackoffLimitPerIndex(failedPod('1'), 1), true);
    assert.equal(exceedsBackoffLimitPerIndex(failedPod(), 0), true);
  });
});

describe('what counts as a failed pod', () => {
  const pod = (phase: string, deleting = false) => ({ metadata: deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}, status: { phase } }) as unknown as Pod;
  const job = (spec: Record<string, unknown> = {}) => ({ metadata: {}, spec }) as Job;
  it('Failed, or deleted before succeeding unless a policy waits for the phase', () => {
    assert.equal(isPodConsideredFailed(pod('Failed'), job()), true);
    assert.equal(isPodConsideredFailed(pod('Running'), job()), false);
    assert.equal(isPodConsideredFailed(pod('Running', true), job()), true);
    assert.equal(isPodConsideredFailed(pod('Succeeded', true), job()), false);
    assert.equal(isPodConsideredFailed(pod('Running', true), job({ podFailurePolicy: { rules: [] } })), false);
    assert.equal(isPodConsideredFailed(pod('Running', true), job({ podReplacementPolicy: 'Failed' })), false);
  });
});
