/**
 * The events.k8s.io/v1 broadcaster against an in-process apiserver: one Event per
 * isomorphic key, the series written on the second occurrence only, counted in memory
 * after, the final count written when the series ends, and the same objects read back
 * through core/v1 (kubectl's view).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../test/support/apiserver.js';
import { resources, type Client } from './interface.js';
import { createEventBroadcaster } from './event-broadcaster.js';
import type { EventV1 } from '../api/events/v1/event.js';
import type { KubeObject } from '../api/object.js';

describe('event broadcaster (events.k8s.io/v1 series)', { timeout: 30_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  before(async () => { server = await startTestApiServer('event-broadcaster'); client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  });
  after(async () => { ac.abort(); await server.close(); });

  const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` } });
  const eventsOf = async (name: string): Promise<EventV1[]> =>
    (await client.resource<EventV1>(resources.eventsV1).list({ namespace: 'default' })).items.filter((e) => e.regarding?.name === name);

  it('folds isomorphic repeats into one Event with a series; a different reason is a new Event', async () => {
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const b = createEventBroadcaster(client, { reportingController: 'default-scheduler', reportingInstance: 'default-scheduler-test', now: () => clock, signal: ac.signal });
    const p = pod('web-1');
    b.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', '0/1 nodes are available: 1 Insufficient cpu.');
    await b.idle();
    let evs = await eventsOf('web-1');
    assert.equal(evs.length, 1);
    assert.equal(evs[0].series, undefined);
    assert.equal(evs[0].note, '0/1 nodes are available: 1 Insufficient cpu.');
    assert.equal(evs[0].reportingController, 'default-scheduler');
    assert.equal(evs[0].action, 'Scheduling');
    assert.match(evs[0].metadata.name!, /^web-1\.[0-9a-f]+$/);
    assert.equal(evs[0].eventTime, '2026-12-01T10:00:00.000000Z');

    clock += 1000;
    b.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', '0/2 nodes are available: 2 Insufficient cpu.');
    await b.idle();
    evs = await eventsOf('web-1');
    assert.equal(evs.length, 1);
    assert.deepEqual(evs[0].series, { count: 2, lastObservedTime: '2026-12-01T10:00:01.000000Z' });
    const rvAfterSecond = evs[0].metadata.resourceVersion;

    for (let i = 0; i < 50; i++) { clock += 1000; b.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'again'); }
    await b.idle();
    evs = await eventsOf('web-1');
    assert.equal(evs[0].metadata.resourceVersion, rvAfterSecond, 'later repeats are counted in memory, not written');

    b.eventf(p, undefined, 'Normal', 'Scheduled', 'Binding', 'Successfully assigned default/web-1 to n1');
    await b.idle();
    assert.equal((await eventsOf('web-1')).length, 2);

    // Seven minutes later the series has ended: its final count is written.
    clock += 7 * 60_000;
    await b.finishSeries();
    evs = await eventsOf('web-1');
    const failed = evs.find((e) => e.reason === 'FailedScheduling')!;
    assert.equal(failed.series?.count, 52);
    // Core/v1 view (what `kubectl get events` reads): the same object, note as message.
    const core = (await client.resource(resources.events).get(failed.metadata.name!, { namespace: 'default' })) as unknown as { message: string; involvedObject: { name: string }; series: { count: number } };
    assert.equal(core.involvedObject.name, 'web-1');
    assert.equal(core.series.count, 52);

    // After the end, the next occurrence starts a new Event.
    b.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'later');
    await b.idle();
    assert.equal((await eventsOf('web-1')).filter((e) => e.reason === 'FailedScheduling').length, 2);
  });

  it('a series whose Event was deleted is created again with its count', async () => {
    const clock = Date.parse('2026-12-01T11:00:00Z');
    const b = createEventBroadcaster(client, { reportingController: 'c', reportingInstance: 'c-1', now: () => clock });
    const p = pod('gone');
    b.eventf(p, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'x');
    await b.idle();
    const [ev] = await eventsOf('gone');
    await client.resource(resources.eventsV1).delete(ev.metadata.name!, { namespace: 'default' });
    // The pod changed (its resourceVersion) between the two: still the same series.
    b.eventf({ ...p, metadata: { ...p.metadata, resourceVersion: '42' } }, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'x');
    await b.idle();
    const again = await eventsOf('gone');
    assert.equal(again.length, 1);
    assert.equal(again[0].series?.count, 2);
  });
});
