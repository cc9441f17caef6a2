/**
 * The Job controller against an in-process apiserver; the test plays the kubelet by
 * writing pod status (phase, exit codes, conditions) through pods/status. Covers pods
 * from the template, parallelism/completions, status and events, backoffLimit with
 * the failure back-off, activeDeadlineSeconds, suspend/resume, Indexed mode and the
 * pod failure policy.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Job } from '../../api/batch/v1/job.js';
import { JobController, type JobCondition } from './controller.js';

const BACKOFF_MS = 300;

describe('job controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';

  before(async () => {
    server = await startTestApiServer('job');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const informers = createSharedInformerFactory(client);
    void new JobController(client, informers, { podFailureBackoffMs: BACKOFF_MS }).run(ac.signal, 2);
    informers.start(ac.signal);
  });
  after(async () => { ac.abort(); await server.close(); });

  const jobs = () => client.resource<Job>(resources.jobs);
  const pods = () => client.resource<Pod>(resources.pods);
  const getJob = (name: string) => jobs().get(name, { namespace: ns });
  const cond = (job: Job, type: string) => (job.status?.conditions as JobCondition[] | undefined)?.find((c) => c.type === type);
  const createJob = (name: string, spec: Record<string, unknown>) => jobs().create<Job>({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: ns },
    spec: { template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } }, ...spec },
  });
  /** The Job's pods that are neither terminal nor being deleted, oldest first. */
  const activePods = async (job: string) => (await pods().list({ namespace: ns, labelSelector: `batch.kubernetes.io/job-name=${job}` })).items
    .filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const waitActive = (job: string, n: number) => until(`${n} active pods of ${job}`, async () => { const a = await activePods(job); return a.length === n && a; });
  /** Plays the kubelet: the pod ends with `phase`, its container `main` with `exitCode`, plus extra pod conditions. */
  async function finish(p: Pod, phase: 'Succeeded' | 'Failed', exitCode = phase === 'Succeeded' ? 0 : 1, conditions: Array<{ type: string; status: string }> = []): Promise<Pod> {
    const cur = await pods().get(p.metadata.name!, { namespace: ns });
    const t = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return pods().update({ ...cur, status: {
      phase, conditions: conditions.map((c) => ({ ...c, lastTransitionTime: t })),
      containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, startedAt: t, finishedAt: t, reason: exitCode ? 'Error' : 'Completed' } } }],
    } }, { subresource: 'status' });
  }
  async function setReady(p: Pod): Promise<void> {
    const cur = await pods().get(p.metadata.name!, { namespace: ns });
    await pods().update({ ...cur, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } }, { subresource: 'status' });
  }
  const events = async (job: string) => (await client.resource(resources.events).list({ namespace: ns })).items
    .filter((e: any) => e.involvedObject?.name === job && e.involvedObject?.kind === 'Job') as any[];
  const hasEvent = (job: string, reason: string, message?: string | RegExp) => until(`event ${reason} for ${job}`, async () =>
    (await events(job)).find((e) => e.reason === reason && (message === undefined || (typeof message === 'string' ? e.message === message : message.test(e.message)))));

  it('runs min(parallelism, remaining) pods from the template to completion', async () => {
    const job = await createJob('pi', { completions: 3, parallelism: 2 });
    const [a, b] = await waitActive('pi', 2);
    assert.match(a.metadata.name!, /^pi-[a-z0-9]{5}$/);
    assert.equal(a.metadata.generateName, 'pi-');
    assert.deepEqual(a.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    assert.deepEqual(a.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(a.metadata.labels, {
      app: 'pi', 'batch.kubernetes.io/controller-uid': job.metadata.uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': job.metadata.uid, 'job-name': 'pi',
    });
    let j = await until('active 2 and startTime', async () => { const x = await getJob('pi'); return x.status?.active === 2 && x.status?.startTime && x; });
    assert.equal(j.status!.ready, 0);
    assert.equal(j.status!.terminating, 0);
    await setReady(a);
    await until('ready 1', async () => (await getJob('pi')).status?.ready === 1);

    await finish(a, 'Succeeded');
    await finish(b, 'Succeeded');
    const [c] = await waitActive('pi', 1);
    await until('succeeded 2, active 1', async () => { const x = await getJob('pi'); return x.status?.succeeded === 2 && x.status?.active === 1; });
    await finish(c, 'Succeeded');
    j = await until('Complete', async () => { const x = await getJob('pi'); return cond(x, 'Complete')?.status === 'True' && x; });
    assert.equal(j.status!.succeeded, 3);
    assert.equal(j.status!.active, undefined);
    assert.equal(j.status!.failed, undefined);
    assert.match(j.status!.completionTime, /^\d{4}-\d\d-\d\dT/);
    assert.equal(cond(j, 'Complete')!.reason, 'CompletionsReached');
    assert.deepEqual(j.status!.uncountedTerminatedPods, {});
    const left = (await pods().list({ namespace: ns, labelSelector: 'job-name=pi' })).items;
    assert.equal(left.length, 3);
    assert.deepEqual(left.filter((p) => p.metadata.finalizers?.length), [], 'tracking finalizers released once counted');
    await hasEvent('pi', 'Completed', 'Job completed');
    await hasEvent('pi', 'SuccessfulCreate', `Created pod: ${c.metadata.name}`);
    assert.equal((await events('pi')).filter((e) => e.reason === 'SuccessfulCreate').length, 3);
  });

  it('without completions, one success completes once the others end', async () => {
    await createJob('work-queue', { parallelism: 2 });
    const [a, b] = await waitActive('work-queue', 2);
    await finish(a, 'Succeeded');
    await until('succeeded 1', async () => (await getJob('work-queue')).status?.succeeded === 1);
    assert.equal((await activePods('work-queue')).length, 1, 'no replacement after a success');
    assert.equal(cond(await getJob('work-queue'), 'Complete'), undefined);
    await finish(b, 'Succeeded');
    await until('Complete', async () => cond(await getJob('work-queue'), 'Complete')?.status === 'True');
  });

  it('replaces failed pods after the back-off and fails past backoffLimit', async () => {
    await createJob('flaky', { backoffLimit: 1 });
    const [a] = await waitActive('flaky', 1);
    const failedAt = Date.now();
    await finish(a, 'Failed');
    const [b] = await waitActive('flaky', 1);
    assert.ok(Date.now() - failedAt >= BACKOFF_MS - 50, `replacement waited ${Date.now() - failedAt} ms`);
    await until('failed 1', async () => (await getJob('flaky')).status?.failed === 1);
    await finish(b, 'Failed');
    const j = await until('Failed', async () => { const x = await getJob('flaky'); return cond(x, 'Failed')?.status === 'True' && x; });
    assert.equal(cond(j, 'Failed')!.reason, 'BackoffLimitExceeded');
    assert.equal(cond(j, 'Failed')!.message, 'Job has reached the specified backoff limit');
    assert.equal(cond(j, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
    assert.equal(j.status!.failed, 2);
    assert.equal(j.status!.completionTime, undefined);
    await hasEvent('flaky', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    assert.equal((await activePods('flaky')).length, 0);
  });

  it('fails at activeDeadlineSeconds and deletes the active pods', async () => {
    await createJob('slow', { activeDeadlineSeconds: 1, parallelism: 2, completions: 4 });
    const [a] = await waitActive('slow', 2);
    const j = await until('Failed', async () => { const x = await getJob('slow'); return cond(x, 'Failed')?.status === 'True' && x; }, 5000);
    assert.equal(cond(j, 'Failed')!.reason, 'DeadlineExceeded');
    assert.equal(cond(j, 'Failed')!.message, 'Job was active longer than specified deadline');
    assert.equal((await activePods('slow')).length, 0);
    assert.equal(j.status!.active, undefined);
    assert.equal(j.status!.failed, 2, 'the pods killed at the deadline count as failed');
    await hasEvent('slow', 'DeadlineExceeded', 'Job was active longer than specified deadline');
    await hasEvent('slow', 'SuccessfulDelete', `Deleted pod: ${a.metadata.name}`);
  });

  it('suspend deletes the active pods; resume recreates them and resets startTime', async () => {
    await createJob('paused', { parallelism: 2, completions: 2 });
    await waitActive('paused', 2);
    const started = await until('startTime', async () => (await getJob('paused')).status?.startTime);
    await jobs().patch('paused', { spec: { suspend: true } }, 'application/merge-patch+json', { namespace: ns });
    let j = await until('Suspended', async () => { const x = await getJob('paused'); return cond(x, 'Suspended')?.status === 'True' && x; });
    assert.equal(cond(j, 'Suspended')!.reason, 'JobSuspended');
    assert.equal(cond(j, 'Suspended')!.message, 'Job suspended');
    await waitActive('paused', 0);
    await until('active 0', async () => (await getJob('paused')).status?.active === undefined);
    await hasEvent('paused', 'Suspended', 'Job suspended');
    assert.equal((await getJob('paused')).status!.failed, undefined, 'pods deleted on suspension are not failures');

    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 10)); // next second, so the reset startTime differs
    await jobs().patch('paused', { spec: { suspend: false } }, 'application/merge-patch+json', { namespace: ns });
    j = await until('resumed', async () => { const x = await getJob('paused'); return cond(x, 'Suspended')?.status === 'False' && x; });
    assert.equal(cond(j, 'Suspended')!.reason, 'JobResumed');
    assert.ok(Date.parse(j.status!.startTime) > Date.parse(started), `startTime ${j.status!.startTime} after ${started}`);
    await waitActive('paused', 2);
    await hasEvent('paused', 'Resumed', 'Job resumed');
  });

  it('Indexed: one pod per index, completedIndexes, replacement for the failed index', async () => {
    await createJob('idx', { completionMode: 'Indexed', completions: 3, parallelism: 3 });
    const ps = await waitActive('idx', 3);
    const byIndex = new Map(ps.map((p) => [Number(p.metadata.annotations!['batch.kubernetes.io/job-completion-index']), p]));
    assert.deepEqual([...byIndex.keys()].sort(), [0, 1, 2]);
    for (const [i, p] of byIndex) {
      assert.match(p.metadata.name!, new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
      assert.equal(p.metadata.labels!['batch.kubernetes.io/job-completion-index'], `${i}`);
      assert.equal(p.spec!.hostname, `idx-${i}`);
      assert.deepEqual(p.spec!.containers![0].env?.find((e) => e.name === 'JOB_COMPLETION_INDEX')?.valueFrom?.fieldRef?.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
    }
    await finish(byIndex.get(0)!, 'Succeeded');
    await finish(byIndex.get(2)!, 'Succeeded');
    await until('completedIndexes 0,2', async () => (await getJob('idx')).status?.completedIndexes === '0,2');
    await finish(byIndex.get(1)!, 'Failed');
    const [again] = await until('a new pod for index 1', async () => { const a = await activePods('idx'); return a.length === 1 && a[0].metadata.uid !== byIndex.get(1)!.metadata.uid && a; });
    assert.equal(again.metadata.annotations!['batch.kubernetes.io/job-completion-index'], '1');
    await finish(again, 'Succeeded');
    const j = await until('Complete', async () => { const x = await getJob('idx'); return cond(x, 'Complete')?.status === 'True' && x; });
    assert.equal(j.status!.completedIndexes, '0-2');
    assert.equal(j.status!.succeeded, 3);
    assert.equal(j.status!.failed, 1);
  });

  it('pod failure policy: Ignore does not count, FailJob fails the Job', async () => {
    await createJob('policy', { backoffLimit: 0, podFailurePolicy: { rules: [
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
    ] } });
    const [a] = await waitActive('policy', 1);
    await finish(a, 'Failed', 137, [{ type: 'DisruptionTarget', status: 'True' }]);
    const [b] = await until('a replacement', async () => { const x = await activePods('policy'); return x.length === 1 && x[0].metadata.uid !== a.metadata.uid && x; });
    const mid = await getJob('policy');
    assert.equal(mid.status!.failed, undefined, 'an ignored failure is not counted');
    assert.equal(cond(mid, 'Failed'), undefined);
    await finish(b, 'Failed', 42);
    const j = await until('Failed', async () => { const x = await getJob('policy'); return cond(x, 'Failed')?.status === 'True' && x; });
    assert.equal(cond(j, 'Failed')!.reason, 'PodFailurePolicy');
    assert.equal(cond(j, 'Failed')!.message, `Container main for pod ${ns}/${b.metadata.name} failed with exit code 42 matching FailJob rule at index 0`);
    assert.equal(j.status!.failed, 1);
  });

  it('a pod deleted while running counts as failed and is replaced; a deleted Job releases its pods', async () => {
    await createJob('evicted', { completions: 2 });
    const [a] = await waitActive('evicted', 1);
    await pods().delete(a.metadata.name!, { namespace: ns });
    await until('a gone once counted', async () => !(await pods().list({ namespace: ns, labelSelector: 'job-name=evicted' })).items.some((p) => p.metadata.uid === a.metadata.uid));
    const j = await until('failed 1', async () => { const x = await getJob('evicted'); return x.status?.failed === 1 && x; });
    assert.deepEqual(j.status!.uncountedTerminatedPods, {});
    const [b] = await waitActive('evicted', 1);
    assert.notEqual(b.metadata.uid, a.metadata.uid);

    // No garbage collector runs here: the pod stays, but loses the tracking finalizer.
    await jobs().delete('evicted', { namespace: ns });
    await until('finalizer released', async () => !(await pods().get(b.metadata.name!, { namespace: ns })).metadata.finalizers?.length);
  });

  it('backoffLimitPerIndex: an index fails after its own retries; the Job fails with FailedIndexes', async () => {
    await createJob('per-index', { completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimitPerIndex: 1 });
    const first = await waitActive('per-index', 2);
    const at = (ps: Pod[], i: number) => ps.find((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'] === `${i}`)!;
    assert.equal(at(first, 0).metadata.annotations!['batch.kubernetes.io/job-index-failure-count'], '0');
    assert.equal((await getJob('per-index')).status!.failedIndexes, '');
    await finish(at(first, 0), 'Failed');
    const retry = await until('a retry of index 0', async () => { const a = await activePods('per-index'); const p = a.length === 2 && at(a, 0); return p && p.metadata.uid !== at(first, 0).metadata.uid && p; });
    assert.equal(retry.metadata.annotations!['batch.kubernetes.io/job-index-failure-count'], '1');
    await finish(retry, 'Failed');
    await until('index 0 failed', async () => (await getJob('per-index')).status?.failedIndexes === '0');
    assert.equal((await activePods('per-index')).length, 1, 'no third try for index 0');
    await finish(at(first, 1), 'Succeeded');
    const j = await until('Failed', async () => { const x = await getJob('per-index'); return cond(x, 'Failed')?.status === 'True' && x; });
    assert.equal(cond(j, 'Failed')!.reason, 'FailedIndexes');
    assert.equal(cond(j, 'Failed')!.message, 'Job has failed indexes');
    assert.equal(j.status!.completedIndexes, '1');
    assert.equal(j.status!.failed, 2);
    assert.equal(j.status!.succeeded, 1);
  });

  it('a FailIndex rule past maxFailedIndexes fails the Job', async () => {
    await createJob('max-failed', { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 2, maxFailedIndexes: 0,
      podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }] } });
    const ps = await waitActive('max-failed', 3);
    await finish(ps.find((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'] === '2')!, 'Failed', 3);
    const j = await until('Failed', async () => { const x = await getJob('max-failed'); return cond(x, 'Failed')?.status === 'True' && x; });
    assert.equal(cond(j, 'Failed')!.reason, 'MaxFailedIndexesExceeded');
    assert.equal(cond(j, 'Failed')!.message, 'Job has exceeded the specified maximal number of failed indexes');
    assert.equal(j.status!.failedIndexes, '2');
    assert.equal((await activePods('max-failed')).length, 0);
    assert.equal(j.status!.failed, 3, 'the failed pod and the two killed ones');
  });

  it('restartPolicy OnFailure: container restarts reaching backoffLimit fail the Job', async () => {
    await jobs().create({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'restarts', namespace: ns },
      spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'busybox' }] } } } });
    const [a] = await waitActive('restarts', 1);
    const cur = await pods().get(a.metadata.name!, { namespace: ns });
    await pods().update({ ...cur, status: { phase: 'Running', containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }, { subresource: 'status' });
    const j = await until('Failed', async () => { const x = await getJob('restarts'); return cond(x, 'Failed')?.status === 'True' && x; });
    assert.equal(cond(j, 'Failed')!.reason, 'BackoffLimitExceeded');
    assert.equal((await activePods('restarts')).length, 0);
  });
});
