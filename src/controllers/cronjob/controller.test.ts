/**
 * The CronJob controller against an in-process apiserver, with a movable clock: Jobs
 * created at schedule times (name, owner, labels, scheduled-timestamp annotation in the
 * time zone), status.active/lastScheduleTime/lastSuccessfulTime, Forbid, Replace,
 * suspend, startingDeadlineSeconds, too many missed times, history limits. No Job
 * controller runs: the test writes Job status through jobs/status.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import type { CronJob } from '../../api/batch/v1/cron-job.js';
import type { Job } from '../../api/batch/v1/job.js';
import type { KubeObject } from '../../api/object.js';
import { CronJobController, CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION } from './controller.js';
import { parseCronSchedule } from './schedule.js';

const everyMinute = parseCronSchedule('* * * * *', 'UTC');
const minuteAfter = (ms: number) => everyMinute.next(ms)!;

describe('cronjob controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ns = 'default';

  before(async () => {
    server = await startTestApiServer('cronjob');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => undefined);
  });
  after(async () => { await server.close(); });

  const cronJobs = () => client.resource<CronJob>(resources.cronjobs);
  const jobs = () => client.resource<Job>(resources.jobs);
  const getCj = (name: string) => cronJobs().get(name, { namespace: ns });
  const jobsOf = async (cj: string) => (await jobs().list({ namespace: ns })).items.filter((j) => j.metadata.ownerReferences?.some((r) => r.name === cj)).map((j) => j.metadata.name).sort();
  const events = async (name: string, reason: string) =>
    ((await client.resource(resources.events).list({ namespace: ns })).items as Array<KubeObject & { involvedObject: { name: string }; reason: string; message: string }>)
      .filter((e) => e.involvedObject.name === name && e.reason === reason).map((e) => e.message);

  /** A controller with its own informers and clock (`now = real now + offset`); `at(ms)` moves the clock to ms and syncs the CronJob. */
  async function harness(cjName: string) {
    const ac = new AbortController();
    let offset = 0;
    const informers = createSharedInformerFactory(client);
    const ctl = new CronJobController(client, informers, { now: () => Date.now() + offset, localTimeZone: 'UTC' });
    void ctl.run(ac.signal, 1);
    informers.start(ac.signal);
    await informers.waitForCacheSync(ac.signal);
    return {
      at(ms: number) { offset = ms - Date.now(); ctl.queue.add(`${ns}/${cjName}`); },
      setClock(ms: number) { offset = ms - Date.now(); },
      sync(name = cjName) { ctl.queue.add(`${ns}/${name}`); },
      async stop() {
        ac.abort();
        await cronJobs().delete(cjName, { namespace: ns }).catch(() => undefined);
        for (const j of (await jobs().list({ namespace: ns })).items) await jobs().delete(j.metadata.name!, { namespace: ns }).catch(() => undefined);
      },
    };
  }
  async function createCj(name: string, spec: Record<string, unknown> = {}): Promise<CronJob> {
    return cronJobs().create<CronJob>({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: ns },
      spec: {
        schedule: '* * * * *', ...spec,
        jobTemplate: {
          metadata: { labels: { app: name }, annotations: { note: 'from-template' } },
          spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
        },
      },
    });
  }
  async function finish(name: string, type: 'Complete' | 'Failed', at: number): Promise<void> {
    const j = await jobs().get(name, { namespace: ns });
    const t = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
    await jobs().update({ ...j, status: { startTime: t, ...(type === 'Complete' ? { completionTime: t, succeeded: 1 } : { failed: 1 }), conditions: [{ type, status: 'True', lastTransitionTime: t }] } }, { subresource: 'status' });
  }

  it('creates the Job at the schedule time, tracks it in status, sees it complete', async () => {
    const h = await harness('hello');
    try {
      const cj = await createCj('hello', { timeZone: 'Asia/Kolkata' });
      const t1 = minuteAfter(Date.parse(cj.metadata.creationTimestamp!));
      // Before the first schedule time: nothing.
      h.at(t1 - 5_000);
      h.at(t1 + 1_000);
      const jobName = `hello-${t1 / 60_000}`;
      const status = await until('status.active', async () => { const c = await getCj('hello'); return c.status?.active?.length === 1 && c.status; });
      assert.deepEqual(await jobsOf('hello'), [jobName]);
      const job = await jobs().get(jobName, { namespace: ns });
      assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.equal(job.metadata.labels?.app, 'hello');
      assert.equal(job.metadata.annotations?.note, 'from-template');
      assert.match(job.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+05:30$/);
      assert.equal(Date.parse(job.metadata.annotations![CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]), t1);
      assert.equal(job.spec.template.spec.restartPolicy, 'Never');
      assert.deepEqual(status.active.map((r: { name: string; kind: string; uid: string }) => [r.kind, r.name, r.uid]), [['Job', jobName, job.metadata.uid]]);
      assert.equal(Date.parse(status.lastScheduleTime), t1);
      await until('SuccessfulCreate event', async () => (await events('hello', 'SuccessfulCreate')).includes(`Created job ${jobName}`));

      await finish(jobName, 'Complete', t1 + 20_000);
      const done = await until('job out of active, lastSuccessfulTime', async () => { const c = await getCj('hello'); return !c.status?.active?.length && c.status?.lastSuccessfulTime && c.status; });
      assert.equal(Date.parse(done.lastSuccessfulTime), t1 + 20_000);
      await until('SawCompletedJob event', async () => (await events('hello', 'SawCompletedJob')).includes(`Saw completed job: ${jobName}, condition: Complete`));
      // The same time is not run twice.
      h.sync();
      h.at(t1 + 30_000);
      const t2 = t1 + 60_000;
      h.at(t2 + 1_000);
      await until('second job', async () => (await jobsOf('hello')).length === 2);
      assert.deepEqual(await jobsOf('hello'), [jobName, `hello-${t2 / 60_000}`].sort());
    } finally { await h.stop(); }
  });

  it('Forbid skips while a Job is active; Replace deletes the active Job and creates the next', async () => {
    const f = await harness('forbid');
    try {
      const cj = await createCj('forbid', { concurrencyPolicy: 'Forbid' });
      const t1 = minuteAfter(Date.parse(cj.metadata.creationTimestamp!));
      f.at(t1 + 1_000);
      await until('first forbid job', async () => (await getCj('forbid')).status?.active?.length === 1);
      f.at(t1 + 61_000);
      await until('JobAlreadyActive', async () => (await events('forbid', 'JobAlreadyActive')).includes('Not starting job because prior execution is running and concurrency policy is Forbid'));
      assert.deepEqual(await jobsOf('forbid'), [`forbid-${t1 / 60_000}`]);
    } finally { await f.stop(); }

    const r = await harness('replace');
    try {
      const cj = await createCj('replace', { concurrencyPolicy: 'Replace' });
      const t1 = minuteAfter(Date.parse(cj.metadata.creationTimestamp!));
      r.at(t1 + 1_000);
      await until('first replace job', async () => (await getCj('replace')).status?.active?.length === 1);
      r.at(t1 + 61_000);
      const second = `replace-${t1 / 60_000 + 1}`;
      await until('replaced', async () => { const c = await getCj('replace'); return c.status?.active?.length === 1 && c.status.active[0].name === second; });
      await until('only the new job', async () => JSON.stringify(await jobsOf('replace')) === JSON.stringify([second]));
      assert.ok((await events('replace', 'SuccessfulDelete')).includes(`Deleted job replace-${t1 / 60_000}`));
    } finally { await r.stop(); }
  });

  it('suspend creates nothing; unsuspended, only the most recent missed time runs', async () => {
    const h = await harness('sleepy');
    try {
      const cj = await createCj('sleepy', { suspend: true });
      const t1 = minuteAfter(Date.parse(cj.metadata.creationTimestamp!));
      await createCj('probe');
      // One worker: sleepy is synced before probe, whose Job shows the queue got past it.
      h.at(t1 + 5 * 60_000 + 1_000);
      h.sync('probe');
      await until('probe job', async () => (await jobsOf('probe')).length === 1);
      assert.deepEqual(await jobsOf('sleepy'), []);
      await cronJobs().patch('sleepy', { spec: { suspend: false } }, 'application/merge-patch+json', { namespace: ns });
      await until('sleepy job', async () => (await jobsOf('sleepy')).length === 1);
      assert.deepEqual(await jobsOf('sleepy'), [`sleepy-${t1 / 60_000 + 5}`]);
    } finally { await cronJobs().delete('probe', { namespace: ns }).catch(() => undefined); await h.stop(); }
  });

  it('startingDeadlineSeconds skips a time older than the deadline', async () => {
    const h = await harness('late');
    try {
      const cj = await createCj('late', { startingDeadlineSeconds: 30 });
      const t1 = minuteAfter(Date.parse(cj.metadata.creationTimestamp!));
      await createCj('probe');
      h.at(t1 + 45_000); // t1 is 45 s old: past the deadline
      h.sync('probe');
      await until('probe job', async () => (await jobsOf('probe')).length === 1);
      assert.deepEqual(await jobsOf('late'), []);
      h.at(t1 + 60_000 + 10_000);
      await until('late job within the deadline', async () => (await jobsOf('late')).length === 1);
      assert.deepEqual(await jobsOf('late'), [`late-${t1 / 60_000 + 1}`]);
    } finally { await cronJobs().delete('probe', { namespace: ns }).catch(() => undefined); await h.stop(); }
  });

  it('more than 100 missed times is reported and only the latest runs', async () => {
    const h = await harness('many');
    try {
      const cj = await createCj('many');
      const t1 = minuteAfter(Date.parse(cj.metadata.creationTimestamp!));
      h.at(t1 + 200 * 60_000 + 1_000);
      await until('TooManyMissedTimes', async () => (await events('many', 'TooManyMissedTimes')).includes('too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
      await until('the latest missed time runs', async () => (await jobsOf('many')).length > 0);
      h.sync();
      await until('lastScheduleTime', async () => (await getCj('many')).status?.lastScheduleTime);
      assert.deepEqual(await jobsOf('many'), [`many-${t1 / 60_000 + 200}`]);
    } finally { await h.stop(); }
  });

  it('a schedule change requeues for the new next time, which then runs without any other trigger', async () => {
    const h = await harness('moved');
    try {
      const cj = await createCj('moved', { schedule: '0 0 1 1 *' });
      const t1 = minuteAfter(Date.parse(cj.metadata.creationTimestamp!));
      h.setClock(t1 - 900);
      await cronJobs().patch('moved', { spec: { schedule: '* * * * *' } }, 'application/merge-patch+json', { namespace: ns });
      await until('job at the new schedule time', async () => (await jobsOf('moved')).length === 1, 5_000);
      assert.deepEqual(await jobsOf('moved'), [`moved-${t1 / 60_000}`]);
    } finally { await h.stop(); }
  });

  it('history limits delete the oldest finished Jobs', async () => {
    const h = await harness('hist');
    try {
      const cj = await createCj('hist', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
      const t1 = minuteAfter(Date.parse(cj.metadata.creationTimestamp!));
      const names: string[] = [];
      for (let i = 0; i < 4; i++) {
        h.at(t1 + i * 60_000 + 1_000);
        const name = `hist-${t1 / 60_000 + i}`;
        names.push(name);
        await until(`job ${name}`, async () => (await jobsOf('hist')).includes(name));
        await finish(name, i < 2 ? 'Complete' : 'Failed', t1 + i * 60_000 + 10_000);
      }
      h.sync();
      await until('one Complete and one Failed kept', async () => JSON.stringify(await jobsOf('hist')) === JSON.stringify([names[1], names[3]]));
      const deleted = await events('hist', 'SuccessfulDelete');
      assert.ok(deleted.includes(`Deleted job ${names[0]}`) && deleted.includes(`Deleted job ${names[2]}`));
    } finally { await h.stop(); }
  });
});
