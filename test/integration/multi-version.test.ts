/**
 * Resources served in several group-versions over one storage: events.k8s.io/v1 Event
 * (stored as core/v1 Events) and autoscaling/v1 HorizontalPodAutoscaler (stored as
 * autoscaling/v2). An object written through one version is read, listed, watched,
 * patched, applied and deleted through the other, and storage holds it once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { type RunningApiServer } from '../../src/apiserver/server.js';
import { createClient } from '../../src/client/rest-client.js';
import type { Client, ResourceClient, WatchEvent } from '../../src/client/interface.js';
import type { KubeObject } from '../../src/api/object.js';
import type { Storage } from '../../src/storage/interface.js';
import { StatusError } from '../../src/machinery/errors.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = KubeObject & Record<string, any>;

describe('multi-version resources', { timeout: 60_000 }, () => {
  let dir: string;
  let storage: Storage;
  let api: RunningApiServer;
  let client: Client;
  let coreEvents: ResourceClient<Any>;
  let events: ResourceClient<Any>;
  let hpaV1: ResourceClient<Any>;
  let hpaV2: ResourceClient<Any>;
  const ns = 'mv';

  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer('mv');
    ({ dir, storage, api } = server);
    const { pki } = server;
    client = createClient({ server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
    await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    coreEvents = client.resource({ group: '', version: 'v1', resource: 'events' });
    events = client.resource({ group: 'events.k8s.io', version: 'v1', resource: 'events' });
    hpaV1 = client.resource({ group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers' });
    hpaV2 = client.resource({ group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' });
  });
  after(() => server.close());

  /** Collects watch events until `n` arrived. */
  const collect = (rc: ResourceClient<Any>, n: number, signal: AbortSignal, opts: Record<string, string> = {}): Promise<Array<WatchEvent<Any>>> => (async () => {
    const out: Array<WatchEvent<Any>> = [];
    for await (const ev of rc.watch({ namespace: ns, signal, ...opts })) { out.push(ev); if (out.length >= n) break; }
    return out;
  })();

  it('discovery lists events.k8s.io/v1 and autoscaling/v1; autoscaling prefers v2', async () => {
    const g = await client.request<any>('GET', '/apis/events.k8s.io');
    assert.deepEqual(g.versions.map((v: any) => v.groupVersion), ['events.k8s.io/v1']);
    const a = await client.request<any>('GET', '/apis/autoscaling');
    assert.deepEqual(a.versions.map((v: any) => v.groupVersion), ['autoscaling/v2', 'autoscaling/v1']);
    assert.equal(a.preferredVersion.groupVersion, 'autoscaling/v2');
    const rl = await client.request<any>('GET', '/apis/autoscaling/v1');
    assert.deepEqual(rl.resources.map((r: any) => r.name).sort(), ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']);
    const el = await client.request<any>('GET', '/apis/events.k8s.io/v1');
    assert.deepEqual(el.resources.map((r: any) => [r.name, r.kind, r.shortNames]), [['events', 'Event', ['ev']]]);
    // One storage, one storageVersionHash (upstream's: sha256 of the storage version's group/version/kind).
    const core = (await client.request<any>('GET', '/api/v1')).resources.find((r: any) => r.name === 'events');
    assert.equal(el.resources[0].storageVersionHash, core.storageVersionHash);
    assert.equal(core.storageVersionHash, 'r2yiGXH7wu8=');
    const v2 = (await client.request<any>('GET', '/apis/autoscaling/v2')).resources.find((r: any) => r.name === 'horizontalpodautoscalers');
    assert.equal(rl.resources.find((r: any) => r.name === 'horizontalpodautoscalers').storageVersionHash, v2.storageVersionHash);
    const pods = (await client.request<any>('GET', '/api/v1')).resources.find((r: any) => r.name === 'pods');
    assert.equal(pods.storageVersionHash, 'xPOwRZ+Yhw8=');
  });

  it('an Event created through core/v1 is read, listed, watched, patched and deleted through events.k8s.io/v1', async () => {
    const ac = new AbortController();
    const watched = collect(events, 3, ac.signal, { resourceVersion: (await events.list({ namespace: ns })).metadata.resourceVersion! });
    const created = await coreEvents.create({
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: ns },
      involvedObject: { kind: 'Pod', name: 'web', namespace: ns }, reason: 'BackOff', message: 'Back-off restarting', type: 'Warning',
      source: { component: 'kubelet', host: 'node-1' }, count: 2, firstTimestamp: '2026-11-30T10:00:00Z', lastTimestamp: '2026-11-30T10:01:00Z',
    });
    const got = await events.get('web.1', { namespace: ns });
    assert.equal(got.apiVersion, 'events.k8s.io/v1');
    assert.deepEqual([got.regarding, got.note, got.deprecatedSource, got.deprecatedCount, got.deprecatedFirstTimestamp, got.reason, got.type],
      [{ kind: 'Pod', name: 'web', namespace: ns }, 'Back-off restarting', { component: 'kubelet', host: 'node-1' }, 2, '2026-11-30T10:00:00Z', 'BackOff', 'Warning']);
    assert.equal(got.message, undefined);
    assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(got.metadata.uid, created.metadata.uid);
    // Field selectors of events.k8s.io/v1.
    assert.equal((await events.list({ namespace: ns, fieldSelector: 'regarding.name=web,source=kubelet' })).items.length, 1);
    assert.equal((await events.list({ namespace: ns, fieldSelector: 'regarding.name=other' })).items.length, 0);
    await assert.rejects(events.list({ namespace: ns, fieldSelector: 'involvedObject.name=web' }), (e) => (e as StatusError).code === 400);
    // Patch through events.k8s.io/v1, seen through core/v1; the note is immutable through that version (upstream's update rules).
    await assert.rejects(events.patch('web.1', { note: 'changed' }, 'application/merge-patch+json', { namespace: ns }),
      (e) => (e as StatusError).code === 422 && (e as StatusError).message === 'Event.events.k8s.io "web.1" is invalid: message: Invalid value: "changed": field is immutable');
    const patched = await events.patch('web.1', { metadata: { labels: { via: 'events.k8s.io' } } }, 'application/merge-patch+json', { namespace: ns });
    assert.equal(patched.apiVersion, 'events.k8s.io/v1');
    assert.equal(patched.note, 'Back-off restarting');
    assert.deepEqual((await coreEvents.get('web.1', { namespace: ns })).metadata.labels, { via: 'events.k8s.io' });
    // Deleting through events.k8s.io/v1 answers in that version and removes the one stored object.
    const deleted = await events.delete('web.1', { namespace: ns }) as Any;
    assert.equal(deleted.apiVersion, 'events.k8s.io/v1');
    await assert.rejects(coreEvents.get('web.1', { namespace: ns }), (e) => (e as StatusError).code === 404);
    const evs = await watched;
    assert.deepEqual(evs.map((e) => [e.type, e.object.apiVersion, e.object.note, e.object.metadata.labels?.via]), [
      ['ADDED', 'events.k8s.io/v1', 'Back-off restarting', undefined], ['MODIFIED', 'events.k8s.io/v1', 'Back-off restarting', 'events.k8s.io'], ['DELETED', 'events.k8s.io/v1', 'Back-off restarting', 'events.k8s.io'],
    ]);
  });

  it('an Event created through events.k8s.io/v1 is stored once as a core/v1 Event; strict validation; apply and strategic merge through either', async () => {
    const ac = new AbortController();
    const watched = collect(coreEvents, 1, ac.signal, { resourceVersion: (await coreEvents.list({ namespace: ns })).metadata.resourceVersion! });
    const ev = {
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'db.1', namespace: ns }, eventTime: '2026-11-30T10:00:00.000000Z',
      regarding: { kind: 'StatefulSet', name: 'db', namespace: ns }, reason: 'Scaled', note: 'scaled to 3', type: 'Normal', action: 'Scale',
      reportingController: 'k8ts.io/statefulset-controller', reportingInstance: 'cm-1',
    };
    const created = await events.create(ev);
    assert.equal(created.apiVersion, 'events.k8s.io/v1');
    assert.equal(created.reportingController, 'k8ts.io/statefulset-controller');
    const core = await coreEvents.get('db.1', { namespace: ns });
    assert.deepEqual([core.apiVersion, core.involvedObject.name, core.message, core.reportingComponent, core.action, core.eventTime], ['v1', 'db', 'scaled to 3', 'k8ts.io/statefulset-controller', 'Scale', '2026-11-30T10:00:00.000000Z']);
    const stored = await storage.get<Any>(`/registry/events/${ns}/db.1`);
    assert.deepEqual([stored.apiVersion, stored.message, stored.note], ['v1', 'scaled to 3', undefined]);
    assert.equal((await storage.list('/registry/events.k8s.io/')).items.length, 0);
    const [added] = await watched;
    assert.deepEqual([added.type, added.object.apiVersion, added.object.message], ['ADDED', 'v1', 'scaled to 3']);

    // events.k8s.io/v1's create rules (core/v1 accepts the same body without them).
    const refused = (body: Record<string, unknown>) => client.request('POST', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, { ...ev, metadata: { name: 'db.2' }, ...body }).then(() => 'created', (e) => `${(e as StatusError).code} ${(e as StatusError).message}`);
    assert.equal(await refused({ deprecatedCount: 3, reportingInstance: '' }), '422 Event.events.k8s.io "db.2" is invalid: [reportingInstance: Required value, deprecatedCount: Invalid value: "": needs to be unset]');
    assert.equal(await refused({ eventTime: undefined }), '422 Event.events.k8s.io "db.2" is invalid: eventTime: Required value');
    // Update rules: the note is immutable through events.k8s.io/v1; series may change.
    await assert.rejects(events.update({ ...created, note: 'other' }), (e) => (e as StatusError).code === 422 && /message: Invalid value: "other": field is immutable/.test((e as StatusError).message));
    const series = await events.patch('db.1', { series: { count: 2, lastObservedTime: '2026-11-30T10:05:00.000000Z' } }, 'application/strategic-merge-patch+json', { namespace: ns });
    assert.deepEqual(series.series, { count: 2, lastObservedTime: '2026-11-30T10:05:00.000000Z' });
    assert.deepEqual((await coreEvents.get('db.1', { namespace: ns })).series, series.series);
    // Strategic merge through core/v1, seen through events.k8s.io/v1.
    await coreEvents.patch('db.1', { metadata: { labels: { via: 'core' } } }, 'application/strategic-merge-patch+json', { namespace: ns });
    assert.deepEqual((await events.get('db.1', { namespace: ns })).metadata.labels, { via: 'core' });
    // Server-side apply through events.k8s.io/v1 creates an object core/v1 reads.
    const applied = await client.request<Any>('PATCH', `/apis/events.k8s.io/v1/namespaces/${ns}/events/db.3?fieldManager=test`, { ...ev, metadata: { name: 'db.3' } }, { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(applied.apiVersion, 'events.k8s.io/v1');
    assert.equal(applied.metadata.managedFields?.[0].apiVersion, 'events.k8s.io/v1');
    assert.equal((await coreEvents.get('db.3', { namespace: ns })).message, 'scaled to 3');
    // Both versions list the same objects.
    const names = (l: { items: Any[] }) => l.items.map((i) => i.metadata.name);
    assert.deepEqual(names(await events.list({ namespace: ns })), names(await coreEvents.list({ namespace: ns })));
    // Table printing with the core Event's columns.
    const table = await client.request<any>('GET', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.deepEqual(table.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    assert.deepEqual(table.rows.find((r: any) => r.cells[6] === 'scaled to 3').cells.slice(1, 4), ['Normal', 'Scaled', 'statefulset/db']);
  });

  it('a HorizontalPodAutoscaler is served as autoscaling/v2 and v1 over one storage; v2-only fields survive a v1 read-modify-write', async () => {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    const behavior = { scaleDown: { stabilizationWindowSeconds: 120, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } };
    await hpaV2.create({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: ns },
      spec: { scaleTargetRef: ref, maxReplicas: 5, behavior, metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '256Mi' } } },
      ] },
    });
    const v1 = await hpaV1.get('web', { namespace: ns });
    assert.deepEqual(v1.spec, { scaleTargetRef: ref, maxReplicas: 5, minReplicas: 1, targetCPUUtilizationPercentage: 60 });
    assert.deepEqual(JSON.parse(v1.metadata.annotations!['autoscaling.alpha.kubernetes.io/metrics']), [{ type: 'Resource', resource: { name: 'memory', targetAverageValue: '256Mi' } }]);
    assert.ok(v1.metadata.annotations!['autoscaling.alpha.kubernetes.io/behavior']);
    // PUT through v1 with a new CPU target: the memory metric and behavior stay; the annotations are not stored.
    const updated = await hpaV1.update({ ...v1, spec: { ...v1.spec, targetCPUUtilizationPercentage: 75, maxReplicas: 7 } });
    assert.equal(updated.spec.targetCPUUtilizationPercentage, 75);
    const v2 = await hpaV2.get('web', { namespace: ns });
    assert.deepEqual(v2.spec.metrics, [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '256Mi' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } },
    ]);
    assert.deepEqual(v2.spec.behavior, behavior);
    assert.equal(v2.spec.maxReplicas, 7);
    assert.equal(v2.metadata.annotations, undefined);
    // Status written through v2's status subresource, read through v1.
    await hpaV2.update({ ...v2, status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90 } } }] } }, { subresource: 'status' });
    const withStatus = await hpaV1.get('web', { namespace: ns });
    assert.deepEqual(withStatus.status, { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 90 });
    // Status written through v1: the request's status and status annotations (conditions dropped when the request has none, as upstream).
    const cond = [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-11-30T10:00:00Z', reason: 'ReadyForNewScale', message: 'ok' }];
    await hpaV2.update({ ...(await hpaV2.get('web', { namespace: ns })), status: { currentReplicas: 2, desiredReplicas: 3, conditions: cond, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90 } } }] } }, { subresource: 'status' });
    const v1s = await hpaV1.get('web', { namespace: ns });
    assert.deepEqual(JSON.parse(v1s.metadata.annotations!['autoscaling.alpha.kubernetes.io/conditions']), cond);
    const { 'autoscaling.alpha.kubernetes.io/current-metrics': _cm, ...keptAnnotations } = v1s.metadata.annotations!;
    await hpaV1.update({ ...v1s, metadata: { ...v1s.metadata, annotations: keptAnnotations }, status: { ...v1s.status, currentCPUUtilizationPercentage: 55 } }, { subresource: 'status' });
    let st = (await hpaV2.get('web', { namespace: ns })).status;
    assert.deepEqual([st.currentMetrics, st.conditions], [[{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 55 } } }], cond]);
    // An update of the main resource through v1 keeps the stored status, whatever the request's status annotations say.
    const v1m = await hpaV1.get('web', { namespace: ns });
    await hpaV1.update({ ...v1m, metadata: { ...v1m.metadata, annotations: { team: 'web' } }, spec: { ...v1m.spec, maxReplicas: 9 }, status: { currentReplicas: 0, desiredReplicas: 0 } });
    const afterMain = await hpaV2.get('web', { namespace: ns });
    st = afterMain.status;
    assert.deepEqual([afterMain.spec.maxReplicas, afterMain.metadata.annotations, st.desiredReplicas, st.conditions, st.currentMetrics?.length], [9, { team: 'web' }, 3, cond, 1]);
    // Merge patch through v1, and a v1 create with upstream's implicit CPU target.
    await hpaV1.patch('web', { spec: { minReplicas: 2 } }, 'application/merge-patch+json', { namespace: ns });
    assert.equal((await hpaV2.get('web', { namespace: ns })).spec.minReplicas, 2);
    await hpaV1.create({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: ns }, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
    const apiV2 = await hpaV2.get('api', { namespace: ns });
    assert.deepEqual([apiV2.spec.minReplicas, apiV2.spec.metrics], [1, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]]);
    assert.equal((await storage.list('/registry/autoscaling/horizontalpodautoscalers/')).items.length, 2);
    // Validation is the stored version's: maxReplicas below minReplicas.
    await assert.rejects(hpaV1.create({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bad', namespace: ns }, spec: { scaleTargetRef: ref, minReplicas: 4, maxReplicas: 3 } }),
      (e) => (e as StatusError).code === 422 && /spec\.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`/.test((e as StatusError).message));
    // Table printing with the HPA columns, in either version.
    const t1 = await client.request<any>('GET', `/apis/autoscaling/v1/namespaces/${ns}/horizontalpodautoscalers`, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    const t2 = await client.request<any>('GET', `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.deepEqual(t1.rows.map((r: any) => r.cells.slice(0, 3)), t2.rows.map((r: any) => r.cells.slice(0, 3)));
  });
});
