/**
 * The TTL-after-finished controller against an in-process apiserver: the test marks
 * Jobs finished through jobs/status (no Job controller runs) and checks which are
 * deleted and when — at the expiry, not before; never without a TTL or unfinished;
 * at once with the injected clock past the expiry.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import { isNotFound } from '../../machinery/errors.js';
import { rfc3339 } from '../../machinery/time.js';
import type { Job } from '../../api/batch/v1/job.js';
import { jobExpiry, TTLAfterFinishedController } from './controller.js';

describe('ttl-after-finished controller', { timeout: 30_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';
  /** The controller's clock runs `skewMs` ahead of the real one. */
  let skewMs = 0;

  before(async () => {
    server = await startTestApiServer('ttl');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const informers = createSharedInformerFactory(client);
    void new TTLAfterFinishedController(client, informers, { now: () => Date.now() + skewMs }).run(ac.signal, 2);
    informers.start(ac.signal);
  });
  after(async () => { ac.abort(); await server.close(); });

  const jobs = () => client.resource<Job>(resources.jobs);
  const exists = (name: string) => jobs().get(name, { namespace: ns }).then(() => true, (e) => { if (isNotFound(e)) return false; throw e; });
  async function createJob(name: string, ttl: number | undefined, finished?: 'Complete' | 'Failed', at = new Date()): Promise<Job> {
    const job = await jobs().create<Job>({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: ns },
      spec: { ttlSecondsAfterFinished: ttl, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
    });
    if (!finished) return job;
    const t = rfc3339(at);
    return jobs().update({ ...job, status: { startTime: t, ...(finished === 'Complete' ? { completionTime: t, succeeded: 1 } : { failed: 1 }),
      conditions: [{ type: finished, status: 'True', lastProbeTime: t, lastTransitionTime: t }] } }, { subresource: 'status' });
  }

  it('computes the expiry from the finished condition', () => {
    const job = { metadata: {}, spec: { ttlSecondsAfterFinished: 5 }, status: { conditions: [{ type: 'Failed', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] } } as Job;
    assert.equal(jobExpiry(job), Date.parse('2026-01-01T00:00:05Z'));
    assert.equal(jobExpiry({ ...job, spec: {} }), undefined);
    assert.equal(jobExpiry({ ...job, status: {} }), undefined);
    assert.equal(jobExpiry({ ...job, metadata: { deletionTimestamp: '2026-01-01T00:00:01Z' } }), undefined);
  });

  it('deletes a finished Job at its expiry, not before; keeps unfinished or TTL-less ones', async () => {
    // Finished at the start of the current second: expiry is 2 s after that.
    const finishedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    await createJob('done', 2, 'Complete', finishedAt);
    await createJob('failed-now', 0, 'Failed');
    await createJob('running', 0);
    await createJob('keep', undefined, 'Complete');
    await until('failed-now deleted', async () => !(await exists('failed-now')));
    if (Date.now() < finishedAt.getTime() + 1800) assert.equal(await exists('done'), true, 'not deleted before the TTL');
    await until('done deleted', async () => !(await exists('done')), 5000);
    assert.ok(Date.now() >= finishedAt.getTime() + 2000, 'deleted at the expiry');
    assert.equal(await exists('running'), true);
    assert.equal(await exists('keep'), true);
  });

  it('follows the injected clock', async () => {
    skewMs = 2 * 3600_000;
    await createJob('hour', 3600, 'Complete');
    await until('hour deleted', async () => !(await exists('hour')));
    skewMs = 0;
  });
});
